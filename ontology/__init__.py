"""The citykg ontology, SHACL shapes and namespaces.

The bottom layer: it imports nothing else of citykg but the error types.
"""

from __future__ import annotations

from importlib import resources

from rdflib import Graph

from citykg.ontology.namespaces import CKG, ID, PREFIXES, id_iri, sdg_iri

__all__ = [
    "CKG",
    "ID",
    "ONTOLOGY_FILES",
    "PREFIXES",
    "bind_prefixes",
    "id_iri",
    "ontology_graph",
    "ontology_text",
    "sdg_iri",
    "shapes_graph",
]

#: The Turtle files that make up the ontology graph (the SDG goals come with it).
ONTOLOGY_FILES = ("citykg.ttl", "sdgs.ttl")


def ontology_text(name: str) -> str:
    """The text of one of the ontology's package-data files (``citykg.ttl``, ``shapes.ttl``...)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind citykg's prefixes on ``graph`` (for readable serialisations) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def ontology_graph() -> Graph:
    """The ontology (classes, properties, concept schemes, SDG goals) as a new rdflib Graph.

    Examples
    --------
    >>> from rdflib import OWL, RDF
    >>> (CKG.City, RDF.type, OWL.Class) in ontology_graph()
    True
    """
    graph = bind_prefixes(Graph())
    for name in ONTOLOGY_FILES:
        graph.parse(data=ontology_text(name), format="turtle")
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes that a built graph must conform to, as a new rdflib Graph."""
    return bind_prefixes(Graph()).parse(data=ontology_text("shapes.ttl"), format="turtle")
