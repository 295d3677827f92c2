"""One entity, many sources: the checks the build runs once every source has loaded.

Each source keeps its statements in its own named graph; an ID that several sources use is one
entity. This module finds what merging cannot settle, each as one problem naming both places:

- a single-valued field (English label, kind, country, dates, a membership's period,
  coordinates, ...) with different values in two sources (:func:`conflicts`);
- a reference to an ID that no source defines, or to one of the wrong kind
  (:func:`unresolved`);
- facts added to an entity that no source names (:func:`unnamed`);
- a principle whose strategy has no publisher, so that no home owns it (:func:`homeless`).

The queries run on the Oxigraph store directly: the build's store is Oxigraph, and grouping in
the engine keeps the checks fast at a million statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS, TIME

from citykg.errors import CitykgError, DataError, did_you_mean
from citykg.graph.oxquery import solutions
from citykg.loaders.base import LoadedSource, Location, PendingRef
from citykg.loaders.dataset import vocabulary_path
from citykg.loaders.kinds import KIND_NAMES, LISTED_KINDS
from citykg.ontology.namespaces import CKG, GRAPH, ID, POS, SCHEMA, WD

__all__ = [
    "SINGLE_VALUED",
    "conflicts",
    "final_kinds",
    "homeless",
    "report_order",
    "unnamed",
    "unresolved",
]

_SOURCES = str(GRAPH) + "source/"
#: The kinds an unknown reference lists the IDs of (short vocabularies a user picks from).
_LISTED = tuple(KIND_NAMES[kind] for kind in LISTED_KINDS)
#: citykg's own data folders (the vocabulary, the built-in dataset).
_BUILT_IN = vocabulary_path().parent.resolve()


@dataclass(frozen=True)
class Field:
    """A single-valued field: its name in the dataset format and the predicates that hold it.

    ``only`` narrows which values count: ``en`` English labels, ``iri`` IRIs, ``wikidata``
    Wikidata IDs, ``not-wikidata`` the rest; ``of`` (a class) the subjects that have it, and
    ``not_of`` those that do not.
    """

    name: str
    predicates: tuple[URIRef, ...]
    only: str = ""
    of: URIRef | None = None
    not_of: URIRef | None = None


#: The fields one entity has one value of, whichever sources state it.
SINGLE_VALUED: tuple[Field, ...] = (
    Field("label", (RDFS.label,), only="en"),
    Field("kind", (CKG.kind,)),
    Field("country", (CKG.country,)),
    Field("region", (CKG.inRegion,)),
    Field("part_of", (ORG.unitOf,)),
    Field("start", (SCHEMA.startDate,)),
    Field("end", (SCHEMA.endDate,)),
    # A membership's period: its instants hold the date at one of three precisions.
    Field("period", (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear)),
    Field("lat", (POS.lat,)),
    Field("long", (POS.long,)),
    Field("population", (CKG.population,)),
    Field("capital", (CKG.capital,)),
    Field("code", (SKOS.notation,), not_of=CKG.Principle),
    Field("number", (CKG.number,)),
    Field("sdg", (SKOS.closeMatch,)),
    Field("wikidata", (OWL.sameAs, SKOS.exactMatch), only="wikidata"),
    Field("founded", (SCHEMA.foundingDate,)),
    Field("member_count", (CKG.memberCount,)),
    Field("published", (SCHEMA.datePublished,)),
    Field("publisher", (DCTERMS.publisher,), only="iri"),
    Field("type", (DCTERMS.type,)),
    Field("year", (DCTERMS.issued,)),
    Field("programme", (CKG.programme,)),
    Field("budget_eur", (CKG.budget,)),
    Field("eu_contribution_eur", (CKG.euContribution,)),
    Field("grant_id", (CKG.grantId,)),
    Field("binding", (CKG.binding,)),
    Field("council_approval_required", (CKG.councilApprovalRequired,)),
    Field("council_approved", (CKG.councilApproved,)),
    Field("location", (SCHEMA.location,), of=CKG.Event),
    Field("part_of", (SCHEMA.superEvent,)),
    Field("document", (DCTERMS.isPartOf,), of=CKG.Principle),
)
_FIELDS_OF: dict[str, list[Field]] = defaultdict(list)
for _field in SINGLE_VALUED:
    for _predicate in _field.predicates:
        _FIELDS_OF[str(_predicate)].append(_field)
_RDF_TYPE = str(RDF.type)


def _counts(field: Field, value: ox.NamedNode | ox.BlankNode | ox.Literal, types: set[str]) -> bool:
    """Whether ``value``, on a subject of ``types``, is a value of ``field``."""
    if field.of is not None and str(field.of) not in types:
        return False
    if field.not_of is not None and str(field.not_of) in types:
        return False
    if field.only == "en":
        return isinstance(value, ox.Literal) and value.language == "en"
    if field.only == "iri":
        return isinstance(value, ox.NamedNode)
    if field.only in ("wikidata", "not-wikidata"):
        wikidata = isinstance(value, ox.NamedNode) and value.value.startswith(str(WD))
        return wikidata == (field.only == "wikidata")
    return True


def _term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> str:
    return node.value if isinstance(node, (ox.NamedNode, ox.Literal)) else str(node)


def final_kinds(inner: ox.Store) -> dict[str, set[str]]:
    """Every ID in the store's source graphs with the kinds the sources give it."""
    query = f"""SELECT ?id ?kind WHERE {{
        GRAPH ?g {{ ?e <{CKG.kind}> ?kind ; <{DCTERMS.identifier}> ?id }}
        FILTER(STRSTARTS(STR(?g), "{_SOURCES}")) }}"""
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in solutions(inner, query):
        kinds[_term(row["id"])].add(_term(row["kind"]))
    return kinds


