"""The public profile: the graph without its internal and personal data.

The strategy's principle is that citizen and company data is always adequately protected in
international cooperations. Datasets mark what must not leave (``ckg:internal true`` on an
entity, ``ckg:internalProperty <p>`` for a field; see docs/dataset-format.md). Every output
that leaves the machine (exports, maps, pushes, a served endpoint, the analyses' tables) is
made from :func:`public_view`, and :func:`public_profile` is the one function that decides
what is public. Local queries see everything.

The profile recognises personal and contact data by meaning, in every vocabulary citykg reads
(docs/data-protection.md lists them), not only in the spelling citykg's own loaders write:

- internal entities: ``ckg:internal`` with any value but a false one (``true``, ``"true"``,
  ``1``, typed or not: an unclear mark counts as internal), and every instance of a person or
  post class (FOAF, schema.org over http and https, vCard, W3C ORG, citykg), marked or not;
- every triple about or pointing at an internal entity;
- every membership whose member or organisation is internal, and the ``org:memberOf`` /
  ``org:hasMember`` shortcuts that only an internal membership gives;
- contact and personal predicates wherever they are, marked or not (:data:`CONTACT_PREDICATES`:
  e-mail, telephone, fax, address, contact point, chat IDs, posts held);
- the parts of an internal whole (``dcterms:isPartOf``, ``prov:wasQuotedFrom``): the sections
  and passages of an internal document;
- the nodes that exist only to describe internal things: a citykg node (``id:`` namespace or a
  blank node) without its own ``dcterms:identifier``, or a Wikidata item or statement copied by
  enrichment, whose every incoming link is left out (a membership's period, a person's post, a
  contact point, a passage only an internal entity cites, the Wikidata item of an internal
  city);
- the ``rdf:Statement`` nodes that reify a left-out triple (its subject or object internal, or
  its value hidden), and what exists only to describe them;
- the values of an entity's internal properties (and their materialised inverses), and every
  copy of a hidden value: a hidden name (``rdfs:label``, ``skos:prefLabel``, ``foaf:name``, ...)
  hides all of the entity's names and search keys; hidden alternative names hide their own
  search keys; and the ``ckg:internalProperty`` marks themselves. A mark that names no property
  (a literal) makes its entity internal.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import _TripleType
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDFS, SKOS
from rdflib.term import Node

from citykg.fold import fold
from citykg.graph.store import open_dataset
from citykg.ontology import bind_prefixes
from citykg.ontology.marks import is_internal_mark
from citykg.ontology.namespaces import CKG, ID, WD
from citykg.queries.sparql import LocalSource

__all__ = [
    "CONTACT_PREDICATES",
    "INTERNAL_CLASSES",
    "INVERSES",
    "NAME_PREDICATES",
    "PERSON_CLASSES",
    "PublicProfile",
    "is_internal_mark",
    "open_profile",
    "public_copy",
    "public_profile",
    "public_view",
]

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
#: schema.org is published under https, but much data (and older tools) still write http.
SCHEMAS = (Namespace("https://schema.org/"), Namespace("http://schema.org/"))


def _schema(*names: str) -> frozenset[URIRef]:
    return frozenset(ns[name] for ns in SCHEMAS for name in names)


#: Properties whose values are always internal, whether or not a dataset marked them.
CONTACT_PREDICATES = frozenset(
    {
        FOAF.mbox,
        FOAF.mbox_sha1sum,
        FOAF.phone,
        FOAF.skypeID,
        FOAF.jabberID,
        FOAF.aimChatID,
        FOAF.icqChatID,
        FOAF.msnChatID,
        FOAF.yahooChatID,
        VCARD.hasEmail,
        VCARD.email,
        VCARD.hasTelephone,
        VCARD.tel,
        VCARD.hasAddress,
        VCARD.adr,
        VCARD["street-address"],
        VCARD.hasInstantMessage,
        VCARD.bday,
        # W3C ORG: the post a person holds, and its holder.
        ORG.holds,
        ORG.heldBy,
        CKG.contact,
        CKG.internalProperty,
    }
    | _schema(
        "email",
        "telephone",
        "faxNumber",
        "contactPoint",
        "contactPoints",
        "address",
        "streetAddress",
        "birthDate",
    )
)

#: Classes of persons: their instances are always internal.
PERSON_CLASSES = frozenset({FOAF.Person, VCARD.Individual, CKG.Person}) | _schema("Person")

#: Classes whose instances are always internal: persons, the posts they hold, contact points.
INTERNAL_CLASSES = PERSON_CLASSES | {ORG.Post} | _schema("ContactPoint")

#: Properties that name an entity: hiding one of the first kind hides them all.
PRIMARY_NAMES = frozenset({RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title, VCARD.fn}) | (
    _schema("name")
)
#: Other names of an entity: hiding one hides these and the search keys only they give.
ALTERNATIVE_NAMES = frozenset({SKOS.altLabel, SKOS.hiddenLabel}) | _schema("alternateName")
NAME_PREDICATES = PRIMARY_NAMES | ALTERNATIVE_NAMES

#: Links from a part to its whole: the part of an internal whole is internal.
PART_OF = (DCTERMS.isPartOf, PROV.wasQuotedFrom, *_schema("isPartOf"))

#: The shortcuts the build materialises one way from the other (graph/build.py): an internal
#: property hides its inverse too.
INVERSES = {
    SKOS.broader: SKOS.narrower,
    SCHEMAS[0].superEvent: SCHEMAS[0].subEvent,
    ORG.unitOf: ORG.hasUnit,
    ORG.memberOf: ORG.hasMember,
}


@dataclass(frozen=True)
class PublicProfile:
    """What the public profile of one graph leaves out; :meth:`keeps` decides per triple.

    Attributes
    ----------
    internal : frozenset
        Nodes no triple of the public profile may mention.
    hidden : frozenset of (subject, predicate)
        Internal properties: no value of ``predicate`` on ``subject`` is public.
    hidden_pairs : frozenset of (member, organization)
        Pairs whose ``org:memberOf``/``org:hasMember`` shortcut only internal memberships give.
    hidden_triples : frozenset of (subject, predicate, object)
        Single triples that copy a hidden value (the search key of a hidden alternative name).
    """

    internal: frozenset[Node]
    hidden: frozenset[tuple[Node, Node]]
    hidden_pairs: frozenset[tuple[Node, Node]]
    hidden_triples: frozenset[tuple[Node, Node, Node]] = frozenset()

    def keeps(self, triple: _TripleType) -> bool:
        """Whether ``triple`` belongs to the public profile.

        Examples
        --------
        >>> from rdflib import URIRef
        >>> a, b = URIRef("urn:a"), URIRef("urn:b")
        >>> PublicProfile(frozenset({b}), frozenset(), frozenset()).keeps((a, a, b))
        False
        """
        s, p, o = triple
        return _keeps(s, p, o, self._rdflib_rule, _RDFLIB_TERMS)

    @property
    def _rdflib_rule(self) -> _Rule:
        return _Rule(self.internal, self.hidden, self.hidden_pairs, self.hidden_triples)

    def filter(self, triples: Iterable[_TripleType]) -> list[_TripleType]:
        """The triples of ``triples`` that belong to the public profile."""
        return [t for t in triples if self.keeps(t)]

    def leaves_out_nothing(self, store: ox.Store) -> bool:
        """Whether the public profile of ``store`` is all of it (no internal data, no contacts)."""
        if self.internal or self.hidden or self.hidden_pairs or self.hidden_triples:
            return False
        return not any(
            next(store.quads_for_pattern(None, ox.NamedNode(str(p)), None), None)
            for p in CONTACT_PREDICATES
        )

    def filter_oxigraph(self, store: ox.Store, location: Path | None = None) -> ox.Store:
        """A new Oxigraph store with the public quads of ``store``: in memory, or a database
        folder at ``location``.

        The same rule as :meth:`keeps`, applied to pyoxigraph's own terms, which is several
        times faster than going through rdflib term by term (``bench/profile_view.py``).
        """
        rule = _Rule(
            frozenset(_ox(n) for n in self.internal if not isinstance(n, Literal)),
            frozenset((_ox(s), _ox(p)) for s, p in self.hidden),
            frozenset((_ox(a), _ox(b)) for a, b in self.hidden_pairs),
            frozenset((_ox(s), _ox(p), _ox(o)) for s, p, o in self.hidden_triples),
        )
        out = ox.Store(str(location)) if location is not None else ox.Store()
        out.bulk_extend(
            q
            for q in store.quads_for_pattern(None, None, None)
            if _keeps(q.subject, q.predicate, q.object, rule, _OX_TERMS)
        )
        return out


@dataclass(frozen=True)
class _Rule:
    internal: AbstractSet[Any]
    hidden: AbstractSet[tuple[Any, Any]]
    pairs: AbstractSet[tuple[Any, Any]]
    triples: AbstractSet[tuple[Any, Any, Any]]


def _ox(node: Node) -> Any:
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    return ox.NamedNode(str(node))


# The predicates the rule names, in rdflib's terms and in pyoxigraph's.
_RDFLIB_TERMS = (frozenset(CONTACT_PREDICATES), ORG.memberOf, ORG.hasMember)
_OX_TERMS = (frozenset(_ox(p) for p in CONTACT_PREDICATES), _ox(ORG.memberOf), _ox(ORG.hasMember))


def _keeps(s: Any, p: Any, o: Any, rule: _Rule, terms: tuple[AbstractSet[Any], Any, Any]) -> bool:
    # The one rule of the public profile, for rdflib and pyoxigraph terms alike.
    contact, member_of, has_member = terms
    if s in rule.internal or o in rule.internal or p in contact or (s, p) in rule.hidden:
        return False
    if p == member_of and (s, o) in rule.pairs:
        return False
    if p == has_member and (o, s) in rule.pairs:
        return False
    return not (rule.triples and (s, p, o) in rule.triples)


def _rows(graph: Graph, query: str) -> list[tuple[Node, ...]]:
    # Through LocalSource, which asks pyoxigraph directly where it can: rdflib's result
    # conversion took 2.5 s of 54k memberships at a million triples.
    result = LocalSource(graph).select(query)
    return [tuple(row[v] for v in result.variables) for row in result.rows]  # type: ignore[misc]


def _dependent(graph: Graph, node: Node) -> bool:
    # Only nodes that describe something else can depend on others: citykg's own structural
    # nodes and the Wikidata items and statements enrichment copies. Vocabulary terms, other
    # IRIs and entities with an identifier stand on their own.
    if isinstance(node, Literal):
        return False
    if str(node).startswith(str(WD)):
        return True
    if not isinstance(node, BNode) and not str(node).startswith(str(ID)):
        return False
    return graph.value(node, DCTERMS.identifier) is None


def _hidden_names(dataset: Graph, hidden: set[tuple[Node, Node]]) -> set[tuple[Node, Node, Node]]:
    """Hide every copy of hidden names; returns the single search-key triples to leave out."""
    triples: set[tuple[Node, Node, Node]] = set()
    subjects = {s for s, p in hidden if p in NAME_PREDICATES}
    for subject in subjects:
        if any((subject, p) in hidden for p in PRIMARY_NAMES):
            # A hidden name: the entity's other names and every search key would give it away.
            hidden.update((subject, p) for p in NAME_PREDICATES | {CKG.searchKey})
            continue
        hidden.update((subject, p) for p in ALTERNATIVE_NAMES)
        public = {fold(str(o)) for p in PRIMARY_NAMES for o in dataset.objects(subject, p)}
        secret = {fold(str(o)) for p in ALTERNATIVE_NAMES for o in dataset.objects(subject, p)}
        for key in dataset.objects(subject, CKG.searchKey):
            if str(key) in secret - public:
                triples.add((subject, CKG.searchKey, key))
    return triples


_STATEMENTS = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?st ?s ?p ?o WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o
}"""

