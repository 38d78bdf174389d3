"""The audit conformance suite (tests/conformance/) is well formed.

The suite was written from the two policy texts by someone who had not read the audit's
implementation: hand-made case records, each with the findings the text calls for and the
words that justify them. These checks keep it honest as data: every file parses, case
ids are unique, every quoted justification occurs verbatim in its policy text, and every
activity, role, branch, evidence key, concern and level it names is a term of the model
(or one the suite lists in gaps.md as missing from the model).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal

from pathways.model.resources import AUTHORITIES_DIR, SOURCES_DIR
from pathways.model.vocabulary import DCTERMS, PPLAN, PW, RDF, RDFS, SKOS

SUITE = Path(__file__).resolve().parent / "conformance"
SOURCES = {
    "cheshire-east": "cheshire-east-step-up-step-down-2024.txt",
    "knowsley": "knowsley-4.16-step-up-step-down-2020.txt",
}
# Terms the text needs that the model does not have yet (tests/conformance/gaps.md, section A).
GAP_ACTIVITIES = {"mutual-agreement-to-end-involvement", "early-help-started"}
GAP_CONCERNS = {"family-absent-from-cin-meeting"}
KINDS = {
    "existence",
    "precedence",
    "response",
    "notice",
    "look-back",
    "weekday",
    "same-day",
    "decided-by",
    "performed-by",
    "requirement",
    "service-hours",
    "immediately",
}
FILES = sorted(SUITE.glob("*/*.yaml"))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_suite_is_large_enough_and_ids_are_unique():
    ids = [case["id"] for path in FILES for case in _load(path)["cases"]]
    assert len(ids) >= 80
    assert len(ids) == len(set(ids))
    assert {path.parent.name for path in FILES} == set(SOURCES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_case_names_model_terms_and_quotes_the_policy_verbatim(path):
    document = _load(path)
    authority = document["authority"]
    assert authority == path.parent.name
    text = _normal((SOURCES_DIR / SOURCES[authority]).read_text(encoding="utf-8"))
    model = Graph().parse(AUTHORITIES_DIR / f"{authority}.ttl")
    plans = [
        s
        for s in model.subjects(DCTERMS.identifier, Literal(document["pathway"]))
        if (s, RDF.type, PW.Pathway) in model
    ]
    assert plans, f"unknown pathway {document['pathway']}"
    plan = plans[0]
    steps = {str(s)[len(str(plan)) + 1 :]: s for s in model.subjects(PPLAN.isStepOfPlan, plan)}
    roles = {
        str(o)
        for s in model.subjects(RDF.type, PW.Role)
        for p in (RDFS.label, SKOS.altLabel)
        for o in model.objects(s, p)
    }
    levels = {
        str(o)
        for s in model.subjects(RDF.type, PW.LevelOfNeed)
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for o in model.objects(s, p)
    }
    keys = {
        str(model.value(r, PW.recordedAs))
        for r in model.subjects(RDF.type, PW.Requirement)
        if (model.value(r, PW.appliesTo), PPLAN.isStepOfPlan, plan) in model
    }
    concerns = {str(o) for o in model.objects(None, PW.conditionKey)} | GAP_CONCERNS
    problems = []
    for case in document["cases"]:
        where = case["id"]
        for event in case["events"]:
            activity = event["activity"]
            if activity not in steps and activity not in GAP_ACTIVITIES:
                problems.append(f"{where}: activity {activity}")
            if event["role"] not in roles:
                problems.append(f"{where}: role {event['role']}")
            if "outcome" in event and activity in steps:
                branches = {str(model.value(t, PW.condition)) for t in model.objects(steps[activity], PW.next)}
                if event["outcome"] not in branches:
                    problems.append(f"{where}: outcome {event['outcome']!r} of {activity}")
            problems += [f"{where}: evidence {k}" for k in event.get("evidence", []) if k not in keys]
            problems += [f"{where}: concern {k}" for k in event.get("concerns", []) if k not in concerns]
        if case.get("level_after") and case["level_after"] not in levels:
            problems.append(f"{where}: level {case['level_after']}")
        for expected in case["expected"]:
            if expected["kind"] not in KINDS:
                problems.append(f"{where}: kind {expected['kind']}")
            if expected["severity"] not in {"Violation", "Warning", "Info"}:
                problems.append(f"{where}: severity {expected['severity']}")
            if expected["step"] not in steps:
                problems.append(f"{where}: step {expected['step']}")
            if expected["kind"] == "requirement" and expected.get("requirement") not in keys:
                problems.append(f"{where}: requirement {expected.get('requirement')}")
            if _normal(expected["quote"]) not in text:
                problems.append(f"{where}: quote not in the policy: {expected['quote'][:80]!r}")
            if not expected.get("reason"):
                problems.append(f"{where}: expectation without a reason")
    assert not problems, problems
