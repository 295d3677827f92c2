"""Bad dataset input: one line naming the file and line, exit code 1, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Run

MINI = FIXTURES / "mini"

# (case, file, text to replace, replacement, expected message after "Error: {dir}/")
CASES = [
    (
        "malformed-yaml",
        "work.yaml",
        "  - id: proj\n",
        "  - id: proj\n   bad: [\n",
        "work.yaml:12: malformed YAML: expected <block end>, but found '<block mapping start>'. "
        "Check the indentation and quoting there.",
    ),
    (
        "unknown-reference",
        "work.yaml",
        "organization: net\n",
        "organization: nett\n",
        "work.yaml:52: unknown network, project, programme, cooperation, organisation or region 'nett' "
        "in 'organization'. Did you mean 'net'?",
    ),
    (
        "duplicate-id",
        "work.yaml",
        "id: plan\n",
        "id: proj\n",
        "work.yaml:38: duplicate ID 'proj' (also at {d}/work.yaml:11). Give each entry its own ID.",
    ),
    (
        "missing-label",
        "work.yaml",
        "    label: A Project\n",
        "",
        "work.yaml:11: the project 'proj' has no 'label', and no source defines it. "
        "Add 'label: ...' to define it here, or build with the source that defines it.",
    ),
    (
        "wrong-type-number",
        "actors.yaml",
        "lat: 55.676",
        "lat: north",
        "actors.yaml:6: 'lat' must be a number. Correct the value.",
    ),
    (
        "wrong-type-bool",
        "work.yaml",
        "binding: true",
        "binding: maybe",
        "work.yaml:25: 'binding' must be true or false. Correct the value.",
    ),
    (
        "out-of-range",
        "actors.yaml",
        "lat: 55.676",
        "lat: 95",
        "actors.yaml:6: 'lat' must be between -90 and 90. Correct the value.",
    ),
    (
        "date-that-does-not-exist",
        "work.yaml",
        "start: 2019-10-10",
        "start: 2023-02-30",
        "work.yaml:32: 'start' has a bad date: 2023-02-30 is not a date that exists. Correct the value.",
    ),
    (
        "not-a-date",
        "work.yaml",
        "start: 2019-10-10",
        "start: soon",
        "work.yaml:32: 'start' has a bad date: soon is not a date: write 2023-07-01, 2023-07 or 2023. "
        "Correct the value.",
    ),
    (
        "end-before-start",
        "work.yaml",
        "end: 2023-12-31",
        "end: 2020-12-31",
        "work.yaml:24: the end 2020-12-31 is before the start 2021-01-01. Swap or correct the dates.",
    ),
    (
        "membership-end-before-start",
        "memberships-list.csv",
        "2016-09,2020-08",
        "2016-09,2015",
        "memberships-list.csv:3: the end 2015 is before the start 2016-09. Swap or correct the dates.",
    ),
    (
        "unknown-theme",
        "work.yaml",
        "themes: [waste]",
        "themes: [wast]",
        "work.yaml:15: unknown theme 'wast' in 'themes'. Did you mean 'waste'?",
    ),
    (
        "unknown-purpose",
        "work.yaml",
        "purposes: [learn]",
        "purposes: [lern]",
        "work.yaml:6: unknown purpose 'lern' in 'purposes'. Did you mean 'learn'?",
    ),
    (
        "reference-of-wrong-kind",
        "work.yaml",
        "location: copenhagen",
        "location: net",
        "work.yaml:33: 'net' in 'location' is a network, not a city. Point 'location' to a city.",
    ),
    (
        "unknown-field",
        "work.yaml",
        "    sdgs: [13]\n",
        "    colour: red\n",
        "work.yaml:7: unknown field 'colour' for a network. Known fields: alt_labels, based_on, "
        "commits_to, contact, description, email, evidence, founded, homepage, id, inferred, "
        "internal, label, member_count, notes, owner, part_of, phone, purposes, quantities, "
        "reason, sdgs, status, supports, themes, wikidata.",
    ),
    (
        "not-an-sdg",
        "work.yaml",
        "sdgs: [13]",
        "sdgs: [18]",
        "work.yaml:7: '18' is not a UN goal. SDGs are numbered 1 to 17.",
    ),
    (
        "bad-id",
        "work.yaml",
        "id: net\n",
        "id: Net Work\n",
        "work.yaml:2: 'Net Work' is not a valid ID. Use lower-case letters, digits and '-', "
        "starting with a letter or digit. Did you mean 'net-work'?",
    ),
    (
        "csv-extra-cell",
        "memberships-list.csv",
        "https://example.org/members\n",
        "https://example.org/members,extra\n",
        "memberships-list.csv:2: the row has 7 cells but the header has 6. Quote cells that contain "
        "the delimiter.",
    ),
    (
        "csv-unknown-column",
        "memberships-list.csv",
        "member,organization,role",
        "member,organisation,role",
        "memberships-list.csv:1: unknown column 'organisation' (column 2) for memberships. "
        "Did you mean 'organization'?",
    ),
    (
        "bad-evidence",
        "work.yaml",
        "{section: s-projects, quote: The plan sets goals.}",
        "{page: 3}",
        "work.yaml:42: evidence {'page': 3} is neither {section, quote} nor {source}. "
        "Write '- {section: s-c40, quote: \"...\"}' or '- {source: https://...}'.",
    ),
    (
        "unknown-section",
        "work.yaml",
        "{section: s-projects, quote: The plan sets goals.}",
        "{section: s-project, quote: The plan sets goals.}",
        "work.yaml:41: unknown section 's-project' in 'evidence'. Did you mean 's-projects'?",
    ),
    (
        "theme-cycle",
        "dataset.yaml",
        "- {id: waste, label: Waste}",
        "- {id: waste, label: Waste, broader: w2}\n  - {id: w2, label: W2, broader: waste}",
        "dataset.yaml:15: waste: its broader themes lead back to itself (a cycle in skos:broader). "
        "Fix the data and build again.\nError: {d}/dataset.yaml:16: w2: its broader themes lead "
        "back to itself (a cycle in skos:broader). Fix the data and build again.",
    ),
]


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


@pytest.fixture
def store(run: Run, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert run("build", MINI, "--store", path, "-q").exit_code == 0
    return path


def _snapshot(store: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(store)): p.read_bytes()
        for p in sorted(store.rglob("*"))
        if p.is_file() and p.name != "build.lock" and "LOG" not in p.name
    }


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_dataset(
    run: Run, tmp_path: Path, store: Path, file: str, old: str, new: str, expected: str
) -> None:
    data = _copy(tmp_path)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, "the fixture changed: update the case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = _snapshot(store)
    result = run("build", data, "--store", store, "-q")
    assert result.exit_code == 1
    assert result.stderr == "Error: " + f"{data}/" + expected.replace("{d}", str(data)) + "\n"
    assert result.stdout == ""
    assert _snapshot(store) == before


def test_not_utf8(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "zz.yaml").write_bytes(b"networks:\n  - id: caf\xe9\n")
    result = run("validate", data)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {data}/zz.yaml:2: is not UTF-8 text. Save it as UTF-8.\n"


def test_folder_where_a_file_belongs(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "extra.yaml").mkdir()
    result = run("validate", data)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {data}/extra.yaml: is a folder, not a file. Give a dataset file.\n"
    )


def test_unknown_kind(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "zz.yaml").write_text("citys:\n  - id: x\n", encoding="utf-8")
    result = run("validate", data)
    assert (
        result.stderr == f"Error: {data}/zz.yaml:1: unknown kind 'citys'. Did you mean 'cities'?\n"
    )


def test_csv_named_after_no_kind(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "people.csv").write_text("id,label\nx,X\n", encoding="utf-8")
    result = run("validate", data)
    assert result.stderr == (
        f"Error: {data}/people.csv: a CSV file's name must start with its kind, not 'people'. "
        "Name it like cities-list.csv or memberships-list.csv.\n"
    )


def test_missing_source(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {tmp_path / 'nowhere'}: no such file or folder. Check the path.\n"
    )


def test_empty_folder(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("validate", empty)
    assert result.stderr == (
        f"Error: {empty}: no loader reads this kind of source. "
        "Give a dataset folder, or an RDF file (.ttl, .nt, .jsonld, .rdf, .trig).\n"
    )


def test_csv_with_bom_semicolons_and_quotes_loads(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "memberships-list.csv").unlink()
    (data / "cities-extra.csv").write_bytes(
        '\ufeffid;label;alt_labels\n\nwashington-dc;"Washington, D.C." ;DC|Washington\n'.encode()
    )
    store = tmp_path / "s"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    out = run("export", "--store", store, "--format", "nt").stdout
    assert (
        '<https://w3id.org/citykg/id/washington-dc> <http://www.w3.org/2000/01/rdf-schema#label> "Washington, D.C."@en .'
        in out
    )
    assert (
        '<https://w3id.org/citykg/id/washington-dc> <http://www.w3.org/2004/02/skos/core#altLabel> "DC" .'
        in out
    )


def test_csv_reference_lists_split_on_bar(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "networks-more.csv").write_text(
        "id,label,themes,purposes,source_url\nnet2,Second network,climate|waste,learn|cooperate,https://example.org/n\n",
        encoding="utf-8",
    )
    store = tmp_path / "s"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    out = run("export", "--store", store, "--format", "nt").stdout
    net2 = "<https://w3id.org/citykg/id/net2>"
    assert (
        f"{net2} <http://purl.org/dc/terms/subject> <https://w3id.org/citykg/id/climate> ." in out
    )
    assert f"{net2} <http://purl.org/dc/terms/subject> <https://w3id.org/citykg/id/waste> ." in out
    assert (
        f"{net2} <https://w3id.org/citykg/ontology#purpose> <https://w3id.org/citykg/id/cooperate> ."
        in out
    )
