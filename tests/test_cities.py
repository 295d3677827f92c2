"""Several cities in one store: the built-in Copenhagen dataset beside a fictional second city.

Fjordby (tests/fixtures/fjordby) is invented test data that shares IDs with Copenhagen's
dataset; fjordby-links only adds facts to entities the other two define.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from citykg.graph.build import build
from citykg.graph.store import open_dataset
from citykg.loaders.dataset import builtin_dataset_path, vocabulary_path
from citykg.queries.sparql import LocalSource
from tests.conftest import FIXTURES, Run

FJORDBY = FIXTURES / "fjordby"
LINKS = FIXTURES / "fjordby-links"
CPH = builtin_dataset_path()
AS_OF = ("--as-of", "2025-06-01")
HOMES = "Give --home ID, or set $CITYKG_HOME."


@pytest.fixture(scope="module")
def fjordby_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fjordby alone: a store without Copenhagen."""
    store = tmp_path_factory.mktemp("fjordby") / "store"
    build(store, [FJORDBY])
    return store


@pytest.fixture(scope="module")
def both_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copenhagen, Fjordby and the links between them: two homes."""
    store = tmp_path_factory.mktemp("both") / "store"
    build(store, [CPH, FJORDBY, LINKS])
    return store


def _json(run: Run, *args: str | Path) -> object:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(run: Run, *args: str | Path) -> list[dict[str, str]]:
    """A named query's rows, from its CSV output."""
    result = run("query", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _copy(tmp_path: Path, source: Path = FJORDBY) -> Path:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, "the fixture changed: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, text: str, after: str = "") -> int:
    """The 1-based line of the first ``text`` in ``path`` (after the line holding ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


# --- One entity, many sources -----------------------------------------------------------------


def test_the_fictional_city_builds_alone(run: Run, tmp_path: Path) -> None:
    result = run("build", FJORDBY, "--store", tmp_path / "s", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(" triples from fjordby, vocabulary (validated).\n")


def test_every_order_gives_the_same_graph(run: Run, tmp_path: Path) -> None:
    exports = set()
    sources = set()
    for number, order in enumerate(itertools.permutations([CPH, FJORDBY, LINKS])):
        store = tmp_path / f"s{number}"
        assert run("build", *order, "--store", store, "-q").exit_code == 0
        trig = run("export", "--store", store, "--format", "trig", "--include-internal")
        exports.add(trig.stdout)
        sources.add(run("sources", "--store", store, "--format", "csv").stdout)
    assert len(exports) == 1 and len(sources) == 1
    assert "<https://w3id.org/citykg/graph/source/fjordby> {" in exports.pop()


def _graph(store: Path, name: str) -> list[tuple[str, str, str]]:
    rows = LocalSource(open_dataset(store)).select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <https://w3id.org/citykg/graph/source/{name}> "
        "{ ?s ?p ?o } }"
    )
    return sorted((str(r["s"]), str(r["p"]), str(r["o"])) for r in rows.rows)


def test_each_statement_stays_in_its_sources_graph(fjordby_store: Path, both_store: Path) -> None:
    # Fjordby's graph is the same alone and beside Copenhagen's: merging moves nothing.
    assert _graph(fjordby_store, "fjordby") == _graph(both_store, "fjordby")
    label = ("https://w3id.org/citykg/id/c40", "http://www.w3.org/2000/01/rdf-schema#label")
    for name in ("copenhagen", "fjordby"):
        assert (*label, "C40 Cities Climate Leadership Group") in _graph(both_store, name)
    assert not any(
        s == label[0] and p == label[1] for s, p, _ in _graph(both_store, "fjordby-links")
    )


def test_a_shared_entity_is_one_entity(run: Run, both_store: Path) -> None:
    rows = _rows(run, "entity-datasets", "--store", both_store)
    found = sorted((r["in"], r["home"]) for r in rows if r["id"] == "c40")
    assert found == [("copenhagen", "copenhagen"), ("fjordby", "fjordby"), ("fjordby-links", "")]
    about = _rows(run, "about", "-p", "entity=c40", "--store", both_store)
    assert [r["value"] for r in about if r["property"] == "label"] == [
        "C40 Cities Climate Leadership Group"
    ]
    themes = sorted(r["value"] for r in about if r["property"] == "subject")
    # Copenhagen's four themes and the one fjordby-links adds.
    assert themes == [
        "climate", "climate-adaptation", "construction", "energy-efficiency", "harbour-development",
    ]  # fmt: skip


def test_a_conflict_names_both_places_in_every_order(run: Run, tmp_path: Path) -> None:
    fjordby = _copy(tmp_path)
    _edit(fjordby / "actors.yaml", "    country: germany\n", "    country: denmark\n")
    here = _line(fjordby / "actors.yaml", "country: denmark", after="id: hamburg")
    there = _line(CPH / "actors.yaml", "country: germany", after="id: hamburg")
    expected = (
        f"Error: {fjordby}/actors.yaml:{here}: 'country' of 'hamburg' is 'denmark', but "
        f"{CPH}/actors.yaml:{there} says 'germany'. Make them agree or drop one.\n"
    )
    for order in ([fjordby, CPH], [CPH, fjordby]):
        result = run("build", *order, "--store", tmp_path / "store", "-q")
        assert result.exit_code == 1
        assert result.stderr == expected
    assert not (tmp_path / "store" / "citykg-store.json").exists()


def test_two_kinds_for_one_id_is_a_conflict(run: Run, tmp_path: Path) -> None:
    fjordby = _copy(tmp_path)
    _edit(fjordby / "actors.yaml", "administrations:\n", "organisations:\n  - {id: beijing}\n")
    here = _line(fjordby / "actors.yaml", "- {id: beijing}")
    there = _line(CPH / "actors.yaml", "id: beijing")
    result = run("validate", CPH, fjordby)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {fjordby}/actors.yaml:{here}: 'kind' of 'beijing' is 'organisation', but "
        f"{CPH}/actors.yaml:{there} says 'city'. Make them agree or drop one.\n"
    )


def test_facts_added_to_another_sources_entity(run: Run, both_store: Path) -> None:
    about = _rows(run, "about", "-p", "entity=bengaluru", "--store", both_store)
    assert ("country", "india") in {(r["property"], r["value"]) for r in about}


def test_additions_need_a_source_that_defines_the_entity(run: Run) -> None:
    result = run("validate", LINKS)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {LINKS}/links.yaml:11: the network 'c40' has no 'label', and no source defines "
        "it. Add 'label: ...' to define it here, or build with the source that defines it.",
        f"Error: {LINKS}/links.yaml:12: unknown theme 'harbour-development' in 'themes'. "
        "Did you mean 'sustainable-urban-development'?",
        f"Error: {LINKS}/links.yaml:15: the city 'bengaluru' has no 'label', and no source "
        "defines it. Add 'label: ...' to define it here, or build with the source that defines "
        "it.",
    ]


@pytest.mark.parametrize("order", [(LINKS, FJORDBY, CPH), (CPH, FJORDBY, LINKS)])
def test_references_resolve_whatever_the_order(run: Run, order: tuple[Path, ...]) -> None:
    # fjordby-links names Fjordby's theme and Copenhagen's city, wherever they come in the list.
    result = run("validate", *order)
    assert result.exit_code == 0, result.output


# --- Every problem of a run at once --------------------------------------------------------------


def test_every_problem_at_once_sorted_and_capped(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "many"
    data.mkdir()
    (data / "b.yaml").write_text(
        "networks:\n"
        + "".join(f"  - {{id: n{i}, label: N{i}, themes: [nope{i}]}}\n" for i in range(12)),
        encoding="utf-8",
    )
    (data / "a.yaml").write_text(
        "networks:\n"
        + "".join(f"  - {{id: m{i}, label: M{i}, purposes: [nix{i}]}}\n" for i in range(12)),
        encoding="utf-8",
    )
    result = run("validate", data)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    # By file, then line: a.yaml's twelve first, then b.yaml's.
    assert lines[0].startswith(f"Error: {data}/a.yaml:2: unknown purpose 'nix0' in 'purposes'. ")
    assert lines[11].startswith(f"Error: {data}/a.yaml:13: unknown purpose 'nix11'")
    assert lines[12].startswith(f"Error: {data}/b.yaml:2: unknown theme 'nope0' in 'themes'. ")
    assert lines[19].startswith(f"Error: {data}/b.yaml:9: unknown theme 'nope7'")
    assert lines[20] == "Error: 4 more problems not shown. Fix the ones above and run again."


def test_problems_of_several_files_and_kinds_together(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text("cities:\n  - id: x\n    lable: X\n", encoding="utf-8")
    (data / "b.yaml").write_text("cities: [\n", encoding="utf-8")
    (data / "c.yaml").write_text("countries:\n  - {id: y, label: Y, code: NO}\n", encoding="utf-8")
    result = run("validate", data)
    assert result.stderr.splitlines() == [
        f"Error: {data}/a.yaml:3: unknown field 'lable' for a city. Did you mean 'label'?",
        f"Error: {data}/b.yaml:2: malformed YAML: expected the node content, but found "
        "'<stream end>'. Check the indentation and quoting there.",
    ]


# --- What the YAML says, said plainly ------------------------------------------------------------

DIAGNOSTICS = [
    (
        "a-text-where-a-list-belongs",
        "networks:\n  - id: n\n    label: N\n    themes: climate, mobility\n",
        "x.yaml:4: 'themes' is the text 'climate, mobility', not a list. "
        "Write 'themes: [climate, mobility]'.",
    ),
    (
        "an-unknown-theme-lists-the-known-ones",
        "networks:\n  - id: n\n    label: N\n    themes: [zzzz]\n",
        "x.yaml:4: unknown theme 'zzzz' in 'themes'. Known themes: architecture, "
        "business-and-exports, circular-economy, citizen-inclusion, climate, climate-adaptation, "
        "construction, covid-recovery, cycling, data-protection, delegation-visits, "
        "economic-growth, energy, energy-efficiency, global-goals, governance, "
        "greenhouse-gas-reduction, health, health-inequality, knowledge-sharing, liveability, "
        "mobility, partnerships, pollution, social-inequality, sport, "
        "sustainable-urban-development, talent-and-investment, waste-management, wastewater, "
        "water-and-sanitation.",
    ),
    (
        "yes-no-in-a-text-field",
        "countries:\n  - id: atlantis\n    label: Atlantis\n    code: NO\n",
        "x.yaml:4: 'code' is NO, which YAML reads as false. Quote it: code: \"NO\".",
    ),
    (
        "an-unclosed-quote",
        'cities:\n  - id: a\n    label: "Aarhus\n  - id: b\n    label: B\n',
        "x.yaml:3: malformed YAML: a quote opened on this line is never closed. Close the quote.",
    ),
    (
        "a-tab",
        "cities:\n\t- id: a\n",
        "x.yaml:2: malformed YAML: the line holds a tab. Indent with spaces.",
    ),
    (
        "an-id-with-letters-outside-ascii",
        "cities:\n  - id: københavn\n    label: København\n",
        "x.yaml:2: 'københavn' is not a valid ID. Use lower-case letters, digits and '-', "
        "starting with a letter or digit. Did you mean 'kobenhavn'?",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in DIAGNOSTICS], ids=[c[0] for c in DIAGNOSTICS]
)
def test_yaml_diagnostics(run: Run, tmp_path: Path, text: str, expected: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "x.yaml").write_text(text, encoding="utf-8")
    result = run("validate", data)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {data}/{expected}\n"


def test_files_that_are_not_dataset_files_are_skipped_with_a_note(run: Run, tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "members.xlsx.yaml").write_text("network: c40\n", encoding="utf-8")
    (data / "README.md").write_text("# Notes\n", encoding="utf-8")
    result = run("build", data, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{data}/README.md: skipped: not a dataset file (.yaml or .csv).",
        f"{data}/members.xlsx.yaml: skipped: a sidecar of 'members.xlsx' (the options of a "
        "list), not dataset entries.",
    ]


# --- Sections belong to their document -------------------------------------------------------------


def test_section_ids_are_scoped_to_their_document(run: Run, both_store: Path) -> None:
    # Both strategies have an s-introduction and an s-principles.
    rows = _rows(run, "search", "-p", "text=introduction", "--store", both_store)
    assert sorted(r["id"] for r in rows if r["kind"] == "section") == [
        "fjordby-strategy/s-introduction",
        "international-strategy/s-introduction",
    ]


def test_a_section_two_documents_have_must_be_named_in_full(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "quotes"
    data.mkdir()
    (data / "x.yaml").write_text(
        "networks:\n  - id: quoted\n    label: Quoted\n    evidence:\n"
        "      - {section: s-introduction, quote: A quote.}\n"
        "      - {section: fjordby-strategy/s-introduction, quote: Fjordby is a harbour city.}\n",
        encoding="utf-8",
    )
    result = run("validate", CPH, FJORDBY, data)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {data}/x.yaml:4: the section 's-introduction' is in several documents "
        "(fjordby-strategy/s-introduction, international-strategy/s-introduction). Write the one "
        "you mean in full, like 'section: fjordby-strategy/s-introduction'.\n"
    )


# --- The home city comes from the data -----------------------------------------------------------


def test_home_commands_in_a_store_without_copenhagen(run: Run, fjordby_store: Path) -> None:
    store = ("--store", fjordby_store)
    overlaps = _json(run, "overlaps", *store, *AS_OF)
    assert isinstance(overlaps, list)
    assert [(r["actor"], r["shared"]) for r in overlaps] == [
        ("skerrystad", 2), ("hamburg", 1), ("lisbon", 1),
    ]  # fmt: skip
    themes = _json(run, "analyze", "themes", *store, *AS_OF)
    assert isinstance(themes, list)
    harbour = next(r for r in themes if r["theme"] == "harbour-development")
    assert [i["id"] for i in harbour["initiatives"]] == [
        "fjordby-harbour-days-2024", "fjordby-skerrystad-agreement", "harbour-cities",
    ]  # fmt: skip
    assessed = _json(run, "assess", "--city", "Lisbon", *store, *AS_OF)
    assert isinstance(assessed, dict) and assessed["home"] == "fjordby"
    networks = _rows(run, "networks-of", *store)
    assert [(r["id"], r["role"]) for r in networks] == [
        ("c40", "member"),
        ("harbour-cities", "founder"),
    ]
    common = _rows(run, "common-ground", "-p", "b=lisbon", *store)
    assert [r["id"] for r in common] == ["harbour-cities"]
    partners = _rows(run, "partners-of", "-p", "min_shared=1", *store)
    assert [r["id"] for r in partners][:1] == ["skerrystad"]
    principles = _rows(run, "principles", *store)
    assert [r["id"] for r in principles] == [
        "fjordby-principle-1", "fjordby-principle-2", "fjordby-principle-3",
    ]  # fmt: skip
    purposes = _rows(run, "initiatives-by-purpose", "-p", "purpose=learn", *store)
    assert [r["id"] for r in purposes] == ["c40"]


@pytest.mark.parametrize(
    "args",
    [
        ["overlaps"],
        ["assess", "--city", "Lisbon"],
        ["analyze", "themes"],
        ["query", "networks-of"],
    ],
)
def test_several_homes_ask_which(run: Run, both_store: Path, args: list[str]) -> None:
    result = run(*args, "--store", both_store)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {both_store} holds several homes: copenhagen (Copenhagen), fjordby (Fjordby). "
        f"{HOMES}"
    )
    chosen = run(*args, "--store", both_store, env={"CITYKG_HOME": "fjordby"})
    assert chosen.exit_code == 0, chosen.output


def test_a_command_that_needs_no_home_does_not_ask(run: Run, both_store: Path) -> None:
    assert run("overlaps", "--all-pairs", "--top", "1", "--store", both_store).exit_code == 0
    assert run("overlaps", "beijing", "--top", "1", "--store", both_store).exit_code == 0
    assert run("query", "networks-of", "-p", "actor=fjordby", "--store", both_store).exit_code == 0


def test_the_stores_one_home_comes_before_the_environment(run: Run, fjordby_store: Path) -> None:
    result = run("overlaps", "--top", "1", "--store", fjordby_store, env={"CITYKG_HOME": "x"})
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: the home is fjordby, the store's only one; $CITYKG_HOME=x applies to stores with "
        "several homes. Give --home x to work for it.\n"
    )


def test_a_store_without_a_home(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run("build", FIXTURES / "members" / "dataset", "--store", store, "-q").exit_code == 0
    result = run("analyze", "themes", "--store", store)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {store} holds no home (no dataset says 'home:'). {HOMES}"
    )


def test_each_home_is_assessed_by_its_own_principles(run: Run, both_store: Path) -> None:
    home = ("--store", both_store, *AS_OF)
    fjordby = _json(
        run, "assess", "--home", "fjordby", "--city", "Skerrystad", "--theme",
        "harbour-development", "--purpose", "learn", *home,
    )  # fmt: skip
    assert isinstance(fjordby, dict)
    assert fjordby["council"] == (
        "A binding agreement must be assessed for City Council approval (principle 1: The City "
        "Council approves every binding agreement); the Council approved Fjordby–Skerrystad "  # noqa: RUF001
        "harbour agreement (fictional) on 2022-04-20: check whether the new one falls within it."
    )
    assert [(r["points"], r["reason"]) for r in fjordby["reasons"]] == [
        (2, "shares the cooperation Fjordby–Skerrystad harbour agreement (fictional) (current)"),  # noqa: RUF001
        (3, "shares the city network Harbour Cities Network (fictional) (current)"),
        (2, "Fjordby works on Harbour development in 4 initiatives"),
        (2, "principle 2 prioritises Harbour development"),
        (1, "the purpose 'Learn' matches 1 of these initiatives"),
    ]
    assert [p["id"] for p in fjordby["principles"]] == ["fjordby-principle-3"]
    # C40 is Fjordby's to learn, Copenhagen's to influence and inspire: each home's own purposes.
    assert [i["id"] for i in fjordby["purpose"]["initiatives"]] == ["c40"]
    copenhagen = _json(run, "assess", "--home", "copenhagen", "--city", "Lisbon", "--purpose",
                       "learn", *home)  # fmt: skip
    assert isinstance(copenhagen, dict)
    assert "c40" not in [i["id"] for i in copenhagen["purpose"]["initiatives"]]
    assert copenhagen["council"].endswith(
        "(principle 6: Check whether the City Council must approve)."
    )


def test_copenhagens_assessment_is_the_same_beside_fjordby(
    run: Run, both_store: Path, copenhagen_store: Path
) -> None:
    args = ("assess", "--city", "Beijing", "--theme", "climate", "--purpose", "learn", *AS_OF)
    alone = _json(run, *args, "--store", copenhagen_store)
    together = _json(run, *args, "--home", "copenhagen", "--store", both_store)
    assert isinstance(alone, dict) and isinstance(together, dict)
    # Fjordby takes part in C40 too; nothing else of the assessment changes.
    assert {k: v for k, v in alone.items() if k != "themes"} == {
        k: v for k, v in together.items() if k != "themes"
    }


def test_themes_count_only_the_homes_initiatives(run: Run, both_store: Path) -> None:
    rows = _json(run, "analyze", "themes", "--home", "fjordby", "--store", both_store, *AS_OF)
    assert isinstance(rows, list)
    adaptation = next(r for r in rows if r["theme"] == "climate-adaptation")
    assert [i["id"] for i in adaptation["initiatives"]] == ["c40", "harbour-cities"]


def test_a_principle_belongs_to_a_home(run: Run, tmp_path: Path) -> None:
    fjordby = _copy(tmp_path)
    _edit(fjordby / "dataset.yaml", "  home: fjordby\n", "")
    line = _line(fjordby / "work.yaml", "- id: fjordby-principle-1")
    result = run("validate", fjordby)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: {fjordby}/work.yaml:{line}: the principle 'fjordby-principle-1' belongs to no "
        "home: its document 'fjordby-strategy' has no publisher. Add 'home: ID' (whose strategy "
        "it is) to the dataset entry, or 'publisher: ID' to the document."
    )


def test_an_unknown_principle_topic_lists_the_known_ones(run: Run, tmp_path: Path) -> None:
    fjordby = _copy(tmp_path)
    _edit(fjordby / "work.yaml", "about: [networks-first]", "about: [network-first, nope]")
    line = _line(fjordby / "work.yaml", "about: [network-first")
    result = run("validate", fjordby)
    assert result.stderr == (
        f"Error: {fjordby}/work.yaml:{line}: unknown principle topic 'network-first' in "
        "'about'. Did you mean 'networks-first'?\n"
    )


def test_stats_per_dataset_and_home(run: Run, both_store: Path) -> None:
    by_home = run("stats", "--by", "home", "--format", "csv", "--store", both_store)
    rows = by_home.stdout.splitlines()
    assert rows[0] == "home,kind,count"
    assert "fjordby,principle,3" in rows and "copenhagen,principle,7" in rows
    assert "fjordby,network,2" in rows and ",country,249" in rows
    by_dataset = run("stats", "--by", "dataset", "--format", "csv", "--store", both_store)
    assert "fjordby-links,,network,1" in by_dataset.stdout.splitlines()


def test_the_vocabulary_is_in_every_build(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "tiny"
    data.mkdir()
    (data / "cities.yaml").write_text(
        "cities:\n  - {id: atlantis-test, label: Atlantis (fictional), country: denmark}\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run("build", data, vocabulary_path(), "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(" triples from tiny, vocabulary (validated).\n")


# Every quote of the fixture stands in the section it names (a loaded text is checked).
FJORDBY_TEXT = """Introduction

Fjordby is a harbour city that works with the world. The Harbour Plan sets our course.

Our principles

Harbour development comes first. We find our partners in our networks. No binding
agreement without the City Council's approval.

Networks and partners

WHAT WE ARE DOING TO BRAND AND PROMOTE:
Fjordby shows its harbour to the world through C40.

Fjordby joined C40 to learn from bigger cities. The Harbour Cities Network is our home
among cities. We work with Hamburg and Lisbon on harbours. Our agreement with Skerrystad
runs for four years. Every June the Harbour Days bring partners to Fjordby.
"""


# Fictional notes of Fjordby's, a document of their own (no dataset quotes them).
NOTES_TEXT = """Opening

Fjordby is a harbour city that works with the world.

Networks and partners

WHAT WE ARE DOING TO BRAND AND PROMOTE:
Fjordby shows its harbour to the world through C40.
"""


def test_a_purpose_box_gives_its_documents_publisher_the_purposes(run: Run, tmp_path: Path) -> None:
    # Fictional text of Fjordby's (fictional) strategy: its box names C40, which Copenhagen's
    # dataset shares. The purposes are Fjordby's, not Copenhagen's.
    store = tmp_path / "store"
    assert run("build", CPH, FJORDBY, "--store", store, "-q").exit_code == 0
    text = tmp_path / "fjordby-strategy.txt"
    text.write_text(FJORDBY_TEXT, encoding="utf-8")
    loaded = run("load", "text", text, "--document", "fjordby-strategy", "--store", store, "-q")
    assert loaded.exit_code == 0, loaded.output
    args = ("assess", "--city", "Lisbon", "--purpose", "brand-and-promote", *AS_OF)
    fjordby = _json(run, *args, "--home", "fjordby", "--store", store)
    copenhagen = _json(run, *args, "--home", "copenhagen", "--store", store)
    assert isinstance(fjordby, dict) and isinstance(copenhagen, dict)
    assert [i["id"] for i in fjordby["purpose"]["initiatives"]] == ["c40"]
    # Copenhagen's strategy brands and promotes through FORCE, not through C40.
    assert [i["id"] for i in copenhagen["purpose"]["initiatives"]] == ["force"]
    # A new document without a publisher gives no home any purpose; with one, that home.
    plain = tmp_path / "notes.txt"
    plain.write_text(NOTES_TEXT, encoding="utf-8")
    args = ("load", "text", plain, "--id", "notes", "--store", store, "-q")
    assert run(*args, "--publisher", "fjordbi").stderr == (
        f"Error: {plain}: unknown actor 'fjordbi' for --publisher. Did you mean 'fjordby'?\n"
    )
    assert run(*args, "--publisher", "fjordby").exit_code == 0
    rows = _rows(run, "initiatives-by-purpose", "-p", "purpose=brand-and-promote",
                 "-p", "home=fjordby", "--store", store)  # fmt: skip
    assert [r["id"] for r in rows] == ["c40"]


def test_the_purposes_of_an_internal_entity_stay_internal(run: Run, tmp_path: Path) -> None:
    # A purpose statement's IRI names the entity it is about: it goes where the entity goes.
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.yaml").write_text(
        "# Fictional test data.\n"
        "dataset: {id: town, title: A fictional town, home: town-x}\n"
        "cities:\n  - {id: town-x, label: Town X}\n"
        "networks:\n"
        "  - {id: secret-net, label: Secret, purposes: [learn], internal: true,"
        ' evidence: [{source: "https://example.org/s"}]}\n'
        "  - {id: open-net, label: Open, purposes: [learn], internal: [purposes],"
        ' evidence: [{source: "https://example.org/o"}]}\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    public = run("export", "--store", store, "--format", "nt").stdout
    assert "secret" not in public and "/purpose/town-x/" not in public
    assert "<https://w3id.org/citykg/id/open-net> " in public
    internal = run("export", "--store", store, "--format", "nt", "--include-internal").stdout
    assert internal.count("<https://w3id.org/citykg/id/purpose/town-x/") == 10


def test_a_dataset_refers_to_an_entity_an_rdf_file_defines(run: Run, tmp_path: Path) -> None:
    rdf = tmp_path / "lab.ttl"
    rdf.write_text(
        "# Fictional test data.\n"
        "@prefix ckg: <https://w3id.org/citykg/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/citykg/id/harbour-lab> a ckg:ResearchInstitute ;\n"
        '  ckg:kind "organisation" ; dcterms:identifier "harbour-lab" ;\n'
        '  rdfs:label "Harbour Lab (fictional)"@en .\n',
        encoding="utf-8",
    )
    data = tmp_path / "data"
    data.mkdir()
    (data / "m.yaml").write_text(
        "memberships:\n  - {member: harbour-lab, organization: harbour-cities,"
        ' evidence: [{source: "https://example.org/lab"}]}\n',
        encoding="utf-8",
    )
    for order in ([rdf, data, FJORDBY], [FJORDBY, data, rdf]):
        assert run("validate", *order).exit_code == 0
    wrong = run("validate", data, FJORDBY)
    assert wrong.stderr == (
        f"Error: {data}/m.yaml:2: unknown city, region, organisation or administration "
        "'harbour-lab' in 'member'.\n"
    )


def test_the_map_shows_and_filters_by_dataset(run: Run, both_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "fjordby.html"
    result = run(
        "map", "--dataset", "fjordby", "--home", "fjordby", "-o", page, "--store", both_store
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {page}: 13 nodes, 18 links.\n"
    assert "<title>Fjordby&#x27;s international networks (from dataset fjordby)</title>" in (
        page.read_text(encoding="utf-8")
    )
    both = run(
        "map", "--dataset", "fjordby", "--dataset", "fjordby-links", "--home", "fjordby",
        "-o", page, "--store", both_store,
    )  # fmt: skip
    assert both.stdout == f"Wrote {page}: 14 nodes, 19 links.\n"
    wrong = run(
        "map", "--dataset", "fjordbi", "--home", "fjordby", "-o", page, "--store", both_store
    )
    assert wrong.exit_code == 1
    assert wrong.stderr == (
        "Error: no node has dataset 'fjordbi'. Did you mean 'fjordby' or 'fjordby-links'?\n"
    )


def test_network_exports_show_and_filter_by_dataset(
    run: Run, both_store: Path, tmp_path: Path
) -> None:
    every = run("export", "--format", "csv", "-o", tmp_path / "all", "--store", both_store)
    assert every.exit_code == 0, every.output
    rows = list(csv.DictReader((tmp_path / "all-nodes.csv").open(encoding="utf-8")))
    assert Counter(r["datasets"] for r in rows) == {
        "copenhagen": 232,
        "fjordby": 6,
        "copenhagen; fjordby": 2,
        "copenhagen; fjordby; fjordby-links": 1,
        "copenhagen; fjordby-links": 1,
    }
    result = run(
        "export", "--format", "csv", "--dataset", "fjordby", "-o", tmp_path / "fj",
        "--store", both_store,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "fj-nodes.csv").open(encoding="utf-8")))
    assert [(r["id"], r["datasets"]) for r in rows] == [
        ("fjordby", "fjordby"),
        ("fjordby-harbour-office", "fjordby"),
        ("hamburg", "copenhagen; fjordby"),
        ("lisbon", "copenhagen; fjordby"),
        ("skerrystad", "fjordby"),
        ("c40", "copenhagen; fjordby; fjordby-links"),
        ("fjordby-harbour-days-2024", "fjordby"),
        ("fjordby-skerrystad-agreement", "fjordby"),
        ("harbour-cities", "fjordby"),
    ]
    unknown = run("export", "--format", "gexf", "--dataset", "nope", "--store", both_store)
    assert unknown.exit_code == 1
    assert unknown.stderr == (
        "Error: no actor or collaboration comes from the dataset 'nope'. "
        "Known datasets: copenhagen, fjordby, fjordby-links.\n"
    )
    rdf = run("export", "--dataset", "fjordby", "--store", both_store)
    assert rdf.exit_code == 2
    assert "Error: --dataset goes with the network formats (graphml, gexf, csv, json)." in (
        rdf.stderr
    )
