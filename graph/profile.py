"""The public profile: the graph without its internal data.

The strategy's principle is that citizen and company data is always adequately protected in
international cooperations. Datasets mark what must not leave (``ckg:internal true`` on an
entity, ``ckg:internalProperty <p>`` for a field; see the dataset format in README.md).
Every output that leaves the machine (exports, maps, pushes, a served endpoint) is made from
:func:`public_view`; queries run locally see everything.

What the public profile leaves out:

- every triple about or pointing at an internal entity (``ckg:internal true``), and every
  person (``foaf:Person``), marked or not;
- every membership whose member or organisation is internal, and the ``org:memberOf`` /
  ``org:hasMember`` shortcuts that only an internal membership gives;
- the nodes that exist only to describe internal things: a citykg node (``id:`` namespace or
  a blank node) without its own ``dcterms:identifier`` whose every incoming link comes from
  internal nodes (a membership's period, a person's post, a passage only an internal entity
  cites);
- the values of an entity's internal properties (and their materialised inverses);
- contact data wherever it is, marked or not: ``foaf:mbox``, ``foaf:phone``, vCard and
  schema.org e-mail and telephone, ``ckg:contact``; and the ``ckg:internalProperty`` marks
  themselves.
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
from rdflib.namespace import DCTERMS, FOAF, ORG, RDFS, SKOS
from rdflib.term import Node

from citykg.graph.store import open_dataset
from citykg.ontology import bind_prefixes
from citykg.ontology.namespaces import CKG, ID, SCHEMA
from citykg.queries.sparql import LocalSource

__all__ = [
    "CONTACT_PREDICATES",
    "INVERSES",
    "PERSON_CLASSES",
    "PublicProfile",
    "open_profile",
    "public_copy",
    "public_profile",
    "public_view",
]

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

#: Properties that name an entity; ``ckg:searchKey`` holds folded copies of them.
NAME_PREDICATES = frozenset({RDFS.label, SKOS.prefLabel, SKOS.altLabel})

#: Predicates whose values are always internal, whether or not a dataset marked them.
CONTACT_PREDICATES = frozenset(
    {
        FOAF.mbox,
        FOAF.mbox_sha1sum,
        FOAF.phone,
        VCARD.hasEmail,
        VCARD.hasTelephone,
        VCARD.email,
        VCARD.tel,
        SCHEMA.email,
        SCHEMA.telephone,
        SCHEMA.faxNumber,
        CKG.contact,
        CKG.internalProperty,
    }
)

#: Classes whose instances are always internal.
PERSON_CLASSES = frozenset({FOAF.Person, CKG.Person})

#: The shortcuts the build materialises one way from the other (graph/build.py): an internal
#: property hides its inverse too.
INVERSES = {
    SKOS.broader: SKOS.narrower,
    SCHEMA.superEvent: SCHEMA.subEvent,
    ORG.unitOf: ORG.hasUnit,
    ORG.memberOf: ORG.hasMember,
}

_TRUE = Literal(True)


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
    """

    internal: frozenset[Node]
    hidden: frozenset[tuple[Node, Node]]
    hidden_pairs: frozenset[tuple[Node, Node]]

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
        return _keeps(s, p, o, self.internal, self.hidden, self.hidden_pairs, _RDFLIB_TERMS)

    def filter(self, triples: Iterable[_TripleType]) -> list[_TripleType]:
        """The triples of ``triples`` that belong to the public profile."""
        return [t for t in triples if self.keeps(t)]

    def leaves_out_nothing(self, store: ox.Store) -> bool:
        """Whether the public profile of ``store`` is all of it (no internal data, no contacts)."""
        if self.internal or self.hidden or self.hidden_pairs:
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
        internal = {_ox(n) for n in self.internal if not isinstance(n, Literal)}
        hidden = {(_ox(s), _ox(p)) for s, p in self.hidden}
        pairs = {(_ox(a), _ox(b)) for a, b in self.hidden_pairs}
        out = ox.Store(str(location)) if location is not None else ox.Store()
        out.bulk_extend(
            q
            for q in store.quads_for_pattern(None, None, None)
            if _keeps(q.subject, q.predicate, q.object, internal, hidden, pairs, _OX_TERMS)
        )
        return out


def _ox(node: Node) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(str(node)) if isinstance(node, BNode) else ox.NamedNode(str(node))


