"""citykg's SHACL shapes as SPARQL queries on the Oxigraph store: validation at scale.

pySHACL validates an in-memory rdflib graph node by node; at a million triples that takes
far too long (see ``bench/``). This module compiles each rule of ``ontology/shapes.ttl`` into
one SPARQL SELECT that returns the rule's violations, and runs them on the store itself. It
reads the shapes file, so a changed shape changes the queries; a SHACL construct it does not
know raises an error instead of being skipped silently. ``tests/test_validate_sparql.py``
checks that it reports exactly what pySHACL reports on small bad graphs for every rule.

Written by hand because no SHACL engine runs on Oxigraph; only the constructs the shapes use
are compiled (targets: class, subjects-of; constraints: min/max count, class, datatype,
languageIn, minLength, pattern, nodeKind IRI, hasValue, min/maxInclusive, or, xone, sparql).
Like the build's materialisation it relies on rdf:type being closed over the class hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD, NamespaceManager
from rdflib.term import Node

from citykg.errors import CitykgError
from citykg.graph.oxquery import distinct_triples, solutions
from citykg.graph.validate import ValidationReport, Violation
from citykg.ontology import bind_prefixes, shapes_graph

__all__ = ["Rule", "compile_rules", "validate_store"]

_IDENTIFIER = "http://purl.org/dc/terms/identifier"

# Lexical forms of the datatypes the shapes ask for (SHACL: a value must be well-formed).
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYearMonth: r"^-?[0-9]{4,}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
# Casts that reject what the pattern lets through (2023-02-30, month 13).
_CASTS = {XSD.date, XSD.gYearMonth, XSD.gYear}


@dataclass(frozen=True)
class Rule:
    """One compiled rule: the query, the message, the path, and how to read a row."""

    query: str
    message: str
    path: str
    value_is_focus: bool = False


def _n3(term: Node) -> str:
    return term.n3()


def _datatype_ok(var: str, datatype: URIRef) -> str:
    checks = [f"isLiteral({var})", f"datatype({var}) = {datatype.n3()}"]
    if datatype in _LEXICAL:
        checks.append(f'REGEX(STR({var}), "{_LEXICAL[datatype]}")')
    if datatype in _CASTS:
        checks.append(f"isLiteral({datatype.n3()}(STR({var})))")
    return "COALESCE(" + " && ".join(checks) + ", false)"


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.prefixes = "".join(
            f"PREFIX {p}: <{n}>\n" for p, n in sorted(bind_prefixes(Graph()).namespaces()) if p
        )

    def items(self, node: Node) -> list[Node]:
        assert isinstance(node, (BNode, URIRef))
        return list(Collection(self.g, node))

    def target(self, shape: Node) -> str:
        classes = sorted(self.g.objects(shape, SH.targetClass), key=str)
        subjects_of = sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str)
        if classes and not subjects_of:
            values = " ".join(_n3(c) for c in classes)
            pattern = f"VALUES ?class {{ {values} }} ?this a ?class"
            return f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} }} }}"
        if subjects_of and not classes:
            unions = " UNION ".join(f"{{ ?this {_n3(p)} ?any }}" for p in subjects_of)
            return f"{{ SELECT DISTINCT ?this WHERE {{ {unions} }} }}"
        raise CitykgError(
            f"the shape {shape} has a target the SPARQL validator does not know",
            "Extend citykg.graph.validate_sparql.",
        )

    def select(self, target: str, body: str, extra: str = "") -> str:
        return (
            f"{self.prefixes}SELECT DISTINCT ?this ?value{extra} ?id WHERE {{ {target} {body} "
            f"OPTIONAL {{ ?this <{_IDENTIFIER}> ?id }} }}"
        )

    def value_condition(self, constraint: Node, predicate: Node, obj: Node) -> str | None:
        """A SPARQL expression true when ``?value`` VIOLATES the constraint, or None."""
        g = self.g
        if predicate == SH["class"]:
            return f"NOT EXISTS {{ ?value a {_n3(obj)} }}"
        if predicate == SH.datatype:
            return f"!{_datatype_ok('?value', obj)}"  # type: ignore[arg-type]
        if predicate == SH.languageIn:
            tags = " || ".join(f'langMatches(lang(?value), "{t}")' for t in self.items(obj))
            return f"!COALESCE(isLiteral(?value) && ({tags}), false)"
        if predicate == SH.minLength:
            return f"(isBlank(?value) || STRLEN(STR(?value)) < {int(obj)})"  # type: ignore[call-overload]
        if predicate == SH.pattern:
            pattern = str(obj).replace("\\", "\\\\")
            return f'(isBlank(?value) || !REGEX(STR(?value), "{pattern}"))'
        if predicate == SH.nodeKind:
            if obj != SH.IRI:
                raise CitykgError(
                    f"sh:nodeKind {obj} is not compiled", "Extend citykg.graph.validate_sparql."
                )
            return "!isIRI(?value)"
        if predicate == SH.minInclusive:
            return f"!COALESCE(?value >= {_n3(obj)}, false)"
        if predicate == SH.maxInclusive:
            return f"!COALESCE(?value <= {_n3(obj)}, false)"
        if predicate == SH["or"]:
            alternatives = []
            for alt in self.items(obj):
                parts = [self.value_condition(alt, p, o) for p, o in g.predicate_objects(alt)]
                ok = [f"!({c})" for c in parts if c is not None]
                alternatives.append("(" + " && ".join(ok) + ")")
            return "!(" + " || ".join(alternatives) + ")"
        return None

    def property_rules(self, shape: Node, prop: Node) -> Iterator[Rule]:
        g = self.g
        path = g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise CitykgError(
                f"a property path of {shape} is not a single IRI",
                "Extend citykg.graph.validate_sparql.",
            )
        message = str(g.value(prop, SH.message))
        target = self.target(shape)
        p = _n3(path)
        for predicate, obj in sorted(g.predicate_objects(prop)):
            if predicate in (SH.path, SH.message, SH.name, SH.description):
                continue
            if predicate == SH.minCount:
                n = int(obj)  # type: ignore[call-overload]
                counted = f"{target} OPTIONAL {{ ?this {p} ?v }}"
                body = (
                    f"FILTER NOT EXISTS {{ ?this {p} ?any }}"
                    if n == 1
                    else f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {counted} }}"
                    f" GROUP BY ?this }} FILTER(?n < {n})"
                )
                yield Rule(self.select(target, body), message, str(path))
            elif predicate == SH.maxCount:
                n = int(obj)  # type: ignore[call-overload]
                body = (
                    f"{{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?v) > {n}) }}"
                )
                yield Rule(self.select(target, body), message, str(path))
            elif predicate == SH.hasValue:
                yield Rule(
                    self.select(target, f"FILTER NOT EXISTS {{ ?this {p} {_n3(obj)} }}"),
                    message,
                    str(path),
                )
            else:
                condition = self.value_condition(prop, predicate, obj)
                if condition is None:
                    raise CitykgError(
                        f"{predicate} in {shape} is not compiled",
                        "Extend citykg.graph.validate_sparql.",
                    )
                yield Rule(
                    self.select(target, f"?this {p} ?value FILTER({condition})"), message, str(path)
                )

    def alternative_ok(self, alt: Node) -> str:
        """A SPARQL expression true when the focus ``?this`` conforms to property shape ``alt``."""
        g = self.g
        p = _n3(g.value(alt, SH.path))  # type: ignore[arg-type]
        checks = []
        for predicate, obj in g.predicate_objects(alt):
            if predicate == SH.path:
                continue
            if predicate == SH.minCount and int(obj) == 1:  # type: ignore[call-overload]
                checks.append(f"EXISTS {{ ?this {p} ?a1 }}")
            elif predicate == SH.maxCount and int(obj) == 1:  # type: ignore[call-overload]
                checks.append(f"NOT EXISTS {{ ?this {p} ?a2 , ?a3 FILTER(?a2 != ?a3) }}")
            elif predicate == SH.datatype:
                checks.append(f"NOT EXISTS {{ ?this {p} ?a4 FILTER(!{_datatype_ok('?a4', obj)}) }}")  # type: ignore[arg-type]
            else:
                raise CitykgError(
                    f"{predicate} in a logical shape is not compiled",
                    "Extend citykg.graph.validate_sparql.",
                )
        return "(" + " && ".join(checks) + ")"

    def node_rules(self, shape: Node) -> Iterator[Rule]:
        g = self.g
        message = str(g.value(shape, SH.message) or "")
        target = self.target(shape)
        for predicate, obj in g.predicate_objects(shape):
            if predicate in (SH["or"], SH.xone):
                oks = [self.alternative_ok(alt) for alt in self.items(obj)]
                if predicate == SH["or"]:
                    condition = "!(" + " || ".join(oks) + ")"
                else:
                    condition = "(" + " + ".join(f"IF({ok}, 1, 0)" for ok in oks) + ") != 1"
                body = f"FILTER({condition}) BIND(?this AS ?value)"
                yield Rule(self.select(target, body), message, "", value_is_focus=True)
            elif predicate == SH.sparql:
                yield self.sparql_rule(shape, obj, target)

    def sparql_rule(self, shape: Node, constraint: Node, target: str) -> Rule:
        text = str(self.g.value(constraint, SH.select))
        message = str(self.g.value(constraint, SH.message))
        text = re.sub(r"^\s*PREFIX[^\n]*\n", "", text.strip(), flags=re.MULTILINE).replace(
            "$this", "?this"
        )
        projected = re.search(r"SELECT\s+(.*?)\s+WHERE", text, re.S | re.I)
        assert projected is not None
        extra = " ".join(v for v in projected.group(1).split() if v != "?this")
        body = f"{{ {text} }} BIND(?this AS ?value)"
        return Rule(
            self.select(target, body, " " + extra if extra else ""),
            message,
            "",
            value_is_focus=True,
        )


def compile_rules(shapes: Graph | None = None) -> list[Rule]:
    """One :class:`Rule` per constraint of the shapes (citykg's own by default).

    Examples
    --------
    >>> len(compile_rules()) > 50
    True
    """
    g = shapes if shapes is not None else shapes_graph()
    compiler = _Compiler(g)
    rules: list[Rule] = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)), key=str):
        for prop in sorted(g.objects(shape, SH.property), key=str):
            rules.extend(compiler.property_rules(shape, prop))
        rules.extend(compiler.node_rules(shape))
    return rules


def _term(value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Node | None:
    if value is None:
        return None
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if isinstance(value, ox.Literal):
        return Literal(value.value)
    return Literal(str(value))


def validate_store(
    store: ox.Store,
    rules: list[Rule] | None = None,
    *,
    sizes: Mapping[str, int] | None = None,
) -> ValidationReport:
    """Validate the graph in an Oxigraph store (all named graphs, as their union).

    Returns the same :class:`ValidationReport` as :func:`citykg.graph.validate.validate_graph`
    would for the same graph. ``sizes`` (statements per named graph, where known) saves
    counting them for the report's number of distinct triples.
    """
    names = bind_prefixes(Graph()).namespace_manager
    violations: set[Violation] = set()

    def short(term: Node | None, identifier: Node | None) -> str:
        if identifier is not None:
            return str(identifier)
        if isinstance(term, URIRef):
            return str(names.normalizeUri(term))
        return "" if term is None else str(term)

    for rule in rules if rules is not None else compile_rules():
        path = names.normalizeUri(URIRef(rule.path)) if rule.path else ""
        for row in solutions(store, rule.query, union=True):
            focus = short(_term(row["this"]), _term(row["id"]))
            message = rule.message
            for variable in re.findall(r"\{\?(\w+)\}", message):
                message = message.replace("{?" + variable + "}", str(_term(row[variable])))
            value = _term(row["value"])
            if rule.value_is_focus or value == _term(row["this"]):
                value_text = ""  # like validate_graph: a node-level rule's value is the entity
            elif isinstance(value, URIRef):
                value_text = _short_iri(store, value, names)
            else:
                value_text = "" if value is None else str(value)
            violations.add(Violation(focus, path, message, value_text, "Violation"))
    ordered = tuple(sorted(violations))
    return ValidationReport(not ordered, ordered, distinct_triples(store, sizes))


def _short_iri(store: ox.Store, iri: URIRef, names: NamespaceManager) -> str:
    for quad in store.quads_for_pattern(
        ox.NamedNode(str(iri)), ox.NamedNode(_IDENTIFIER), None, None
    ):
        if isinstance(quad.object, ox.Literal):
            return str(quad.object.value)
    return str(names.normalizeUri(iri))
