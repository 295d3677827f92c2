"""The public profile: internal data never leaves in an export, in any format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import Result
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS

from citykg.cli import main
from citykg.graph.export import RDF_FORMATS
from citykg.graph.profile import open_profile, public_copy, public_profile, public_view
from citykg.graph.store import open_dataset
from citykg.ontology.namespaces import CKG, ID
from citykg.options import INTERNAL_WARNING
from citykg.queries.sparql import LocalSource

Run = Callable[..., Result]

#: Planted in the fixture; none may appear in a public export, all in an internal one.
SECRETS = (
    "anna.jensen@secret.example",  # a person's e-mail address
    "lisbon-desk@secret.example",  # an e-mail address on a public city (internal by default)
    "+4512345678",  # a person's phone
    "+4533661234",  # an administration's phone
    "SECRET-Anna Jensen",  # an internal person
    "SECRET-Post International coordinator",  # the person's post
    "SECRET-person note",
    "SECRET-negotiation note, Lisbon wants a two-year term",  # an internal note on a cooperation
    "SECRET-description of the partner's finances",  # a field marked internal
    "SECRET-City Label",  # an internal entity (and its place)
    "SECRET-Network Label",  # another internal entity
    "SECRET-quote only the secret network uses.",  # a passage only an internal entity cites
    "545923",  # a city's population marked internal (it lives on the place)
)
INTERNAL_NODES = (
    ID["anna"],
    ID["secret-city"],
    ID["secret-network"],
    ID["post/anna"],
    ID["place/secret-city"],
)
#: Public facts that must survive, so that an empty export cannot pass.
PUBLIC = (
    "Copenhagen and Lisbon agreement",
    "A City Network",
    "Finance Administration",
    "Partner Organisation",
)

PARSE = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


def _parsed(text: str, fmt: str) -> Dataset:
    data = Dataset()
    data.parse(data=text, format=PARSE[fmt])
    return data


def _mentions(data: Dataset, node: URIRef) -> bool:
    return any(node in quad[:3] for quad in data.quads((None, None, None, None)))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_public_export_leaves_out_every_internal_value(
    run: Run, protected_store: Path, fmt: str
) -> None:
    result = run("export", "--store", protected_store, "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    for secret in SECRETS:
        assert secret not in result.stdout, secret
    for fact in PUBLIC:
        assert fact in result.stdout, fact
    data = _parsed(result.stdout, fmt)
    for node in INTERNAL_NODES:
        assert not _mentions(data, node), node
    assert not any(data.quads((None, FOAF.mbox, None, None)))
    assert not any(data.quads((None, CKG.internalProperty, None, None)))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_include_internal_exports_everything_and_says_so(
    run: Run, protected_store: Path, fmt: str
) -> None:
    result = run("export", "--store", protected_store, "--format", fmt, "--include-internal")
    assert result.exit_code == 0
    assert result.stderr == INTERNAL_WARNING + "\n"
    assert result.stderr.startswith("Warning: --include-internal: the output holds internal data")
    for secret in SECRETS:
        assert secret in result.stdout, secret
    data = _parsed(result.stdout, fmt)
    for node in INTERNAL_NODES:
        assert _mentions(data, node), node


def test_public_export_to_a_file(run: Run, protected_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "public.ttl"
    result = run("export", "--store", protected_store, "-o", out)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "A City Network" in text
    assert not [s for s in SECRETS if s in text]


def test_memberships_of_internal_entities_and_internal_memberships_are_left_out(
    protected_store: Path,
) -> None:
    full = open_dataset(protected_store)
    view = public_view(full)
    cph, lisbon, net = ID["copenhagen"], ID["lisbon"], ID["net"]
    # The public membership stays, with its shortcut.
    assert (ID["membership/copenhagen/net/lead"], ORG.member, cph) in view
    assert (cph, ORG.memberOf, net) in view
    # Lisbon's only membership of the network is internal: the shortcut goes with it.
    assert (lisbon, ORG.memberOf, net) in full
    assert (lisbon, ORG.memberOf, net) not in view
    assert (net, ORG.hasMember, lisbon) not in view
    assert (ID["membership/lisbon/net/member"], None, None) not in view
    # A membership of an internal network goes, and its period with it.
    assert (ID["membership/copenhagen/secret-network/member/period"], None, None) not in view
    # Lisbon itself is public.
    assert (lisbon, RDFS.label, Literal("Lisbon", lang="en")) in view


def test_public_view_keeps_the_named_graphs(protected_store: Path) -> None:
    full = open_dataset(protected_store)
    view = public_view(full)
    names = {str(g.identifier) for g in view.graphs() if len(g)}
    assert names == {
        "https://w3id.org/citykg/graph/source/protected",
        "https://w3id.org/citykg/graph/source/vocabulary",
        "https://w3id.org/citykg/graph/ontology",
        "https://w3id.org/citykg/graph/inferred",
    }
    assert 0 < len(view) < len(full)


def test_local_queries_see_internal_data(protected_store: Path) -> None:
    source = LocalSource(open_dataset(protected_store))
    rows = source.select(
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> SELECT ?who ?mail WHERE { ?who foaf:mbox ?mail }"
    )
    mails = sorted(str(row["mail"]) for row in rows.rows)
    assert mails == ["mailto:anna.jensen@secret.example", "mailto:lisbon-desk@secret.example"]


def test_unmarked_persons_and_contact_data_from_other_sources_are_left_out() -> None:
    # An RDF source may bring persons and e-mail addresses without citykg's marks.
    graph = Graph()
    bob, org = URIRef("https://example.org/bob"), ID["some-org"]
    graph.add((bob, RDF.type, FOAF.Person))
    graph.add((bob, FOAF.name, Literal("Bob")))
    graph.add((org, FOAF.mbox, URIRef("mailto:info@example.org")))
    graph.add((org, RDFS.label, Literal("Some organisation", lang="en")))
    graph.add((org, URIRef("https://example.org/employs"), bob))
    profile = public_profile(graph)
    assert profile.filter(graph) == [(org, RDFS.label, Literal("Some organisation", lang="en"))]


def test_copenhagen_has_no_internal_data_so_the_profile_is_the_whole_graph(
    run: Run, copenhagen_store: Path
) -> None:
    public = run("export", "--store", copenhagen_store, "--format", "nt")
    everything = run("export", "--store", copenhagen_store, "--format", "nt", "--include-internal")
    assert public.stdout == everything.stdout
    assert len(public.stdout.splitlines()) > 5000


@pytest.mark.parametrize(
    ("person", "message"),
    [
        (
            "  - {id: bob, name: Bob Hansen}\n",
            "persons.yaml:2: the person 'bob' is not marked internal. "
            "Add 'internal: true' to the entry: persons are only kept as internal data.",
        ),
        (
            "  - id: bob\n    name: Bob Hansen\n    internal: [email]\n",
            "persons.yaml:4: the person 'bob' is not marked internal. "
            "Add 'internal: true' to the entry: persons are only kept as internal data.",
        ),
        (
            "  - {id: bob, name: Bob Hansen, internal: true, email: bob-at-example}\n",
            "persons.yaml:2: 'email' must be an e-mail address like name@example.org. "
            "Correct the value.",
        ),
        (
            "  - {id: bob, name: Bob Hansen, internal: true, phone: call me}\n",
            "persons.yaml:2: 'phone' must be a phone number like +45 33 66 33 66. "
            "Correct the value.",
        ),
        (
            "  - {id: bob, name: Bob Hansen, internal: true, themes: [climate]}\n",
            "persons.yaml:2: unknown field 'themes' for a person. "
            "Known fields: email, id, internal, name, notes, phone, post, works_for.",
        ),
        (
            "  - {id: bob, internal: true}\n",
            "persons.yaml:2: the person has no 'name'. Add 'name: ...'.",
        ),
    ],
)
def test_person_entries_are_checked(run: Run, tmp_path: Path, person: str, message: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "persons.yaml").write_text("persons:\n" + person, encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {folder}/{message}\n"
    assert result.stdout == ""


def test_contact_fields_are_internal_by_default(tmp_path: Path) -> None:
    from citykg.loaders.dataset import load_dataset

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "countries:\n  - {id: dk, label: Denmark, email: desk@example.org, notes: call first}\n",
        encoding="utf-8",
    )
    graph = load_dataset(folder).graph
    assert graph is not None
    marks = set(graph.objects(ID["dk"], CKG.internalProperty))
    assert marks == {FOAF.mbox, URIRef("http://www.w3.org/2004/02/skos/core#note")}


def _export_formats() -> list[str]:
    # Every format `citykg export` offers, read from the command itself: a format another
    # branch adds (graphml, gexf, csv, json, ...) is checked here the moment it is merged.
    command = main.commands["export"]
    option = next(p for p in command.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    return sorted(str(c) for c in option.type.choices)


def _written(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()
    )


@pytest.mark.parametrize("fmt", _export_formats())
def test_no_export_format_lets_internal_data_out(
    run: Run, protected_store: Path, tmp_path: Path, fmt: str
) -> None:
    public, internal = tmp_path / "public", tmp_path / "internal"
    public.mkdir()
    internal.mkdir()
    result = run("export", "--store", protected_store, "--format", fmt, "-o", public / f"out.{fmt}")
    assert result.exit_code == 0, result.stderr
    text = _written(public)
    assert "A City Network" in text
    assert [s for s in (*SECRETS, "secret-city", "secret-network") if s in text] == []
    result = run(
        "export",
        "--store",
        protected_store,
        "--format",
        fmt,
        "-o",
        internal / f"out.{fmt}",
        "--include-internal",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == INTERNAL_WARNING + "\n"
    if fmt in RDF_FORMATS:
        # (The network formats of the analysis branch leave internal entities out on their own.)
        assert "SECRET-Network Label" in _written(internal)


def test_the_map_is_made_from_the_public_profile(
    run: Run, protected_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "map.html"
    result = run("map", "--store", protected_store, "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "A City Network" in text
    assert [s for s in (*SECRETS, "secret-city", "secret-network") if s in text] == []
    result = run("map", "--store", protected_store, "-o", out, "--include-internal")
    assert result.stderr.endswith(INTERNAL_WARNING + "\n")
    assert "SECRET-Network Label" in out.read_text(encoding="utf-8")


def test_open_profile_gives_outputs_the_public_profile_unless_asked(protected_store: Path) -> None:
    public = LocalSource(open_profile(protected_store))
    everything = LocalSource(open_profile(protected_store, include_internal=True))
    query = "SELECT ?x WHERE { ?x <https://w3id.org/citykg/ontology#internal> true }"
    assert public.select(query).rows == ()
    assert {str(r["x"]) for r in everything.select(query).rows} >= {
        str(ID["anna"]),
        str(ID["secret-network"]),
    }


def test_the_shapes_refuse_a_person_without_the_internal_mark() -> None:
    # The dataset loader refuses such an entry itself; the shape also catches RDF sources.
    from citykg.graph.validate import validate_graph

    graph = Graph()
    bob = ID["bob"]
    graph.add((bob, RDF.type, CKG.Person))
    graph.add((bob, RDF.type, FOAF.Person))
    report = validate_graph(graph)
    assert not report.conforms
    assert [(v.focus, v.message) for v in report.violations] == [
        (
            f"<{bob}>",
            "is a person but not marked internal (ckg:internal true); "
            "persons never leave in public outputs",
        )
    ]
    graph.add((bob, CKG.internal, Literal(True)))
    assert validate_graph(graph).conforms


def test_both_ways_of_filtering_give_the_same_public_graph(protected_store: Path) -> None:
    # A store-backed Dataset is filtered in pyoxigraph's terms, any other one through rdflib;
    # a Dataset that does not read its named graphs as its default graph must not fool it.
    full = open_dataset(protected_store)
    memory = Dataset()  # default_union is False here
    for s, p, o, g in full.quads((None, None, None, None)):
        memory.graph(g).add((s, p, o))
    fast, generic = public_view(full), public_view(memory)

    def quads(data: Dataset) -> set[tuple[object, ...]]:
        return {(s, p, str(o), g) for s, p, o, g in data.quads((None, None, None, None))}

    assert quads(fast) == quads(generic)
    assert len(quads(fast)) < len(quads(full))


def test_public_copy_writes_a_database_without_internal_data(
    protected_store: Path, tmp_path: Path
) -> None:
    import pyoxigraph as ox

    written = public_copy(protected_store, tmp_path / "public")
    copy = ox.Store.read_only(str(tmp_path / "public"))
    view = public_view(open_dataset(protected_store))
    assert len(copy) == written == len(list(view.quads((None, None, None, None))))
    text = copy.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    assert "A City Network" in text
    assert [s for s in SECRETS if s in text] == []
