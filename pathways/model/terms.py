"""Reading plain values of RDF terms: the first literal of a property, a human label.

Every reader of the model (policy records, graph, comparison, documentation) takes
literals and labels through these two functions, so a term reads the same everywhere.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from pathways.model.vocabulary import RDFS, SKOS

__all__ = ["flag", "label", "local_name", "text"]


def text(graph: Graph, subject: Node | None, *predicates: URIRef) -> str:
    """The first literal value of the first predicate that has one ('' when none).

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x"), RDFS.comment, Literal("a note")))
    >>> text(g, URIRef("urn:x"), RDFS.label, RDFS.comment)
    'a note'
    """
    if subject is None:
        return ""
    for predicate in predicates:
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal):
                return str(value)
    return ""


def flag(graph: Graph, subject: Node | None, predicate: URIRef) -> bool:
    """A boolean mark of the model, e.g. ``pw:isOptional``; absent means false."""
    return str(graph.value(subject, predicate)).lower() == "true"


def local_name(term: Node) -> str:
    """The last segment of an IRI, after its last '#' or '/'.

    >>> local_name(URIRef("https://w3id.org/stepupdown/pathways#Must"))
    'Must'
    """
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def label(graph: Graph, subject: Node | None) -> str:
    """A human label: rdfs:label, else skos:prefLabel, else the IRI's last segment."""
    found = text(graph, subject, RDFS.label, SKOS.prefLabel)
    if found or subject is None:
        return found
    return str(subject).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
