"""Fuzzing: whatever a user writes, the loaders and the query binding either work or raise a
CitykgError (one line on the command line), never another exception.
"""

from __future__ import annotations

import contextlib
import copy
import os
import string
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from oxrdflib import OxigraphStore
from rdflib import RDFS, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from citykg.cli import main
from citykg.errors import CitykgError, QueryError
from citykg.graph.build import assemble
from citykg.graph.export import export_rdf
from citykg.loaders.dataset import load_dataset
from citykg.loaders.kinds import COMMON_FIELDS, FIELDS, KINDS, SPEC
from citykg.queries.sparql import LocalSource, bind_values

PROTECTED = Path(__file__).parent / "fixtures" / "reliability" / "protected"

# CITYKG_FUZZ_EXAMPLES=5000 for a deep run; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("CITYKG_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    # One folder reused by every example (hypothesis runs examples inside one test call).
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _load(folder: Path, files: dict[str, str | bytes]) -> None:
    for old in folder.iterdir():
        old.unlink()
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    try:
        load_dataset(folder)
    except CitykgError as exc:
        # The CLI prints exactly this: one line that names the file.
        assert "\n" not in exc.message, exc.message
        assert exc.file


# --- YAML ---------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["2023-02-30", "2023-13", "0000", "9999-12-31", "Q1", "https://x.org/a", "c40", "-"]
    ),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=3),
    ),
    max_leaves=12,
)
FIELD_NAMES = sorted({name for fields in FIELDS.values() for name in fields} | set(COMMON_FIELDS))
entries = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)),
    values,
    max_size=6,
)
documents = st.dictionaries(
    st.one_of(st.sampled_from(KINDS), st.text(max_size=8)),
    st.one_of(st.lists(entries, max_size=4), values),
    max_size=4,
)


@FUZZ
@given(document=documents)
@example(document={"networks": [{"id": "n", "label": "N", "founded": "2023-02-30"}]})
@example(document={"projects": [{"id": "p", "label": "P", "budget_eur": "NaN"}]})
@example(document={"cities": [{"id": "c", "label": "C", "internal": [{"a": 1}]}]})
@example(document={"persons": [{"id": "p", "name": "P", "internal": True, "phone": 4533663366}]})
def test_structured_yaml_loads_or_fails_clearly(folder: Path, document: dict[Any, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    _load(folder, {"data.yaml": text})


@FUZZ
@given(text=st.text(max_size=300))
@example(text="networks:\n  - id: n\n    label: N\n    founded: 2023-02-30\n")
@example(text="cities: [{id: c, label: C, lat: .nan}]")
@example(text="a: &x [*x]")
@example(text="!!python/object:os.system {}")
@example(text="countries:\n  - {id: dk, label: DK, ? [a]: b}\n")
def test_random_yaml_text_loads_or_fails_clearly(folder: Path, text: str) -> None:
    _load(folder, {"data.yaml": text})


# A valid dataset with one entry of every kind: fuzzing one field at a time reaches every
# field's reader, which random documents rarely get past the first check to.
SKELETON: dict[str, Any] = {
    "dataset": {"id": "skeleton", "title": "Skeleton"},
    "documents": [{"id": "doc", "title": "Doc", "sections": [{"id": "s-one", "title": "One"}]}],
    "themes": [
        {"id": "climate", "label": "Climate", "sdg": 13},
        {"id": "heat", "label": "Heat", "broader": "climate"},
    ],
    "purposes": [{"id": "learn", "label": "Learn"}],
    "roles": [{"id": "member", "label": "Member"}],
    "countries": [{"id": "denmark", "label": "Denmark", "code": "DK"}],
    "regions": [{"id": "capital-region", "label": "Capital Region", "country": "denmark"}],
    "cities": [
        {"id": "copenhagen", "label": "Copenhagen", "country": "denmark", "lat": 55.6, "long": 12.5}
    ],
    "administrations": [{"id": "finance", "label": "Finance", "part_of": "copenhagen"}],
    "organisations": [
        {"id": "uni", "label": "Uni", "type": "university", "located_in": "copenhagen"}
    ],
    "networks": [
        {"id": "net", "label": "Net", "founded": 1990, "themes": ["heat"], "purposes": ["learn"]}
    ],
    "programmes": [{"id": "prog", "label": "Prog", "organizer": "uni"}],
    "projects": [
        {
            "id": "proj",
            "label": "Proj",
            "start": "2020-01",
            "end": 2022,
            "programme": "prog",
            "budget_eur": 100,
            "supports": ["plan"],
            "evidence": [{"section": "s-one", "quote": "Q."}],
        }
    ],
    "cooperations": [
        {
            "id": "coop",
            "label": "Coop",
            "parties": ["copenhagen", "uni"],
            "binding": True,
            "evidence": [{"source": "https://example.org/a"}],
        }
    ],
    "events": [
        {
            "id": "summit",
            "label": "Summit",
            "start": "2021-05-01",
            "location": "copenhagen",
            "hosts": ["copenhagen"],
        }
    ],
    "plans": [{"id": "plan", "label": "Plan", "type": "strategy", "year": 2020}],
    "principles": [{"id": "p1", "label": "P1", "number": 1}],
    "persons": [{"id": "anna", "name": "Anna", "internal": True, "works_for": "finance"}],
    "memberships": [
        {
            "member": "copenhagen",
            "organization": "net",
            "role": "member",
            "start": 2000,
            "evidence": [{"source": "https://example.org/m"}],
        }
    ],
}


@FUZZ
@given(
    kind=st.sampled_from(sorted(SKELETON)),
    name=st.sampled_from(sorted({n for spec in SPEC.values() for n in spec})),
    value=values,
)
def test_one_fuzzed_field_in_a_valid_dataset_loads_or_fails_clearly(
    folder: Path, kind: str, name: str, value: Any
) -> None:
    document = copy.deepcopy(SKELETON)
    entry = document[kind] if kind == "dataset" else document[kind][0]
    entry[name] = value
    _load(folder, {"data.yaml": yaml.safe_dump(document, allow_unicode=True)})


def test_the_skeleton_is_valid(folder: Path) -> None:
    _load(folder, {"data.yaml": yaml.safe_dump(SKELETON)})
    assert "anna" in load_dataset(folder).ids


_VALID = "\n".join(p.read_text(encoding="utf-8") for p in sorted(PROTECTED.glob("*.yaml")))


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(_VALID)),
            st.integers(min_value=0, max_value=8),
            st.text(alphabet=string.printable + "äø€\t\x00", max_size=6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_dataset_loads_or_fails_clearly(
    folder: Path, edits: list[tuple[int, int, str]]
) -> None:
    # A valid dataset with a few characters deleted, replaced or inserted.
    text = _VALID
    for at, remove, insert in edits:
        text = text[:at] + insert + text[at + remove :]
    _load(folder, {"data.yaml": text})


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_load_or_fail_clearly(folder: Path, raw: bytes) -> None:
    _load(folder, {"data.yaml": raw})


# --- CSV ----------------------------------------------------------------------------------------

cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "copenhagen", "c40", "2023-02-30", "a|b", '"', ",", ";", "\t", "\n", "1e400"]
    ),
)
CSV_KINDS = [k for k in KINDS if k != "dataset"]


