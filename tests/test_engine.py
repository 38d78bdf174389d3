"""The default engine gives exactly the findings of plain pySHACL run case by case.

The cases include a compliant case and a failing example of every rule kind on every
pathway (the shipped sample set plus synthetic cases with injected deviations).
"""

from __future__ import annotations

from pathways.audit import audit_cases as audit
from pathways.cases import CaseBatch, read_cases, read_csv
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.resources import SAMPLE_CASES


def signature(result):
    return sorted((f.case_id, f.rule, f.severity, f.focus_event, f.message) for f in result.findings)


def test_the_default_engine_equals_pyshacl_case_by_case():
    sample = read_cases([SAMPLE_CASES])
    cases, _ = synthesise(48, seed=77, deviation_share=0.7)
    synthetic = read_csv(cases_csv(cases), "synthetic.csv")
    batch = CaseBatch(cases=sample.cases + synthetic.cases)
    fast, reference = audit(batch), audit(batch, engine_name="pyshacl")
    kinds = {f.rule.split(":")[0] for f in reference.findings}
    assert kinds == {"existence", "precedence", "role", "timescale", "requirement"}
    assert len(reference.findings) >= 30
    assert signature(fast) == signature(reference)


# ------------------------------------------------------------------ malformed case graphs
#
# Cases read from files are always well formed (the readers build them), so the structural
# shapes never fire in an audit. They are checked here on case graphs broken on purpose:
# one well-formed case, copied under a new id per break, its N-Triples edited.

PW = "https://w3id.org/stepupdown/pathways#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _breaks(case: str, other_step: str) -> dict[str, tuple[object, str]]:
    """Each break of a case graph: (an edit of its N-Triples lines, a problem it must raise)."""
    event = f"<{case}/event/1>"

    def drop(predicate: str, subject: str):
        return lambda lines: [line for line in lines if not line.startswith(f"{subject} <{PW}{predicate}> ")]

    def add(*extra: str):
        return lambda lines: [*lines, *extra]

    def replace(predicate: str, value: str, subject: str = event):
        prefix = f"{subject} <{PW}{predicate}> "
        return lambda lines: [prefix + value + " ." if line.startswith(prefix) else line for line in lines]

    pathway = other_step.rsplit(".", 1)[0]
    return {
        "no-id": (drop("caseId", f"<{case}>"), "no case id"),
        "two-ids": (add(f'<{case}> <{PW}caseId> "another" .'), "more than one case id"),
        "id-not-string": (replace("caseId", f'"7"^^<{XSD}integer>', f"<{case}>"), "no case id"),
        "no-pathway": (replace("onPathway", "<https://example.org/nowhere>", f"<{case}>"), "no pathway of the model"),
        "two-pathways": (add(f"<{case}> <{PW}onPathway> <{pathway}> ."), "more than one pathway"),
        "no-events": (drop("event", f"<{case}>"), "no events"),
        "no-step": (drop("carriesOut", event), "no carriesOut"),
        "two-dates": (add(f'{event} <{PW}date> "2025-01-02"^^<{XSD}date> .'), "more than one date"),
        "day-index-text": (replace("dayIndex", '"soon"'), "dayIndex is not an integer"),
        "date-text": (replace("date", '"2 Jan"'), "date is not an xsd:date"),
        "hours-text": (add(f'{event} <{PW}hourIndex> "9am" .'), "hourIndex is not an xsd:decimal"),
        "two-hours": (
            add(f'{event} <{PW}hourIndex> "1.5"^^<{XSD}decimal> .', f'{event} <{PW}hourIndex> "2.5"^^<{XSD}decimal> .'),
            "more than one hourIndex",
        ),
        "not-a-role": (replace("byRole", "<https://example.org/nobody>"), "the role is not a role of the model"),
        "foreign-step": (replace("carriesOut", f"<{other_step}>"), "the step is not a step of the case's pathway"),
    }


def _results(validation):
    return sorted((str(v.focus), str(v.shape), str(v.severity), str(v.value), v.messages) for v in validation)


def test_structural_shapes_agree_with_pyshacl_on_broken_case_graphs():
    """Every structural problem is found, by both engines alike."""
    from dataclasses import replace as copy

    from pyshacl import validate
    from rdflib import Graph

    from pathways.audit.engines import setwise as engine
    from pathways.audit.results import results_from_report
    from pathways.audit.rules import rules_graph, shapes_graph
    from pathways.cases.rdf import case_iri, case_ntriples

    sample = read_cases([SAMPLE_CASES])
    record = min(sample.cases, key=lambda r: len(r.events))
    other = next(r for r in sample.cases if r.pathway != record.pathway)
    rules = rules_graph(record.authority, record.pathway)
    for name in _breaks("x", str(other.events[0].node_iri)):
        broken = copy(record, case_id=f"broken-{name}")
        edit, problem = _breaks(str(case_iri(broken.case_id)), str(other.events[0].node_iri))[name]
        text = "\n".join(edit(case_ntriples([broken]).splitlines())) + "\n"
        fast = engine.validate_fast([rules], text, shapes_graph(), lambda: rules)
        data = Graph()
        for triple in rules:
            data.add(triple)
        data.parse(data=text, format="nt")
        _, report, _ = validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True, inplace=True)
        assert _results(fast) == _results(results_from_report(report)), name
        assert any(problem in message for v in fast for message in v.messages), name


# ------------------------------------------------------------------ structure assured by the writer
#
# The batch engine skips the structural shapes for cases whose graph the writer vouches
# for (case_rdf.well_formed_as_written). These tests hold that reasoning to account.


def _sample_and_synthetic():
    sample = read_cases([SAMPLE_CASES])
    cases, _ = synthesise(40, seed=5, deviation_share=0.5)
    return sample.cases + read_csv(cases_csv(cases), "synthetic.csv").cases


def test_cases_read_from_files_are_assured_and_the_structural_shapes_agree():
    from pathways.audit.engines import setwise as engine
    from pathways.audit.rules import rules_graph, shapes_graph
    from pathways.cases.rdf import case_ntriples, well_formed_as_written

    records = _sample_and_synthetic()
    keys = sorted({(r.authority, r.pathway) for r in records})
    rules = [rules_graph(*key) for key in keys]
    assert well_formed_as_written(records, rules)
    evaluated = engine.validate_fast(rules, case_ntriples(records), shapes_graph(), lambda: None)
    assert not [v for v in evaluated if "Malformed" in " ".join(v.messages)]


def test_a_record_the_writer_cannot_vouch_for_is_checked_by_the_structural_shapes():
    from dataclasses import replace as copy

    from pathways.audit.rules import rules_graph
    from pathways.cases.rdf import well_formed_as_written

    record = read_cases([SAMPLE_CASES]).cases[0]
    rules = [rules_graph(record.authority, record.pathway)]
    step = record.events[0].node_iri
    no_role = copy(record, case_id="no-role", events=[copy(record.events[0], role_iri=step), *record.events[1:]])
    twice = copy(record, case_id="same-sequence", events=[record.events[0], copy(record.events[1], sequence=1)])
    assert not well_formed_as_written([no_role], rules)
    assert not well_formed_as_written([twice], rules)
    assert not well_formed_as_written([record, copy(record)], rules)  # one id, two records
    batch = CaseBatch(cases=[no_role, twice])
    fast, reference = audit(batch), audit(batch, engine_name="pyshacl")
    assert signature(fast) == signature(reference)
    messages = " ".join(f.message for f in fast.findings)
    assert "the role is not a role of the model" in messages
    assert "more than one" in messages