_MEMBERSHIPS = """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?m ?member ?org WHERE { ?m a org:Membership ; org:member ?member ; org:organization ?org }"""


def public_profile(dataset: Graph) -> PublicProfile:
    """Work out what the public profile of ``dataset`` leaves out: the one function that
    decides what is public.

    Parameters
    ----------
    dataset : rdflib.Graph or rdflib.Dataset
        The whole graph (a Dataset with ``default_union=True``, as the store opens it).

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from citykg.ontology.namespaces import CKG, ID
    >>> g = Graph()
    >>> _ = g.add((ID.anna, CKG.internal, Literal("true")))
    >>> ID.anna in public_profile(g).internal
    True
    """
    if isinstance(dataset, Dataset) and not dataset.default_union:
        # Marks live in the named graphs: a Dataset that reads only its default graph
        # would see none of them, and the profile would let everything out.
        dataset = Dataset(store=dataset.store, default_union=True)
    classes = " ".join(c.n3() for c in sorted(INTERNAL_CLASSES))
    internal: set[Node] = {
        row[0]
        for row in _rows(
            dataset, f"SELECT DISTINCT ?x WHERE {{ VALUES ?class {{ {classes} }} ?x a ?class }}"
        )
    }
    internal.update(
        x
        for x, flag in _rows(dataset, f"SELECT ?x ?flag WHERE {{ ?x {CKG.internal.n3()} ?flag }}")
        if is_internal_mark(flag)
    )
    hidden: set[tuple[Node, Node]] = set()
    for subject, predicate in dataset.subject_objects(CKG.internalProperty):
        if isinstance(predicate, Literal):
            # A mark that names no property cannot say what to hide: hide the entity.
            internal.add(subject)
            continue
        hidden.add((subject, predicate))
        inverse = INVERSES.get(predicate) if isinstance(predicate, URIRef) else None
        if inverse is not None:
            hidden.update((obj, inverse) for obj in dataset.objects(subject, predicate))
    hidden_triples = _hidden_names(dataset, hidden)
    # Memberships of internal entities are internal; the shortcuts of internal memberships too.
    pairs: dict[tuple[Node, Node], bool] = {}
    memberships = _rows(dataset, _MEMBERSHIPS) if internal else []
    for membership, member, organization in memberships:
        if member in internal or organization in internal:
            internal.add(membership)
        public = membership not in internal
        pairs[(member, organization)] = pairs.get((member, organization), False) or public
    hidden_pairs = frozenset(pair for pair, public in pairs.items() if not public)
    rule = _Rule(internal, hidden, hidden_pairs, hidden_triples)

    def dropped(s: Node, p: Node, o: Node) -> bool:
        return not _keeps(s, p, o, rule, _RDFLIB_TERMS)

    # Close over what depends on internal nodes: the parts of an internal whole (the sections
    # and passages of an internal document), and the dependent nodes whose every incoming
    # link is left out, walking outwards from internal nodes and the values of left-out links.
    frontier = set(internal)
    # A reified fact (per-fact evidence, an inference) names its triple: it is as internal as
    # the triple's subject, object or hidden value.
    statements = _rows(dataset, _STATEMENTS) if internal or hidden else []
    candidates = {o for p in CONTACT_PREDICATES for o in dataset.objects(None, p)}
    candidates.update(o for s, p in hidden for o in dataset.objects(s, p))
    while frontier or candidates:
        candidates.update(o for s in frontier for o in dataset.objects(s, None))
        found = {
            part
            for whole in frontier
            for p in PART_OF
            for part in dataset.subjects(p, whole)
            if part not in internal
        }
        for node in candidates:
            if node in internal or node in found or not _dependent(dataset, node):
                continue
            if all(dropped(s, p, node) for s, p in dataset.subject_predicates(node)):
                found.add(node)
        found.update(
            statement
            for statement, s, p, o in statements
            if statement not in internal
            and (s in internal or o in internal or s in found or o in found or (s, p) in hidden)
        )
        internal |= found
        frontier, candidates = found, set()
    return PublicProfile(
        frozenset(internal), frozenset(hidden), hidden_pairs, frozenset(hidden_triples)
    )


