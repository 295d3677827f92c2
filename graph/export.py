"""Serialise a citykg graph to RDF files, deterministically."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal
from rdflib.graph import _TripleType
from rdflib.namespace import XSD
from rdflib.plugins.serializers.trig import TrigSerializer

from citykg.errors import CitykgError, did_you_mean
from citykg.graph.profile import public_view
from citykg.ontology import bind_prefixes

__all__ = ["RDF_FORMATS", "export_rdf"]

#: Export format names and the rdflib serialiser each uses.
RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


def _plain(triples: Iterable[_TripleType]) -> list[_TripleType]:
    # Oxigraph hands back simple literals typed xsd:string (RDF 1.1 makes them the same);
    # untyping them keeps Turtle and JSON-LD free of a ^^xsd:string on every name.
    out = []
    for s, p, o in triples:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.append((s, p, o))
    return sorted(out)


def _oxigraph_nt(store: ox.Store) -> str:
    """The union of ``store``'s graphs as sorted, distinct N-Triples lines.

    Oxigraph's serialiser writes each graph in one call, where rdflib converts, copies and
    serialises term by term (40 s of a 1M-triple push); the lines are the same.
    """
    lines: set[str] = set()
    for graph in [ox.DefaultGraph(), *store.named_graphs()]:
        text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        lines.update(text.decode("utf-8").split("\n"))
    lines.discard("")
    return "".join(line + "\n" for line in sorted(lines))


def _sorted_copy(triples: Iterable[_TripleType]) -> Graph:
    # rdflib's memory store keeps insertion order; inserting sorted makes output reproducible.
    copy = bind_prefixes(Graph())
    for triple in _plain(triples):
        copy.add(triple)
    return copy


class _SortedTrig(TrigSerializer):
    """rdflib's TriG writer with the graphs in IRI order: rdflib keeps a store's graphs in a
    set, whose order changes with Python's hash seed from one process to the next."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


def _trig(dataset: Dataset) -> str:
    stream = io.BytesIO()
    _SortedTrig(dataset).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def export_rdf(dataset: Dataset, fmt: str, *, include_internal: bool = False) -> str:
    """The graph as text in ``fmt`` (``ttl``, ``nt``, ``jsonld`` or ``trig``).

    ``trig`` keeps the named graphs (one per source, the ontology, the inferred shortcuts); the
    other formats give their union. The same graph always gives the same text. Only the
    public profile is exported (see :mod:`citykg.graph.profile`) unless ``include_internal``.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> text = export_rdf(assemble(validate=False).dataset, "nt")
    >>> text.splitlines() == sorted(text.splitlines())
    True
    """
    if fmt not in RDF_FORMATS:
        raise CitykgError(
            f"unknown RDF format '{fmt}'",
            did_you_mean(fmt, RDF_FORMATS) or "Use ttl, nt, jsonld or trig.",
        )
    if not include_internal:
        dataset = public_view(dataset)
    if fmt == "trig":
        out = Dataset()
        bind_prefixes(out)
        for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
            if not len(graph):
                continue
            target = out.graph(graph.identifier)
            for triple in _plain(graph):
                target.add(triple)
        return _trig(out)
    inner = getattr(dataset.store, "_inner", None)  # where oxrdflib keeps the pyoxigraph store
    if fmt == "nt" and isinstance(inner, ox.Store):
        return _oxigraph_nt(inner)
    union = _sorted_copy(dataset.triples((None, None, None)))
    if fmt == "nt":
        # split("\n"), not splitlines(): a literal may hold U+2028 or \x85, which N-Triples
        # writes raw and splitlines() would cut the triple at.
        lines = union.serialize(format="nt").split("\n")
        return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())
    return union.serialize(format=RDF_FORMATS[fmt])
