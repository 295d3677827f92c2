"""The internal mark: the one reading of ``ckg:internal`` that every part of citykg shares.

The public profile (:mod:`citykg.graph.profile`) decides what is public; loaders that make
entities on behalf of an internal one (a member list of an internal network) read the mark
the same way, from here.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node

from citykg.ontology.namespaces import CKG

__all__ = ["has_internal_mark", "is_internal_mark"]

#: The lexical forms of ``ckg:internal`` that say "not internal"; any other value is a mark.
_FALSE = frozenset({"false", "0"})


def is_internal_mark(value: Node) -> bool:
    """Whether ``value`` of ``ckg:internal`` marks its entity internal.

    Only a false boolean (``false``, ``0``, typed or not) leaves the entity public: a value
    that is not clearly false counts as internal, so that ``"true"`` or ``1`` from an RDF
    source cannot let an entity out.

    Examples
    --------
    >>> from rdflib import Literal
    >>> [is_internal_mark(Literal(v)) for v in (True, "true", 1, "yes", False, "0")]
    [True, True, True, True, False, False]
    """
    return not (isinstance(value, Literal) and str(value).strip().lower() in _FALSE)


def has_internal_mark(graph: Graph, node: Node) -> bool:
    """Whether ``graph`` marks ``node`` internal (see :func:`is_internal_mark`).

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x"), CKG.internal, Literal("1")))
    >>> has_internal_mark(g, URIRef("urn:x")), has_internal_mark(g, URIRef("urn:y"))
    (True, False)
    """
    return any(is_internal_mark(value) for value in graph.objects(node, CKG.internal))