def unresolved(
    pending: Iterable[PendingRef],
    kinds: Mapping[str, set[str]],
    listed: Sequence[str] = _LISTED,
) -> list[CitykgError]:
    """A problem for each reference to an ID no source defines, or to one of another kind.

    ``listed`` are the kinds whose IDs an unknown reference lists in full when none is close.
    """
    problems: list[CitykgError] = []
    for ref in pending:
        found = kinds.get(ref.value)
        loc = ref.location
        if found and found & set(ref.kinds):
            continue
        if found:
            kind = sorted(found)[0]
            problems.append(
                DataError(
                    f"'{ref.value}' in '{ref.field}' is a {kind}, not a {ref.what}",
                    f"Point '{ref.field}' to a {ref.what}.",
                    file=loc.file,
                    line=loc.line,
                )
            )
            continue
        candidates = sorted(i for i, k in kinds.items() if k & set(ref.kinds))
        hint = did_you_mean(ref.value, candidates)
        if not hint and set(ref.kinds) <= set(listed):
            hint = f"Known {ref.what}s: " + ", ".join(candidates) + "."
        problems.append(
            DataError(
                f"unknown {ref.what} '{ref.value}' in '{ref.field}'",
                hint,
                file=loc.file,
                line=loc.line,
            )
        )
    return problems


def unnamed(inner: ox.Store, loaded: Iterable[LoadedSource]) -> list[CitykgError]:
    """A problem for each entity a source adds facts to that no source names (gives a label)."""
    problems: list[CitykgError] = []
    label = ox.NamedNode(str(RDFS.label))
    kind = ox.NamedNode(str(CKG.kind))
    for source in loaded:
        for iri, location in sorted(source.additions.items()):
            node = ox.NamedNode(str(iri))
            if next(iter(inner.quads_for_pattern(node, label, None, None)), None) is not None:
                continue
            kinds = sorted({_term(q.object) for q in inner.quads_for_pattern(node, kind, None)})
            what = kinds[0] if kinds else "entity"
            short = str(iri)[len(str(ID)) :]
            problems.append(
                DataError(
                    f"the {what} '{short}' has no 'label', and no source defines it",
                    "Add 'label: ...' to define it here, or build with the source that defines it.",
                    file=location.file,
                    line=location.line,
                )
            )
    return problems


def homeless(inner: ox.Store, locations: Mapping[str, Location]) -> list[CitykgError]:
    """A problem for each principle (written in a dataset) that no home owns: its strategy
    document has no publisher, so no ``assess`` would ever apply it."""
    query = f"""SELECT ?id ?doc WHERE {{
        ?p a <{CKG.Principle}> ; <{DCTERMS.identifier}> ?id .
        OPTIONAL {{ ?p <{DCTERMS.isPartOf}>/<{DCTERMS.identifier}> ?doc }}
        FILTER NOT EXISTS {{ ?p <{DCTERMS.isPartOf}>/<{DCTERMS.publisher}> ?home }}
    }} ORDER BY ?id"""
    problems: list[CitykgError] = []
    for row in solutions(inner, query, union=True):
        identifier = _term(row["id"])
        location = locations.get(identifier)
        if location is None:
            continue
        document = row["doc"]
        why = (
            f"its document '{_term(document)}' has no publisher"
            if document is not None
            else "it is part of no document"
        )
        problems.append(
            DataError(
                f"the principle '{identifier}' belongs to no home: {why}",
                "Add 'home: ID' (whose strategy it is) to the dataset entry, "
                "or 'publisher: ID' to the document.",
                file=location.file,
                line=location.line,
            )
        )
    return problems


