"""Member lists from spreadsheets, through ``citykg load members`` and ``citykg build``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import URIRef

from citykg.graph.store import open_dataset, read_info
from citykg.queries.sparql import LocalSource

Run = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "members"
DATASET = HERE / "dataset"
LIST_URL = URIRef("https://example.org/green-cities/members")


@pytest.fixture
def store(tmp_path: Path, run: Run) -> Path:
    """A store built from the small member fixture dataset."""
    path = tmp_path / "store"
    result = run("build", DATASET, "--store", path, "--quiet", "--no-validate")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    folder.mkdir()
    for name in ("members-semicolon.csv", "members-comma.csv"):
        shutil.copy(HERE / name, folder / name)
    return folder


def members(store: Path, graph: str) -> list[tuple[str, str, str, str | None, str | None]]:
    """(member, organisation, role, start, source) of each membership in one source graph."""
    query = f"""
    PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX time: <http://www.w3.org/2006/time#>
    SELECT ?member ?org ?role ?start ?source WHERE {{
      GRAPH <https://w3id.org/citykg/graph/source/{graph}> {{
        ?m org:member ?who ; org:organization ?o ; org:role ?r .
        OPTIONAL {{ ?m dcterms:source ?source }}
        OPTIONAL {{ ?m org:memberDuring/time:hasBeginning/
                       (time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?start }}
      }}
      ?who dcterms:identifier ?member . ?o dcterms:identifier ?org . ?r dcterms:identifier ?role .
    }} ORDER BY ?member"""
    rows = LocalSource(open_dataset(store)).select(query).rows
    return [
        (
            str(r["member"]),
            str(r["org"]),
            str(r["role"]),
            r["start"] and str(r["start"]),
            r["source"] and str(r["source"]),
        )
        for r in rows
    ]


def table_of(run: Run, store: Path, *args: str) -> list[dict[str, str]]:
    result = run("query", *args, "--store", store, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_semicolon_list_with_yaml_header_matches_creates_and_lists_ambiguous(
    store: Path, lists: Path, run: Run
) -> None:
    path = lists / "members-semicolon.csv"
    result = run(
        "load",
        "members",
        path,
        "--network",
        "green-cities",
        "--start-column",
        "Joined",
        "--store",
        store,
        "-q",
    )
    assert result.exit_code == 0, result.output
    # The loader's notes go to stderr, the result to stdout (as for citykg build).
    assert result.stderr.splitlines() == [
        # The counts add up to the rows: the seventh has no name (skipped).
        "members-semicolon.csv: 7 rows for 'green-cities': 4 matched, 1 created, 1 ambiguous, "
        "1 skipped (0 already listed by another source).",
        "members-semicolon.csv:8: 'Portland' is ambiguous (portland-maine, portland-oregon); not "
        "added. "
        "Add a country column, or an id column with the ID.",
        "members-semicolon.csv:9: created city 'atlantis' for 'Atlantis'.",
        "members-semicolon.csv:11: 'Copenhagen' is listed again (first on line 6); skipped.",
    ]
    assert result.stdout == (
        f"Built {store}: {read_info(store).triples} triples from member-fixture, "
        "members-members-semicolon, vocabulary (validated).\n"
    )
    url = str(LIST_URL)
    assert members(store, "members-members-semicolon") == [
        ("atlantis", "green-cities", "member", None, url),
        ("copenhagen", "green-cities", "member", "2015-03", url),
        ("lisbon", "green-cities", "member", "2020", url),
        ("sao-paulo", "green-cities", "member", None, url),
        ("washington-dc", "green-cities", "member", "2019", url),
    ]
    # The new city carries its source too, and is a valid city with a place.
    atlantis = URIRef("https://w3id.org/citykg/id/atlantis")
    source = URIRef("http://purl.org/dc/terms/source")
    assert LocalSource(open_dataset(store)).ask(
        f"ASK {{ {atlantis.n3()} {source.n3()} {LIST_URL.n3()} }}"
    )
    # What a list gives is listed: the city it created and each membership it adds.
    status = table_of(run, store, "evidence", "-p", "entity=membership/lisbon/green-cities/member")
    assert [(r["type"], r["source"], r["status"]) for r in status] == [("source", url, "listed")]
    status = table_of(run, store, "evidence", "-p", "entity=atlantis")
    assert [(r["type"], r["status"]) for r in status] == [("source", "listed")]
    assert read_info(store).validated is True


def test_comma_list_through_sidecar_and_build(lists: Path, tmp_path: Path, run: Run) -> None:
    path = lists / "members-comma.csv"
    (lists / "members-comma.csv.yaml").write_text(
        "network: green-cities\nrole: lead\ncountry_column: Country\n"
    )
    store = tmp_path / "built"
    result = run("build", DATASET, path, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "members-comma.csv: 3 rows for 'green-cities': 2 matched, 1 created, 0 ambiguous, "
        "0 skipped (0 already listed by another source).",
        "members-comma.csv:4: created city 'new-town' for 'New Town'.",
    ]
    source = path.resolve().as_uri()
    assert members(store, "members-members-comma") == [
        ("new-town", "green-cities", "lead", None, source),
        ("portland-oregon", "green-cities", "lead", None, source),
        ("washington-dc", "green-cities", "lead", None, source),
    ]
    country = LocalSource(open_dataset(store)).select(
        "PREFIX ckg: <https://w3id.org/citykg/ontology#> SELECT ?c WHERE { "
        "<https://w3id.org/citykg/id/new-town> ckg:country ?c }"
    )
    assert country.column("c") == [URIRef("https://w3id.org/citykg/id/denmark")]


def test_xlsx_list_and_reloading_replaces_the_source(store: Path, tmp_path: Path, run: Run) -> None:
    import openpyxl  # a dependency of citykg: its absence must fail, not skip

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    for row in (["Member ", "Land"], [None, None], ["LISBOA", "Portugal"], ["São Paulo ", "BR"]):
        sheet.append(row)
    path = tmp_path / "green.xlsx"
    workbook.save(path)
    args = (
        "load",
        "members",
        path,
        "--network",
        "green-cities",
        "--country-column",
        "Land",
        "--store",
        store,
        "-q",
    )
    first = run(*args, "--name-column", "member", "--sheet", "Members", "--format", "json")
    assert first.exit_code == 0, first.output
    payload = json.loads(first.stdout)
    assert payload["notes"] == [
        "green.xlsx: 2 rows for 'green-cities': 2 matched, 0 created, 0 ambiguous, 0 skipped "
        "(0 already listed by another source)."
    ]
    again = run(*args, "--source-url", "https://example.org/xlsx")
    assert again.exit_code == 0, again.output
    labels = [s["label"] for s in read_info(store).sources]
    assert labels == ["member-fixture", "members-green", "vocabulary"]
    assert {row[4] for row in members(store, "members-green")} == {"https://example.org/xlsx"}


def test_lists_do_not_see_each_other(store: Path, lists: Path, run: Run) -> None:
    # A list matches names against the datasets, never against another list: two lists of the
    # same member each state the membership in their own graph, whatever their order.
    first = lists / "members-comma.csv"
    assert (
        run("load", "members", first, "--network", "green-cities", "--store", store, "-q").exit_code
        == 0
    )
    second = lists / "again.csv"
    second.write_text("Name\nWashington, D.C.\n")
    result = run("load", "members", second, "--network", "green-cities", "--store", store, "-q")
    assert result.stderr.splitlines()[0] == (
        "again.csv: 1 rows for 'green-cities': 1 matched, 0 created, 0 ambiguous, 0 skipped "
        "(0 already listed by another source)."
    )
    assert [m[0] for m in members(store, "members-again")] == ["washington-dc"]


def test_a_date_for_a_membership_a_dataset_states_is_kept(
    tmp_path: Path, lists: Path, run: Run
) -> None:
    # Lisbon is a member in the dataset, without dates; the list knows when it joined.
    dataset = tmp_path / "dataset"
    shutil.copytree(DATASET, dataset)
    (dataset / "memberships.yaml").write_text(
        "memberships:\n  - {member: lisbon, organization: green-cities, "
        'evidence: [{source: "https://example.org/green-cities"}]}\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run("build", dataset, "--store", store, "-q").exit_code == 0
    dated = lists / "dated.csv"
    dated.write_text(
        "# network: green-cities\n# start_column: Joined\nName,Joined\nLisboa,2019-05\n",
        encoding="utf-8",
    )
    result = run("load", "members", dated, "--network", "green-cities", "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "dated.csv: 1 rows for 'green-cities': 1 matched, 0 created, 0 ambiguous, 0 skipped "
        "(1 already listed by another source).",
        "dated.csv:4: 'Lisboa' is already listed in 'green-cities' by another source; the "
        "row's dates are added to that membership.",
    ]
    assert [(m[0], m[3]) for m in members(store, "members-dated")] == [("lisbon", "2019-05")]
    # Another date than the one a dataset gives is a conflict naming both places.
    (dataset / "memberships.yaml").write_text(
        "memberships:\n  - {member: lisbon, organization: green-cities, start: 2018, "
        'evidence: [{source: "https://example.org/green-cities"}]}\n',
        encoding="utf-8",
    )
    rebuilt = run("build", dataset, dated, "--store", tmp_path / "other", "-q")
    assert rebuilt.exit_code == 1
    assert rebuilt.stderr == (
        f"Error: {dataset}/memberships.yaml:2: 'start' of 'membership/lisbon/green-cities/member' "
        f"is '2018', but {dated}:4 says '2019-05'. Make them agree or drop one.\n"
    )


# --- Errors: one line, exact, and the store stays as it was ------------------------------------


def test_unknown_column(store: Path, lists: Path, run: Run) -> None:
    path = lists / "members-semicolon.csv"
    before = read_info(store).data
    result = run(
        "load",
        "members",
        path,
        "--network",
        "green-cities",
        "--country-column",
        "Countri",
        "--store",
        store,
        "-q",
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {path}:3: unknown column 'Countri' for --country-column. Did you mean "
        "'Country'?\n"
    )
    result = run(
        "load",
        "members",
        path,
        "--network",
        "green-cities",
        "--name-column",
        "Town",
        "--store",
        store,
        "-q",
    )
    assert (
        result.stderr
        == f"Error: {path}:3: unknown column 'Town' for --name-column. The columns are: City, "
        "Country, Joined.\n"
    )
    assert read_info(store).data == before


def test_no_name_column_and_no_network(store: Path, tmp_path: Path, run: Run) -> None:
    path = tmp_path / "towns.csv"
    path.write_text("Town,Country\nOdense,DK\n")
    result = run("load", "members", path, "--network", "green-cities", "--store", store, "-q")
    assert (
        result.stderr
        == f"Error: {path}:1: no column holds the members' names. Give --name-column; the columns "
        "are: Town, Country.\n"
    )
    result = run("build", DATASET, path, "--store", store, "-q")
    assert result.stderr == (
        f"Error: {path}: the member list does not say which network it lists. "
        "Give --network ID, or a line '# network: ID' at the top of the file.\n"
    )


def test_unknown_network_and_role(store: Path, lists: Path, run: Run) -> None:
    path = lists / "members-comma.csv"
    result = run("load", "members", path, "--network", "green-citys", "--store", store, "-q")
    assert (
        result.stderr == f"Error: {path}: unknown network 'green-citys' in 'network'. Did you mean "
        "'green-cities'?\n"
    )
    result = run(
        "load",
        "members",
        path,
        "--network",
        "green-cities",
        "--role",
        "leader",
        "--store",
        store,
        "-q",
    )
    assert (
        result.stderr == f"Error: {path}: unknown role 'leader' in 'role'. Did you mean 'lead'?\n"
    )


def test_bad_files(store: Path, tmp_path: Path, run: Run) -> None:
    fake = tmp_path / "list.xlsx"
    fake.write_text("City\nLisbon\n")
    result = run("load", "members", fake, "--network", "green-cities", "--store", store, "-q")
    assert (
        result.stderr
        == f"Error: {fake}: is not an Excel workbook (.xlsx). Save the list as .xlsx or .csv.\n"
    )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("City\nLisbon\nS\xe3o Paulo\n".encode("latin-1"))
    result = run("load", "members", latin1, "--network", "green-cities", "--store", store, "-q")
    assert result.stderr == f"Error: {latin1}:3: is not UTF-8 text. Save it as UTF-8.\n"
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("City,Country\nWashington, D.C.,US\n")
    result = run("load", "members", ragged, "--network", "green-cities", "--store", store, "-q")
    assert result.stderr == (
        f"Error: {ragged}:2: the row has 3 cells but the header has 2. "
        'Quote names that contain the delimiter, like "Washington, D.C.".\n'
    )
    header = tmp_path / "header.csv"
    header.write_text("# netwrok: green-cities\nCity\nLisbon\n")
    result = run("load", "members", header, "--network", "green-cities", "--store", store, "-q")
    assert (
        result.stderr == f"Error: {header}:1: unknown option 'netwrok'. Did you mean 'network'?\n"
    )
    result = run(
        "load",
        "members",
        tmp_path / "missing.csv",
        "--network",
        "green-cities",
        "--store",
        store,
        "-q",
    )
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_store_whose_source_is_gone(tmp_path: Path, lists: Path, run: Run) -> None:
    dataset = tmp_path / "moved"
    shutil.copytree(DATASET, dataset)
    store = tmp_path / "store"
    assert run("build", dataset, "--store", store, "-q", "--no-validate").exit_code == 0
    shutil.rmtree(dataset)
    path = lists / "members-comma.csv"
    result = run("load", "members", path, "--network", "green-cities", "--store", store, "-q")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {store}: the store was built from {dataset}, which no longer exists. "
        "Rebuild it with 'citykg build' from the sources you have.\n"
    )


def test_id_column_decides_what_a_name_cannot(store: Path, tmp_path: Path, run: Run) -> None:
    path = tmp_path / "portlands.csv"
    path.write_text("City,citykg\nPortland,portland-maine\nPortland,\nPortland,portland-or\n")
    result = run(
        "load", "members", path, "--network", "green-cities", "--id-column", "citykg",
        "--store", store, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "portlands.csv: 3 rows for 'green-cities': 1 matched, 1 created, 1 ambiguous, "
        "0 skipped (0 already listed by another source).",
        "portlands.csv:3: 'Portland' is ambiguous (portland-maine, portland-oregon); not added. "
        "Add a country column, or an id column with the ID.",
        "portlands.csv:4: created city 'portland-or' for 'Portland'.",
    ]
    assert [m[0] for m in members(store, "members-portlands")] == ["portland-maine", "portland-or"]
