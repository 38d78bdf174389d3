"""The RDF form of a case: one N-Triples writer that rdflib and Oxigraph read alike."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import RdfFormat, Store
from rdflib import Literal, URIRef

from pathways.cases import CaseBatch, read_cases, read_csv
from pathways.cases.rdf import case_graph, case_iri, case_ntriples, first_of_each_step
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.vocabulary import PW, XSD


@pytest.fixture(scope="module")
def batch(sample_csv) -> CaseBatch:
    cases, _ = synthesise(60, seed=11, deviation_share=0.5)
    synthetic = read_csv(cases_csv(cases), "synthetic.csv")
    return CaseBatch(cases=read_cases([sample_csv]).cases + synthetic.cases)


def _value(term) -> tuple:
    """A term as a comparable value: literals by datatype and value (the two libraries write
    some lexical forms differently, e.g. 228153.0 and 228153 for the same decimal)."""
    if isinstance(term, Literal):
        return ("literal", str(term.datatype or ""), term.toPython())
    return ("iri", str(term))


def _rdflib_triples(records) -> set[tuple]:
    return {(str(s), str(p), _value(o)) for r in records for s, p, o in case_graph(r)}


def _oxigraph_triples(text: str) -> set[tuple]:
    store = Store()
    store.load(text, format=RdfFormat.N_TRIPLES)  # strict: IRIs and literals are checked
    out = set()
    for quad in store:
        o = quad.object
        if isinstance(o, OxLiteral):
            datatype = URIRef(o.datatype.value)
            value = Literal(o.value, datatype=None if datatype == XSD.string else datatype)
        else:
            value = URIRef(o.value)
        out.add((quad.subject.value, quad.predicate.value, _value(value)))
    return out


def test_rdflib_and_oxigraph_read_the_same_triples(batch):
    text = case_ntriples(batch.cases)
    from_rdflib = _rdflib_triples(batch.cases)
    assert len(from_rdflib) == text.count("\n") > 100 * len(batch.cases)  # no line lost or merged
    assert _oxigraph_triples(text) == from_rdflib


@pytest.mark.parametrize(
    "case_id", ['quote " inside', "back\\slash", "new\nline", "café 🙂", "spaces and / slashes", "%41 percent"]
)
def test_odd_case_ids_survive_as_literals_and_give_distinct_iris(batch, case_id):
    record = replace(batch.cases[0], case_id=case_id)
    graph = case_graph(record)
    case = case_iri(case_id)
    assert graph.value(case, PW.caseId) == Literal(case_id)
    assert _oxigraph_triples(case_ntriples([record])) == _rdflib_triples([record])
    assert case != case_iri(case_id + "x") and " " not in str(case)


def test_first_and_last_events_of_each_step_are_marked_and_outcomes_written(batch):
    """Timescales measure from the first event of a step, look-backs from the last; a
    decision's outcome is stated on its event."""
    for record in batch.cases:
        graph = case_graph(record)
        case = case_iri(record.case_id)
        firsts = {e.sequence for e in first_of_each_step(record)}
        lasts = {e.sequence for e in {e.node: e for e in record.events}.values()}
        events = {URIRef(f"{case}/event/{e.sequence}"): e for e in record.events}
        assert {events[n].sequence for n in graph.subjects(PW.firstOfStep, None)} == firsts
        assert {events[n].sequence for n in graph.subjects(PW.lastOfStep, None)} == lasts
        assert {(events[n].sequence, str(o)) for n, o in graph.subject_objects(PW.outcome)} == {
            (e.sequence, e.outcome) for e in record.events if e.outcome
        }
