"""RDF-file sources, ``citykg sources``, ``citykg synth``, fast materialisation and the SPARQL
validator (which must agree with pySHACL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import RDFS, XSD, Dataset, Graph, Literal

from citykg.graph import build as build_module
from citykg.graph.build import MATERIALISE, NAME_PREDICATES, assemble, search_keys, union_graph
from citykg.graph.validate import validate_graph
from citykg.graph.validate_sparql import compile_rules, validate_store
from citykg.loaders.dataset import load_dataset, vocabulary_path
from citykg.loaders.synth import SynthCounts, write_synth
from citykg.ontology import CKG, bind_prefixes, ontology_graph
from citykg.ontology.namespaces import ID, INFERRED_GRAPH, ORG

Run = Callable[..., Result]
SCALE = Path(__file__).parent / "fixtures" / "scale"
GRAPH = "https://w3id.org/citykg/graph/source/partners"


def _total() -> int:
    # The partner file's 3 triples + the classes above ckg:Organisation + the shared
    # vocabulary with the ontology, which every build includes.
    ontology = ontology_graph()
    above = set(ontology.transitive_objects(CKG.Organisation, RDFS.subClassOf))
    vocabulary = assemble([vocabulary_path()], validate=False).oxigraph
    return 3 + len(above - {CKG.Organisation}) + len(vocabulary)


TOTAL = _total()


def sources_table(path: str) -> str:
    vocabulary = vocabulary_path()
    words = len(load_dataset(vocabulary).graph)  # type: ignore[arg-type]
    return (
        "source,loader,triples,graph,path\n"
        f"partners,rdf,3,{GRAPH},{path}\n"
        f"vocabulary,dataset,{words},https://w3id.org/citykg/graph/source/vocabulary,{vocabulary}\n"
    )


# --- RDF files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["partners.ttl", "partners.nt", "partners.jsonld", "partners.rdf"])
def test_each_rdf_format_builds_into_its_own_graph(run: Run, tmp_path: Path, name: str) -> None:
    store = tmp_path / "store"
    result = run("build", SCALE / name, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"Built {store}: {TOTAL} triples from partners, vocabulary (validated).\n"
    )
    listed = run("sources", "--store", store, "--format", "csv")
    assert listed.stdout == sources_table(str(SCALE / name))


@pytest.mark.parametrize("name", ["partners.nq", "partners.trig"])
def test_quads_formats_merge_their_graphs_into_the_files_graph(
    run: Run, tmp_path: Path, name: str
) -> None:
    store = tmp_path / "store"
    result = run("build", SCALE / name, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"Built {store}: {TOTAL} triples from partners, vocabulary (validated).\n"
    )
    count = 2 if name.endswith(".nq") else 1
    plural = "s" if count > 1 else ""
    assert result.stderr == f"{SCALE / name}: {count} named graph{plural} merged into <{GRAPH}>.\n"
    assert run("sources", "--store", store, "--format", "csv").stdout == sources_table(
        str(SCALE / name)
    )


@pytest.mark.parametrize(
    ("name", "where", "problem"),
    [
        ("broken.ttl", ":4", "malformed Turtle: Unexpected end of file (column 27)"),
        (
            "broken.nt",
            ":2",
            "malformed N-Triples: The object of a triple must be an IRI, a blank node or a literal "
            "(column 77)",
        ),
        (
            "broken.jsonld",
            ":3",
            "malformed JSON-LD: Object values must be followed by a comma to add a new value "
            "or a curly bracket to end the object (column 1)",
        ),
        (
            "broken.rdf",
            "",
            "malformed RDF/XML: ill-formed document: expected `</rdf:Description>`, but "
            "`</rdf:RDF>` was found",
        ),
    ],
)
def test_a_broken_rdf_file_is_one_line_with_file_and_line(
    run: Run, tmp_path: Path, name: str, where: str, problem: str
) -> None:
    result = run("build", SCALE / name, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {SCALE / name}{where}: {problem}. "
        "Fix the file or give the right --rdf-format.\n"
    )
    assert not (tmp_path / "store" / "citykg-store.json").exists()


def test_rdf_format_overrides_the_extension(run: Run, tmp_path: Path) -> None:
    unknown = run("build", SCALE / "partners.txt", "--store", tmp_path / "a", "-q")
    assert unknown.exit_code == 1
    assert unknown.stderr == (
        f"Error: {SCALE / 'partners.txt'}: no loader reads this kind of source. "
        "Give a dataset folder, or an RDF file (.ttl, .nt, .jsonld, .rdf, .trig).\n"
    )
    store = tmp_path / "b"
    result = run("build", SCALE / "partners.txt", "--rdf-format", "ttl", "--store", store, "-q")
    assert (
        result.stdout == f"Built {store}: {TOTAL} triples from partners, vocabulary (validated).\n"
    )
    wrong = run(
        "build", SCALE / "partners.ttl", "--rdf-format", "nt", "--store", tmp_path / "c", "-q"
    )
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith(f"Error: {SCALE / 'partners.ttl'}:1: malformed N-Triples: ")
    bogus = run(
        "build", SCALE / "partners.ttl", "--rdf-format", "turtel", "--store", tmp_path / "d", "-q"
    )
    assert bogus.stderr == "Error: unknown RDF format 'turtel'. Did you mean 'turtle' or 'ttl'?\n"


def test_sources_lists_dataset_and_rdf_sources_with_counts(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    dataset = Path(__file__).parent.parent / "loaders" / "data" / "copenhagen"
    assert run("build", dataset, SCALE / "partners.ttl", "--store", store, "-q").exit_code == 0
    rows = run("sources", "--store", store, "--format", "csv").stdout.splitlines()
    copenhagen = len(load_dataset(dataset).graph)  # type: ignore[arg-type]
    vocabulary = vocabulary_path()
    words = len(load_dataset(vocabulary).graph)  # type: ignore[arg-type]
    assert rows == [
        "source,loader,triples,graph,path",
        f"copenhagen,dataset,{copenhagen},https://w3id.org/citykg/graph/source/copenhagen,{dataset}",
        f"partners,rdf,3,{GRAPH},{SCALE / 'partners.ttl'}",
        f"vocabulary,dataset,{words},https://w3id.org/citykg/graph/source/vocabulary,{vocabulary}",
    ]


def test_two_files_with_one_name_are_refused(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "partners.nt"
    other.write_text((SCALE / "partners.nt").read_text())
    # The build's own order (by path), not the order given, decides which comes second.
    first, second = sorted([SCALE / "partners.ttl", other], key=lambda p: str(p.resolve()))
    for order in ([SCALE / "partners.ttl", other], [other, SCALE / "partners.ttl"]):
        result = run("build", *order, "--store", tmp_path / "store", "-q")
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {second}: two sources load into the same graph <{GRAPH}> "
            f"(also {first}). "
            "Give each dataset its own 'id', and each RDF file its own name.\n"
        )


def test_sources_without_a_store(run: Run, tmp_path: Path) -> None:
    result = run("sources", "--store", tmp_path / "none")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path / 'none'}: no store has been built here. Run 'citykg build' first.\n"
    )


# --- synth -----------------------------------------------------------------------------------


def test_synth_is_byte_identical_for_a_seed(run: Run, tmp_path: Path) -> None:
    outputs = []
    for name, seed in (("a.nt", "3"), ("b.nt", "3"), ("c.nt", "4")):
        result = run("synth", "-o", tmp_path / name, "--size", "5k", "--seed", seed, "-q")
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]
    for folder in ("y1", "y2"):
        run(
            "synth",
            "-o",
            tmp_path / folder,
            "--format",
            "yaml",
            "--size",
            "5k",
            "--seed",
            "3",
            "-q",
        )
    files = sorted(p.name for p in (tmp_path / "y1").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "y2").iterdir())
    assert all(
        (tmp_path / "y1" / f).read_bytes() == (tmp_path / "y2" / f).read_bytes() for f in files
    )


def test_synth_yaml_builds_validates_and_equals_the_rdf_output(run: Run, tmp_path: Path) -> None:
    folder, nt, ttl = tmp_path / "world", tmp_path / "world.nt", tmp_path / "world.ttl"
    # A tiny world with every kind of entity: pySHACL's time grows fast with the graph.
    tiny = ("--cities", "30", "--organisations", "4", "--networks", "3",
            "--network-memberships", "50", "--projects", "3", "--seed", "2", "-q")  # fmt: skip
    made = run("synth", "-o", folder, "--format", "yaml", *tiny)
    assert made.stdout.startswith(f"Wrote {folder} (yaml, seed 2): ")
    store = tmp_path / "store"
    built = run("build", folder, "--store", store, "-q")
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith(f"Built {store}: ") and built.stdout.endswith(
        " from synth, vocabulary (validated).\n"
    )
    run("synth", "-o", nt, *tiny)
    run("synth", "-o", ttl, "--format", "ttl", *tiny)
    # The streamed RDF is exactly what the dataset loader makes of the YAML/CSV world.
    from_yaml = set(load_dataset(folder).graph)  # type: ignore[arg-type]
    assert from_yaml == set(Graph().parse(nt, format="nt"))
    assert from_yaml == set(Graph().parse(ttl, format="turtle"))
    assert made.stdout.endswith(
        f": {len(from_yaml)} triples; " + made.stdout.split("triples; ", 1)[1]
    )


def test_synth_rdf_builds_and_validates_with_the_sparql_validator(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nt = tmp_path / "w.nt"
    write_synth(
        nt,
        counts=SynthCounts(
            cities=60, organisations=6, networks=4, network_memberships=120, projects=5
        ),
        seed=9,
    )
    monkeypatch.setattr(build_module, "SPARQL_VALIDATION_ABOVE", 0)
    store = tmp_path / "store"
    result = run("build", nt, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(" triples from vocabulary, w (validated).\n")


def test_synth_counts_and_sizes(run: Run, tmp_path: Path) -> None:
    result = run(
        "synth",
        "-o",
        tmp_path / "w.nt",
        "--cities",
        "30",
        "--networks",
        "2",
        "--network-memberships",
        "40",
        "--projects",
        "3",
        "--organisations",
        "5",
        "-q",
    )
    assert result.stdout.startswith(f"Wrote {tmp_path / 'w.nt'} (nt, seed 1): ")
    assert "; 30 cities," in result.stdout and " 2 networks, 6 organisations," in result.stdout
    bad = run("synth", "-o", tmp_path / "x.nt", "--size", "lots")
    assert bad.exit_code == 1
    assert (
        bad.stderr
        == "Error: 'lots' is not a size. Write a number of triples such as 10k, 100k, 1M or 10M.\n"
    )


# --- materialisation and validation ------------------------------------------------------------


def test_fast_materialisation_equals_the_construct_queries() -> None:
    assembled = assemble(
        [
            SCALE / "bad.ttl",
            SCALE / "stated.ttl",
            Path(__file__).parent.parent / "loaders" / "data" / "copenhagen",
        ],
        validate=False,
    )
    reference = bind_prefixes(Dataset(default_union=True))
    for graph in assembled.dataset.graphs():
        if graph.identifier != INFERRED_GRAPH:
            target = reference.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    expected = {t for q in MATERIALISE for t in reference.query(q).graph if t not in reference}  # type: ignore[union-attr]
    entities = set(reference.subjects(CKG.kind, None))
    names = [(s, str(o)) for p in NAME_PREDICATES for s, o in reference.subject_objects(p)]
    expected |= {
        (s, CKG.searchKey, Literal(k, datatype=XSD.string))
        for s, k in search_keys(names)
        if s in entities
    }
    inferred = set(assembled.dataset.graph(INFERRED_GRAPH))
    assert inferred == expected
    assert len(expected) > 1000
    copenhagen, c40 = ID["copenhagen"], ID["c40"]
    assert (copenhagen, ORG.memberOf, c40) in reference
    assert (copenhagen, ORG.memberOf, c40) not in inferred


def test_sparql_validator_reports_what_pyshacl_reports_for_every_rule() -> None:
    assembled = assemble([SCALE / "bad.ttl"], validate=False)
    expected = validate_graph(union_graph(assembled.dataset))
    got = validate_store(assembled.oxigraph)
    assert got.violations == expected.violations
    assert not got.conforms and len(got.violations) == 143
    # Every compiled rule finds something in the fixture, so each rule was compared.
    silent = [
        r.message for r in compile_rules() if not validate_store(assembled.oxigraph, [r]).violations
    ]
    assert silent == []


def test_sparql_validator_accepts_the_copenhagen_graph() -> None:
    assembled = assemble(validate=False)
    assert validate_store(assembled.oxigraph).violations == ()


def test_build_above_the_threshold_fails_on_the_first_violation(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_shacl = run("build", SCALE / "bad.ttl", "--store", tmp_path / "a", "-q")
    monkeypatch.setattr(build_module, "SPARQL_VALIDATION_ABOVE", 0)
    with_sparql = run("build", SCALE / "bad.ttl", "--store", tmp_path / "a", "-q")
    assert with_shacl.exit_code == with_sparql.exit_code == 1
    assert with_sparql.stderr == with_shacl.stderr.replace(str(tmp_path / "a"), str(tmp_path / "a"))
    assert with_sparql.stderr.startswith(f"Error: {SCALE / 'bad.ttl'}: ")


def test_relative_iris_resolve_against_the_file(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run("build", SCALE / "relative.ttl", "--store", store, "-q")
    assert (
        result.stdout == f"Built {store}: {TOTAL} triples from relative, vocabulary (validated).\n"
    )
    export = run("export", "--store", store, "--format", "nt")
    lab = (SCALE / "relative.ttl").resolve().as_uri() + "#lab"
    assert (
        f'<{lab}> <http://www.w3.org/2000/01/rdf-schema#label> "Relative Lab"@en .' in export.stdout
    )


def test_validate_reads_rdf_sources_too(run: Run) -> None:
    good = run("validate", SCALE / "partners.txt", "--rdf-format", "turtle")
    assert good.stdout == f"Valid: {TOTAL} triples conform to the citykg shapes.\n"
    bad = run("validate", SCALE / "bad.ttl", "--format", "json")
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["conforms"] is False and len(report["violations"]) == 143
    # RDF files carry no line numbers for entities, so "where" stays empty.
    label = 'needs exactly one English label (rdfs:label "..."@en)'
    expected = {"where": "", "entity": "two-labels", "path": "rdfs:label", "message": label}
    assert {**expected, "value": ""} in report["violations"]
