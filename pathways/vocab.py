"""RDF namespaces used across the package, named once."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD

PW = Namespace("https://w3id.org/stepupdown/pathways#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
CASE = Namespace("https://w3id.org/stepupdown/case/")
SHP = Namespace("https://w3id.org/stepupdown/shapes#")

PREFIXES = {
    "pw": PW,
    "p-plan": PPLAN,
    "prov": PROV,
    "skos": SKOS,
    "time": TIME,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "xsd": XSD,
    "case": CASE,
}

__all__ = [
    "CASE",
    "DCTERMS",
    "OWL",
    "PPLAN",
    "PREFIXES",
    "PROV",
    "PW",
    "RDF",
    "RDFS",
    "SH",
    "SHP",
    "SKOS",
    "TIME",
    "XSD",
]