@FUZZ
@given(
    kind=st.sampled_from(CSV_KINDS),
    header=st.lists(
        st.one_of(st.sampled_from([*FIELD_NAMES, "source_url"]), st.text(max_size=6)), max_size=6
    ),
    rows=st.lists(st.lists(cells, max_size=7), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_cells_load_or_fail_clearly(
    folder: Path, kind: str, header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    def line(row: list[str]) -> str:
        return delimiter.join(
            '"' + c.replace('"', '""') + '"' if any(x in c for x in ',;\t"\n') else c for c in row
        )

    base = (
        "countries:\n  - {id: denmark, label: Denmark}\n"
        "cities:\n  - {id: copenhagen, label: Copenhagen}\n"
    )
    text = "\n".join(line(row) for row in [header, *rows]) + "\n"
    _load(folder, {"base.yaml": base, f"{kind}-list.csv": text})


@FUZZ
@given(raw=st.text(max_size=300))
def test_random_csv_text_loads_or_fails_clearly(folder: Path, raw: str) -> None:
    _load(folder, {"cities-list.csv": raw})


# --- Query parameters -----------------------------------------------------------------------

P = URIRef("urn:citykg:test:p")
QUERY = "SELECT ?s WHERE { ?s <urn:citykg:test:p> ?value }"


def _sources(value: Literal | URIRef) -> list[LocalSource]:
    # Both engines: Oxigraph (the store) and rdflib's own (what many rdflib-based tools run).
    sources = []
    for data in (Dataset(store=OxigraphStore(store=ox.Store()), default_union=True), Dataset()):
        data.add((URIRef("urn:citykg:test:hit"), P, value))
        data.add((URIRef("urn:citykg:test:other"), P, Literal("another value")))
        sources.append(LocalSource(data))
    return sources


@FUZZ
@given(text=st.text(max_size=60))
@example(text='x" } DROP ALL #')
@example(text="x' } ; DELETE WHERE { ?s ?p ?o } #")
@example(text='\\" . ?s ?p ?o . #')
@example(text='"""')
@example(text="a\tb")
def test_a_literal_parameter_never_changes_the_query(text: str) -> None:
    value = Literal(text)
    for source in _sources(value):
        rows = source.select(QUERY, {"value": value}).rows
        assert [str(row["s"]) for row in rows] == ["urn:citykg:test:hit"]


@FUZZ
@given(text=st.text(max_size=60))
@example(text="x> } DROP ALL #")
@example(text="urn:a> ?p ?o } #")
@example(text="")
def test_an_iri_parameter_is_bound_exactly_or_refused(text: str) -> None:
    # oxrdflib stores rdflib's name of the default graph as Oxigraph's default graph, so this
    # one IRI cannot be the test data's object; as a parameter citykg refuses it cleanly
    # (no entity has it), which test_query_errors covers.
    assume(text != str(DATASET_DEFAULT_GRAPH_ID))
    value = URIRef(text)
    try:
        query = bind_values(QUERY, {"value": value})
    except QueryError as exc:
        assert exc.problem.startswith("the value of 'value' is not a valid IRI")
        return
    for source in _sources(value):
        rows = source.select(query).rows
        assert [str(row["s"]) for row in rows] == ["urn:citykg:test:hit"]


@FUZZ
@given(name=st.text(max_size=12), query=st.text(max_size=80))
@example(name="a b", query=QUERY)
@example(name="value", query='SELECT * WHERE { "unterminated')
@example(name="value", query="CONSTRUCT { ?s ?p ?o } # WHERE {")
def test_any_parameter_name_and_query_text_bind_or_fail_clearly(name: str, query: str) -> None:
    try:
        bound = bind_values(query, {name: Literal("x")})
    except QueryError:
        return
    assert "VALUES" in bound
    assert len(bound) > len(query)


# --- Exports ------------------------------------------------------------------------------------

PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


@FUZZ
@given(text=st.text(max_size=40), fmt=st.sampled_from(sorted(PARSERS)))
@example(text="Den\u2028mark", fmt="nt")
@example(text="a\x85b\x0cc\x1ed", fmt="nt")
@example(text='tab\there "quoted" \\ back', fmt="ttl")
def test_any_label_survives_an_export_round_trip(text: str, fmt: str) -> None:
    data = Dataset(store=OxigraphStore(store=ox.Store()), default_union=True)
    graph = data.graph(URIRef("https://w3id.org/citykg/graph/source/fuzz"))
    graph.add((URIRef("https://w3id.org/citykg/id/x"), RDFS.label, Literal(text, lang="en")))
    exported = export_rdf(data, fmt)
    back = Dataset()
    back.parse(data=exported, format=PARSERS[fmt])
    labels = [str(o) for _, p, o, _ in back.quads((None, RDFS.label, None, None))]
    assert labels == [text]


# --- The command line -----------------------------------------------------------------------

paths = st.one_of(
    st.sampled_from(["", ".", "/dev/null", "/nonexistent/x", "-", "a b.yaml", "x.ttl", "/"]),
    st.text(alphabet=string.ascii_letters + "./-_ ", max_size=12),
)
options = st.lists(
    st.one_of(
        st.sampled_from(["--format", "-o", "--store", "--quiet", "--wait", "--include-internal"]),
        st.sampled_from(["ttl", "nt", "json", "xml", "table", "--", "-h"]),
        paths,
    ),
    max_size=5,
)


@FUZZ
@given(
    command=st.sampled_from(["build", "validate", "stats", "export", "nosuch"]),
    source=paths,
    extra=options,
)
def test_any_command_line_ends_in_an_exit_code_not_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, command: str, source: str, extra: list[str]
) -> None:
    # A source is always given, so no example builds the whole Copenhagen dataset.
    folder = tmp_path_factory.mktemp("cli")
    argv = [command, "--store", str(folder / "store"), *extra]
    if command in ("build", "validate"):
        argv.append(source or "/nonexistent")
    runner = CliRunner()
    # Relative paths in argv ("-o", "x.ttl", ...) land in a temporary folder, never the repo.
    with contextlib.chdir(folder):
        result = runner.invoke(main, argv, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 1:
        # (Above it, a build may have printed its progress label.)
        assert result.stderr.splitlines()[-1].startswith(("Error: ", "Invalid: ")), result.stderr


# --- All the way into the store ---------------------------------------------------------------

any_text = st.text(alphabet=st.characters(codec=None), max_size=30)


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 30))
@given(
    field=st.sampled_from(["label", "description", "alt_labels", "notes", "homepage"]),
    text=any_text,
)
@example(field="label", text="Den\ud800mark")
@example(field="description", text="a\x00b\x85c\u2028d")
def test_any_text_goes_into_the_store_and_out_again_or_fails_clearly(
    folder: Path, field: str, text: str
) -> None:
    # Oxigraph, not only the loader, meets the value: a lone surrogate once crashed the insert.
    document = copy.deepcopy(SKELETON)
    document["networks"][0][field] = [text] if field == "alt_labels" else text
    for old in folder.iterdir():
        old.unlink()
    (folder / "data.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        assembled = assemble([folder], validate=False)
    except CitykgError as exc:
        assert "\n" not in exc.message
        return
    for fmt in ("nt", "trig"):
        assert export_rdf(assembled.dataset, fmt, include_internal=True)
