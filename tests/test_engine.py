"""The set-at-a-time engine gives exactly the findings of plain pySHACL run case by case.

The cases include a compliant case and a failing example of every rule kind on every
pathway (the shipped sample set plus synthetic cases with injected deviations).
"""

from __future__ import annotations

from pathways.audit import audit
from pathways.cases import CaseBatch, read_cases, read_csv
from pathways.model import ROOT
from pathways.synth import cases_csv, synthesise


def signature(result):
    return sorted((f.case_id, f.rule, f.severity, f.focus_event, f.message) for f in result.findings)


def test_fast_engine_equals_pyshacl_case_by_case():
    sample = read_cases([ROOT / "examples" / "sample-cases.csv"])
    cases, _ = synthesise(24, seed=77, deviation_share=0.6)
    synthetic = read_csv(cases_csv(cases), "synthetic.csv")
    batch = CaseBatch(cases=sample.cases + synthetic.cases)
    fast, reference = audit(batch), audit(batch, engine_name="pyshacl")
    kinds = {f.rule.split(":")[0] for f in reference.findings}
    assert kinds == {"required-step", "step-order", "step-role", "timescale", "requirement"}
    assert len(reference.findings) >= 30
    assert signature(fast) == signature(reference)