# The predicates the rule names, in rdflib's terms and in pyoxigraph's.
_RDFLIB_TERMS = (frozenset(CONTACT_PREDICATES), ORG.memberOf, ORG.hasMember)
_OX_TERMS = (frozenset(_ox(p) for p in CONTACT_PREDICATES), _ox(ORG.memberOf), _ox(ORG.hasMember))


def _keeps(
    s: Any,
    p: Any,
    o: Any,
    internal: AbstractSet[Any],
    hidden: AbstractSet[tuple[Any, Any]],
    pairs: AbstractSet[tuple[Any, Any]],
    terms: tuple[AbstractSet[Any], Any, Any],
) -> bool:
    # The one rule of the public profile, for rdflib and pyoxigraph terms alike.
    contact, member_of, has_member = terms
    if s in internal or o in internal or p in contact or (s, p) in hidden:
        return False
    if p == member_of and (s, o) in pairs:
        return False
    return not (p == has_member and (o, s) in pairs)


def _rows(graph: Graph, query: str) -> list[tuple[Node, ...]]:
    # Through LocalSource, which asks pyoxigraph directly where it can: rdflib's result
    # conversion took 2.5 s of 54k memberships at a million triples.
    result = LocalSource(graph).select(query)
    return [tuple(row[v] for v in result.variables) for row in result.rows]  # type: ignore[misc]


def _dependent(graph: Graph, node: Node) -> bool:
    # Only citykg's own structural nodes can depend on others; vocabulary terms, external
    # IRIs and entities with an identifier stand on their own.
    if isinstance(node, Literal):
        return False
    if not isinstance(node, BNode) and not str(node).startswith(str(ID)):
        return False
    return graph.value(node, DCTERMS.identifier) is None


def public_profile(dataset: Graph) -> PublicProfile:
    """Work out what the public profile of ``dataset`` leaves out.

    Parameters
    ----------
    dataset : rdflib.Graph or rdflib.Dataset
        The whole graph (a Dataset with ``default_union=True``, as the store opens it).

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from citykg.ontology.namespaces import CKG, ID
    >>> g = Graph()
    >>> _ = g.add((ID.anna, CKG.internal, Literal(True)))
    >>> ID.anna in public_profile(g).internal
    True
    """
    if isinstance(dataset, Dataset) and not dataset.default_union:
        # Marks live in the named graphs: a Dataset that reads only its default graph
        # would see none of them, and the profile would let everything out.
        dataset = Dataset(store=dataset.store, default_union=True)
    persons = " ".join(c.n3() for c in sorted(PERSON_CLASSES))
    internal: set[Node] = {
        row[0]
        for row in _rows(
            dataset,
            f"""SELECT DISTINCT ?x WHERE {{
            {{ ?x {CKG.internal.n3()} ?flag FILTER(?flag = true) }}
            UNION {{ VALUES ?class {{ {persons} }} ?x a ?class }} }}""",
        )
    }
    # Memberships of internal entities are internal; the shortcuts of internal memberships too.
    pairs: dict[tuple[Node, Node], bool] = {}
    for membership, member, organization in _rows(
        dataset,
        """PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?m ?member ?org WHERE {
            ?m a org:Membership ; org:member ?member ; org:organization ?org }""",
    ):
        if member in internal or organization in internal:
            internal.add(membership)
        public = membership not in internal
        pairs[(member, organization)] = pairs.get((member, organization), False) or public
    hidden_pairs = frozenset(pair for pair, public in pairs.items() if not public)
    # Close over dependent nodes: walk outwards from internal nodes until nothing changes.
    frontier = set(internal)
    while frontier:
        found: set[Node] = set()
        for node in frontier:
            for obj in dataset.objects(node, None):
                if obj in internal or obj in found or not _dependent(dataset, obj):
                    continue
                if all(subject in internal for subject in dataset.subjects(None, obj)):
                    found.add(obj)
        internal |= found
        frontier = found
    hidden: set[tuple[Node, Node]] = set()
    for subject, predicate in dataset.subject_objects(CKG.internalProperty):
        hidden.add((subject, predicate))
        if predicate in NAME_PREDICATES:
            # The build's search keys are folded copies of the names: a hidden name hides them.
            hidden.add((subject, CKG.searchKey))
        inverse = INVERSES.get(predicate) if isinstance(predicate, URIRef) else None
        if inverse is not None:
            hidden.update((obj, inverse) for obj in dataset.objects(subject, predicate))
    return PublicProfile(frozenset(internal), frozenset(hidden), hidden_pairs)


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
