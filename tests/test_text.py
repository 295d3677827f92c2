"""A strategy document's plain text, through ``citykg load-text``: repairs, passages, purposes,
mentions, the ``mentions`` query, and (when the seed text is at hand) the real strategy."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import Literal

from citykg.graph.store import open_dataset, read_info
from citykg.queries.sparql import LocalSource

Run = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "text"
QUERIES = Path(__file__).parent.parent / "queries"
# The strategy text lies in shared/ beside a clone (as CI lays it out); a user's clone has none.
_SEED_NAME = "shared/seed/000_479bede20fa12d76.txt"
SEED = next(
    (
        p
        for p in (Path(__file__).resolve().parents[2] / _SEED_NAME, Path("/work") / _SEED_NAME)
        if p.exists()
    ),
    Path("/work") / _SEED_NAME,
)

PREFIXES = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture
def store(tmp_path: Path, run: Run) -> Path:
    path = tmp_path / "store"
    assert run("build", HERE / "dataset", "--store", path, "-q", "--no-validate").exit_code == 0
    return path


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("strategy.txt", "plan.txt"):
        shutil.copy(HERE / name, folder / name)
    return folder


def select(store: Path, query: str) -> list[tuple[str, ...]]:
    result = LocalSource(open_dataset(store)).select(PREFIXES + query)
    return [tuple(str(row[v]) for v in result.variables) for row in result.rows]


def passages(store: Path) -> list[tuple[str, ...]]:
    return select(
        store,
        """SELECT ?section ?n ?quote WHERE {
             ?p a ckg:Passage ; dcterms:isPartOf/dcterms:identifier ?section ;
                ckg:number ?n ; prov:value ?quote ;
                prov:wasQuotedFrom ?doc . } ORDER BY ?section ?n""",
    )


def mentions(store: Path) -> list[tuple[str, ...]]:
    return select(
        store,
        """SELECT ?section ?entity WHERE {
             ?s ckg:mentions/dcterms:identifier ?entity ; dcterms:identifier ?section .
           } ORDER BY ?section ?entity""",
    )


def test_known_document_repairs_artefacts_and_links_sections(
    store: Path, texts: Path, run: Run
) -> None:
    result = run("load-text", texts / "strategy.txt", "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:4] == [
        "strategy.txt: 3 sections of 'harbour-strategy', 9 passages, 8 mentions, 2 purpose boxes; "
        "repaired 1 hyphenation and 1 split word.",
        "strategy.txt: lines 14-18: dropped a stray footer ('CONFIDENTIAL - PROPERTY OF ACME / "
        "Charte / graphique')",
        "strategy.txt: line 27: dropped a repeat of line 26",
        "strategy.txt: joined 'Admini' and 'stration' into 'Administration'",
    ]
    assert read_info(store).validated
    assert passages(store) == [
        (
            "harbour-strategy/s-blue",
            "1",
            "Copenhagen is a member of Blue Cities, where cities share solutions for a "
            "CO2-neutral harbour.",
        ),
        (
            "harbour-strategy/s-intro",
            "1",
            "Through its international work, the City of Copenhagen wants to learn from others.",
        ),
        ("harbour-strategy/s-intro", "2", "People who live here benefit."),
        ("harbour-strategy/s-intro", "3", "The Finance Administration coordinates the work."),
        ("harbour-strategy/s-projects", "1", "As head of TIDE, Copenhagen works with Aarhus."),
        (
            "harbour-strategy/s-projects",
            "2",
            "The city\u2019s Task Force and the Harbour Festival draw visitors.",
        ),
        ("harbour-strategy/s-projects", "3", "The tide turns in spring."),
        ("harbour-strategy/s-projects", "4", "Copenhagen\u2019s harbour is open to all."),
        (
            "harbour-strategy/s-projects",
            "5",
            "Requests are assessed case by case, cf. the principles.",
        ),
    ]
    # "who" and "tide" in lower case are words, not the acronyms WHO and TIDE.
    assert mentions(store) == [
        ("harbour-strategy/s-blue", "blue-cities"),
        ("harbour-strategy/s-blue", "copenhagen"),
        ("harbour-strategy/s-intro", "copenhagen"),
        ("harbour-strategy/s-intro", "finance-administration"),
        ("harbour-strategy/s-projects", "aarhus"),
        ("harbour-strategy/s-projects", "copenhagen"),
        ("harbour-strategy/s-projects", "harbour-festival"),
        ("harbour-strategy/s-projects", "tide"),
    ]
    # The Danish box is "cooperate"; a box's purposes go to the initiatives of its section.
    assert select(
        store,
        "SELECT ?s ?p WHERE { ?x ckg:purposeOfSection ?y . ?x dcterms:identifier ?s . "
        "?y dcterms:identifier ?p } ORDER BY ?s ?p",
    ) == [
        ("harbour-strategy/s-blue", "cooperate"),
        ("harbour-strategy/s-projects", "brand-and-promote"),
        ("harbour-strategy/s-projects", "learn"),
    ]
    assert select(
        store,
        "SELECT ?e ?p WHERE { GRAPH <https://w3id.org/citykg/graph/source/text-strategy> "
        "{ ?x ckg:purpose ?y } ?x dcterms:identifier ?e . ?y dcterms:identifier ?p } ORDER BY ?e "
        "?p",
    ) == [
        ("blue-cities", "cooperate"),
        ("harbour-festival", "brand-and-promote"),
        ("harbour-festival", "learn"),
        ("tide", "brand-and-promote"),
        ("tide", "learn"),
    ]


def test_new_document_takes_headings_from_blank_lines(store: Path, texts: Path, run: Run) -> None:
    result = run(
        "load",
        "text",
        texts / "plan.txt",
        "--id",
        "harbour-plan",
        "--title",
        "Harbour Plan 2030",
        "--store",
        store,
        "-q",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "plan.txt: 2 sections of 'harbour-plan', 2 passages, 5 mentions, 1 purpose box; "
        "repaired 0 hyphenations and 0 split words."
    )
    assert select(
        store,
        "SELECT ?id ?n ?title WHERE { ?s dcterms:isPartOf "
        "<https://w3id.org/citykg/id/harbour-plan> ; "
        "dcterms:identifier ?id ; ckg:number ?n ; rdfs:label ?title } ORDER BY ?n",
    ) == [
        ("harbour-plan/our-aims", "1", "Our aims"),
        ("harbour-plan/blue-cities", "2", "Blue Cities"),
    ]
    assert mentions(store) == [
        ("harbour-plan/blue-cities", "blue-cities"),
        ("harbour-plan/blue-cities", "copenhagen"),
        ("harbour-plan/our-aims", "aarhus"),
        ("harbour-plan/our-aims", "health"),  # a theme of the shared vocabulary
        ("harbour-plan/our-aims", "who"),
    ]


def test_mentions_query_answers_where_the_strategy_talks_about_x(
    store: Path, texts: Path, run: Run
) -> None:
    assert run("load-text", texts / "strategy.txt", "--store", store, "-q").exit_code == 0
    query = (QUERIES / "mentions.rq").read_text(encoding="utf-8")
    assert query.startswith("# title: ") and "\n# param: entity string c40\n" in query
    source = LocalSource(open_dataset(store))
    for name in ("tide", "TIDE", "Tidal Energy for Cities"):
        rows = source.select(query, {"entity": Literal(name)}).rows
        assert [(str(r["id"]), str(r["section"]), str(r["quote"])) for r in rows] == [
            (
                "tide",
                "Projects, events and delegations",
                "As head of TIDE, Copenhagen works with Aarhus.",
            ),
        ]
    rows = source.select(query, {"entity": Literal("københavn")}).rows
    assert [(str(r["section"]), str(r["quote"])) for r in rows][:2] == [
        (
            "Introduction",
            "Through its international work, the City of Copenhagen wants to learn from others.",
        ),
        (
            "Blue Cities Network",
            "Copenhagen is a member of Blue Cities, where cities share solutions for a "
            "CO2-neutral harbour.",
        ),
    ]
    assert source.select(query, {"entity": Literal('x" } DROP ALL #')}).rows == ()


# --- Errors ------------------------------------------------------------------------------------


def test_errors(store: Path, texts: Path, tmp_path: Path, run: Run) -> None:
    before = read_info(store).data
    path = texts / "strategy.txt"
    result = run("load-text", path, "--document", "harbour-strategi", "--store", store, "-q")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {path}: unknown document 'harbour-strategi'. Did you mean 'harbour-strategy'?\n"
    )
    result = run("load-text", texts / "plan.txt", "--id", "aarhus", "--store", store, "-q")
    assert result.stderr == (
        f"Error: {texts / 'plan.txt'}: the ID 'aarhus' is taken by an earlier source. "
        "Give the document another ID with --id, or name the known one with --document.\n"
    )
    result = run("load-text", path, "--skip", "([", "--store", store, "-q")
    assert result.stderr.startswith(f"Error: {path}: bad skip pattern: ")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02")
    result = run("load-text", binary, "--store", store, "-q")
    assert (
        result.stderr
        == f"Error: {binary}: is not a plain text file. Extract the text first (for a PDF: "
        "pdftotext).\n"
    )
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Intro\n\nK\xf8benhavn\n".encode("latin-1"))
    result = run("load-text", latin1, "--store", store, "-q")
    assert result.stderr == f"Error: {latin1}:3: is not UTF-8 text. Save it as UTF-8.\n"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    result = run("load-text", empty, "--store", store, "-q")
    assert (
        result.stderr
        == f"Error: {empty}: no sections were found in the text. Separate headings from the text "
        "with blank lines.\n"
    )
    assert read_info(store).data == before


def test_skip_pattern_drops_lines(store: Path, texts: Path, run: Run) -> None:
    result = run(
        "load-text", texts / "strategy.txt", "--skip", "open to all", "--store", store, "-q"
    )
    assert result.exit_code == 0, result.output
    assert "strategy.txt: line 31: dropped (matches a skip pattern)" in result.stderr.splitlines()
    quotes = [p[2] for p in passages(store)]
    assert "Copenhagen\u2019s harbour is open to all." not in quotes
    assert "Requests are assessed case by case, cf. the principles." in quotes


# --- The real strategy --------------------------------------------------------------------------

# Read by hand from the strategy: the sections that name each network and project of the
# built-in dataset by its label or an alternative label.
EXPECTED = {
    "c40": {"international-strategy/s-c40"},
    "c40-professional-networks": {"international-strategy/s-c40"},
    "c40-covid-task-force": {"international-strategy/s-c40"},
    "who-healthy-cities": {"international-strategy/s-who-healthy-cities"},
    "greater-copenhagen": {"international-strategy/s-greater-copenhagen"},
    "force": {"international-strategy/s-ssc-eu-delegations"},
}


@pytest.mark.seed
@pytest.mark.skipif(not SEED.exists(), reason="the strategy text in ../shared/seed is not here")
def test_real_strategy_links_every_network_and_project(tmp_path: Path, run: Run) -> None:
    store = tmp_path / "store"
    result = run("load-text", SEED, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{SEED.name}: 13 sections of 'international-strategy', ")
    assert f"{SEED.name}: joined 'Admini' and 'stration' into 'Administration'" in lines
    assert any("dropped a stray footer ('DOCUMENT CONFIDENTIEL" in line for line in lines)
    assert any("dropped a repeat of line" in line for line in lines)
    found = select(
        store,
        """SELECT ?id ?section WHERE {
             ?e ckg:kind ?kind ; dcterms:identifier ?id . FILTER(?kind IN ("network", "project"))
             OPTIONAL { ?s ckg:mentions ?e ; dcterms:identifier ?section } }""",
    )
    linked: dict[str, set[str]] = {}
    for identifier, section in found:
        linked.setdefault(identifier, set()).add(section)
    assert linked == EXPECTED
    # The Danish box of the Greater Copenhagen section is "cooperate".
    assert select(
        store,
        "SELECT ?p WHERE { <https://w3id.org/citykg/id/international-strategy/s-greater-copenhagen> "
        "ckg:purposeOfSection/dcterms:identifier ?p }",
    ) == [("cooperate",)]


def test_a_txt_file_holding_rdf_is_not_a_document(tmp_path: Path, run: Run) -> None:
    turtle = tmp_path / "partners.txt"
    turtle.write_text("# exported\n@prefix id: <https://w3id.org/citykg/id/> .\n")
    result = run("build", turtle, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {turtle}: no loader reads this kind of source. "
        "Give a dataset folder, or an RDF file (.ttl, .nt, .jsonld, .rdf, .trig).\n"
    )
