"""What the shapes read: the SHACL shapes, and each pathway's part of the policy model.

A case of one pathway is audited against a *rules graph*: the pathway's steps, roles and
obligations (existence, precedence, roles, timescales, service hours, requirements) with their citations
(copied from the model, following the links a rule's message reads), the class hierarchy
and the shapes themselves. Nothing is derived from the drawing: the arrows of the
flowchart are not obligations. Both engines read the same rules graphs, so they audit
against the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Graph
from rdflib.term import Node

from pathways.model.loading import load_graph, load_model
from pathways.model.policy import pathway
from pathways.model.resources import SHAPES_DIR
from pathways.model.vocabulary import DCTERMS, PPLAN, PW, RDF, RDFS, TIME

__all__ = ["data_graph", "ontology_for", "rules_graph", "shapes_graph"]


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All SHACL shapes under ``shapes/``."""
    return load_graph(sorted(SHAPES_DIR.glob("*.ttl")))


def _describe(model: Graph, seeds: Iterable[Node], into: Graph) -> None:
    """Copy the triples about each seed, following blank nodes, sections, documents and
    authorities, so a rule's citation can be read from the copy."""
    pending, seen = list(seeds), set()
    while pending:
        subject = pending.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in model.triples((subject, None, None)):
            into.add(triple)
            value = triple[2]
            if isinstance(value, BNode) or triple[1] in _FOLLOW:
                pending.append(value)


_FOLLOW = {
    PW.source,
    DCTERMS.isPartOf,
    PW.authority,
    PW.modality,
    PW.timescaleKind,
    TIME.unitType,
    PW.auditUnit,
    TIME.dayOfWeek,
    PW.performedBy,
    PW.decidedBy,
    PW.involves,
    PW.partOf,
    PW.serviceHours,
    PW.openingHours,
}


@lru_cache(maxsize=32)
def rules_graph(authority_id: str, pathway_id: str) -> Graph:
    """What the shapes read to audit a case of one pathway: the pathway's part of the model
    (its steps, roles, obligations and their citations), the class hierarchy and the shapes."""
    model = load_model()
    plan = pathway(authority_id, pathway_id, model)
    graph = Graph()
    members = set(model.subjects(PPLAN.isStepOfPlan, plan.iri))
    seeds: set[Node] = {plan.iri, *members, *model.subjects(PW.onPathway, plan.iri)}
    seeds |= {r for r, step in model.subject_objects(PW.appliesTo) if step in members}
    seeds |= {r for r in model.subjects(PW.partOf, None) if model.value(r, PW.partOf) in seeds}
    seeds |= set(model.subjects(RDF.type, PW.Role)) & set(model.subjects(PW.authority, plan.authority.iri))
    seeds |= set(model.subjects(RDF.type, PW.Modality))
    seeds |= {day for day in model.subjects(PW.isoWeekday, None) if str(day).startswith(str(TIME))}
    _describe(model, seeds, graph)
    for triple in model.triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    for triple in shapes_graph():
        graph.add(triple)
    return graph


@lru_cache(maxsize=16)
def ontology_for(keys: tuple[tuple[str, str], ...]) -> Graph:
    """The rules graphs of several pathways (by authority and pathway id) in one graph."""
    graph = Graph()
    for key in keys:
        for triple in rules_graph(*key):
            graph.add(triple)
    return graph


def data_graph(records: Iterable) -> Graph:
    """The one data graph the shapes validate for these cases: their pathways' rules graphs
    and every case's triples, so anyone can re-run the audit with another SHACL engine
    (``pathways validate --data-graph FILE`` writes it; ``pathways export --format shapes``
    the shapes). Validating it whole gives the findings the engines give case by case.
    """
    from pathways.cases.rdf import case_graph

    records = list(records)
    graph = Graph()
    for prefix, namespace in shapes_graph().namespaces():
        graph.bind(prefix, namespace, override=False)
    for triple in ontology_for(tuple(sorted({(r.authority, r.pathway) for r in records}))):
        graph.add(triple)
    for record in records:
        case_graph(record, graph)
    return graph