def public_view(dataset: Dataset, profile: PublicProfile | None = None) -> Dataset:
    """A copy of ``dataset`` that holds only its public profile, named graphs kept; ``dataset``
    itself when its public profile is all of it.

    The copy is an in-memory Oxigraph store behind rdflib, like the persistent store, so
    SPARQL over it behaves the same (run analyses and renderers over it for public outputs).

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> full = assemble(validate=False).dataset
    >>> len(public_view(full)) <= len(full)
    True
    """
    profile = profile or public_profile(dataset)
    inner = getattr(dataset.store, "_inner", None)  # where oxrdflib keeps the pyoxigraph store
    if isinstance(inner, ox.Store) and profile.leaves_out_nothing(inner):
        # Nothing to hide: copying a million-triple store into memory cost 9 s of a push.
        return dataset
    if isinstance(inner, ox.Store):
        public = Dataset(
            store=OxigraphStore(store=profile.filter_oxigraph(inner)), default_union=True
        )
        return bind_prefixes(public)  # type: ignore[return-value]
    out = Dataset(store=OxigraphStore(store=ox.Store()), default_union=True)
    bind_prefixes(out)
    for graph in dataset.graphs():
        kept = profile.filter(graph)
        if not kept:
            continue
        target = out.graph(graph.identifier)
        target.addN((s, p, o, target) for s, p, o in kept)
    return out