def _display(inner: ox.Store, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A value as the dataset writes it: an entity's ID, else the literal's text or the IRI."""
    if isinstance(node, ox.NamedNode):
        found = next(
            iter(inner.quads_for_pattern(node, ox.NamedNode(str(DCTERMS.identifier)), None)),
            None,
        )
        if found is not None:
            return _term(found.object)
        if node.value.startswith(str(ID) + "place/"):
            return node.value[len(str(ID) + "place/") :]
        if node.value.startswith(str(WD)):
            return node.value[len(str(WD)) :]
    return _term(node)


def _subject(inner: ox.Store, node: str) -> tuple[str, str]:
    """The entity a statement is about (an ID) and the field a period instant stands for."""
    if node.startswith(str(ID) + "place/"):
        return node[len(str(ID) + "place/") :], ""
    for suffix, field in (("/period/start", "start"), ("/period/end", "end")):
        if node.endswith(suffix) and node.startswith(str(ID)):
            return node[len(str(ID)) : -len(suffix)], field
    return _display(inner, ox.NamedNode(node)), ""


def _where(
    facts: Mapping[str, Mapping[tuple[URIRef, URIRef], Location]],
    entities: Mapping[str, Mapping[URIRef, Location]],
    paths: Mapping[str, str],
    graph: str,
    subject: str,
    predicate: str,
) -> Location:
    location = facts.get(graph, {}).get((URIRef(subject), URIRef(predicate)))
    if location is None:
        location = entities.get(graph, {}).get(URIRef(subject))
    return location if location is not None else Location(paths.get(graph, graph))


def _text(location: Location) -> str:
    return location.file + (f":{location.line}" if location.line else "")


def report_order(location: Location) -> tuple[bool, str, int]:
    """The order two places of one conflict are named in: a source the user gave before
    citykg's own data (which the user does not edit), then by file and line."""
    built_in = _BUILT_IN in Path(location.file).resolve().parents
    return (built_in, location.file, location.line or 0)


#: One source's statement of a field: where, the value as written, the source's graph.
_Stated = tuple[Location, str, str]


def _candidates(
    inner: ox.Store, graphs: Sequence[str], sizes: Mapping[str, int]
) -> set[ox.NamedNode | ox.BlankNode]:
    """The subjects that may have two values: those a single-valued field is stated of in any
    source graph but the largest (a conflict needs two graphs, so one of them is smaller).
    A synthetic world of a million statements beside the small vocabulary costs the
    vocabulary's size, not the world's."""
    ordered = sorted(graphs, key=lambda g: (-sizes.get(g, 0), g))
    found: set[ox.NamedNode | ox.BlankNode] = set()
    for graph in ordered[1:]:
        node = ox.NamedNode(graph)
        for predicate in _FIELDS_OF:
            for quad in inner.quads_for_pattern(None, ox.NamedNode(predicate), None, node):
                if isinstance(quad.subject, (ox.NamedNode, ox.BlankNode)):
                    found.add(quad.subject)
    return found


def conflicts(
    inner: ox.Store, loaded: Sequence[LoadedSource], sizes: Mapping[str, int] | None = None
) -> list[CitykgError]:
    """A problem for each single-valued field two sources give different values.

    ``'country' of 'hamburg' is 'denmark', but copenhagen/actors.yaml:88 says 'germany'``:
    the first place is where the problem is reported; of the two, the one in your data
    before citykg's own, then by file and line, so that the message is the same whatever order
    the sources were built in. ``sizes`` (statements per source graph) lets the check skip
    reading the largest graph whole.
    """
    graphs = [str(s.name) for s in loaded]
    facts = {str(s.name): s.facts for s in loaded}
    entities = {str(s.name): {**s.locations, **s.additions} for s in loaded}
    paths = {str(s.name): s.path for s in loaded}
    problems: list[CitykgError] = []
    for node in sorted(_candidates(inner, graphs, sizes or {}), key=str):
        # A blank node belongs to the one file it came from: no other source can state it.
        if not isinstance(node, ox.NamedNode):
            continue
        subject = node.value
        quads = [
            q
            for q in inner.quads_for_pattern(node, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in facts
        ]
        types = {_term(q.object) for q in quads if q.predicate.value == _RDF_TYPE}
        stated: dict[str, list[_Stated]] = defaultdict(list)
        for quad in quads:
            value = quad.object
            if not isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
                continue
            for field in _FIELDS_OF.get(quad.predicate.value, ()):
                if _counts(field, value, types):
                    graph = _term(quad.graph_name)
                    where = _where(facts, entities, paths, graph, subject, quad.predicate.value)
                    stated[field.name].append((where, _display(inner, value), graph))
        for name, values in sorted(stated.items()):
            pair = _disagreeing(values)
            if pair is None:
                continue
            (where_a, value_a, _), (where_b, value_b, _) = pair
            entity, period_field = _subject(inner, subject)
            field_name = period_field or name
            problems.append(
                DataError(
                    f"'{field_name}' of '{entity}' is '{value_a}', but {_text(where_b)} says "
                    f"'{value_b}'",
                    "Make them agree or drop one.",
                    file=where_a.file,
                    line=where_a.line,
                )
            )
    return problems


def _disagreeing(stated: list[_Stated]) -> tuple[_Stated, _Stated] | None:
    ordered = sorted(stated, key=lambda s: (report_order(s[0]), s[1]))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if a[2] != b[2] and a[1] != b[1]:
                return a, b
    return None
