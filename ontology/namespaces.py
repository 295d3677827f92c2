"""The namespaces citykg uses, in one place.

rdflib ships constants for most of them; two are declared here because rdflib's own are wrong
or missing for our purpose: ``POS`` (rdflib 7.6's ``WGS`` uses https, the vocabulary is http)
and ``SDG`` (the UN publishes goals under http://metadata.un.org/sdg/N).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

__all__ = [
    "BASE",
    "CKG",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "POS",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SDG",
    "SKOS",
    "TIME",
    "WD",
    "WDT",
    "XSD",
    "id_iri",
    "sdg_iri",
]

BASE = "https://w3id.org/citykg/"
CKG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]

SCHEMA = SDO
POS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SDG = Namespace("http://metadata.un.org/sdg/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

PREFIXES: dict[str, Namespace] = {
    "ckg": CKG,
    "id": ID,
    "dcat": Namespace(str(DCAT)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "org": Namespace(str(ORG)),
    "owl": Namespace(str(OWL)),
    "pos": POS,
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": Namespace(str(SDO)),
    "sdg": SDG,
    "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)),
    "wd": WD,
    "wdt": WDT,
    "xsd": Namespace(str(XSD)),
}


def id_iri(entity_id: str) -> URIRef:
    """The IRI of a dataset entity from its short ID.

    Examples
    --------
    >>> id_iri("c40")
    rdflib.term.URIRef('https://w3id.org/citykg/id/c40')
    """
    return ID[entity_id]


def sdg_iri(goal: int) -> URIRef:
    """The UN's IRI for Sustainable Development Goal ``goal`` (1-17).

    Examples
    --------
    >>> sdg_iri(13)
    rdflib.term.URIRef('http://metadata.un.org/sdg/13')
    """
    if not 1 <= goal <= 17:
        raise ValueError(f"SDG goals are numbered 1 to 17, not {goal}")
    return SDG[str(goal)]