def open_profile(path: Path, *, include_internal: bool = False) -> Dataset:
    """Open the store at ``path`` for an output that leaves the machine.

    The public profile unless ``include_internal``; pass the result to ``LocalSource`` to run
    an output's queries over it (maps, network exports, pushes, a served endpoint).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from citykg.graph.build import build
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> _ = build(store)  # Copenhagen's dataset holds no internal data
    >>> len(open_profile(store)) == len(open_profile(store, include_internal=True))
    True
    """
    dataset = open_dataset(path)
    return dataset if include_internal else public_view(dataset)


def public_copy(path: Path, target: Path) -> int:
    """Write the public profile of the store at ``path`` as an Oxigraph database at ``target``.

    For outputs that need a database folder rather than a graph in memory, such as a server
    (``oxigraph serve-read-only --location TARGET``). Returns the number of quads written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from citykg.graph.build import build
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = build(folder / "store")
    >>> public_copy(folder / "store", folder / "public") > 0
    True
    """
    dataset = open_dataset(path)
    inner = getattr(dataset.store, "_inner", None)
    assert isinstance(inner, ox.Store)  # open_dataset always gives an Oxigraph-backed Dataset
    out = public_profile(dataset).filter_oxigraph(inner, location=target)
    out.flush()
    return len(out)
