"""The audit against the conformance suite: hand-written case records whose expected
findings were decided from the two policy documents alone (tests/conformance/).

Every case is audited as a user's file would be; each expected finding must be reported
(same step and severity, the same evidence key for a requirement, citing the expected
paragraph) and nothing else may be. Both engines must give the same findings. A case the
model cannot yet audit is listed in KNOWN_GAPS with the reason; it is an expected failure
that must start passing (strict), so a gap is never closed silently.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from conformance_suite import cites, load_cases, requirement_key_map, score

from pathways.audit import audit_cases
from pathways.audit.engines import DEFAULT_ENGINE, ENGINES
from pathways.cases import read_csv

TEXT, EXPECTED, CASES = load_cases()

KNOWN_GAPS: dict[str, str] = {}


@lru_cache(maxsize=1)
def audited(engine: str):
    return audit_cases(read_csv(TEXT, "conformance.csv"), engine_name=engine)


def _score_of(case_id: str):
    result = audited(DEFAULT_ENGINE)
    own = type(result)(
        results=[r for r in result.results if r.case.case_id == case_id],
        rejected=[r for r in result.rejected if r.case_id == case_id],
    )
    return score(own, {case_id: EXPECTED[case_id]}, requirement_key_map())


@pytest.mark.parametrize(
    "case_id",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_GAPS[c], strict=True)) if c in KNOWN_GAPS else c
        for c in sorted(CASES)
    ],
)
def test_the_audit_reports_exactly_what_the_policy_text_calls_for(case_id):
    outcome = _score_of(case_id)
    assert not outcome.rejected, [r.message for r in outcome.rejected]
    assert not outcome.unexpected, [(f.rule, f.severity, f.message) for f in outcome.unexpected]
    assert not outcome.missing, [(x.kind, x.step, x.severity, x.reason) for x in outcome.missing]
    for expected, finding in outcome.matched:
        assert cites(finding.source, expected.paragraph), (expected.paragraph, finding.source)
        assert finding.quote, finding


def test_compliant_cases_get_no_violation():
    result = audited(DEFAULT_ENGINE)
    compliant = {c for c, x in EXPECTED.items() if not x}
    assert len(compliant) >= 50
    violations = {f.case_id for f in result.findings if f.case_id in compliant and f.severity == "Violation"}
    assert violations == set()


def test_every_engine_gives_identical_findings_on_the_suite():
    """pySHACL (the reference, about a second a case) and every other engine on every case
    of the suite, finding by finding."""
    batch = read_csv(TEXT, "conformance.csv")

    def signature(result):
        return sorted((f.case_id, f.rule, f.severity, f.focus_event, f.message) for f in result.findings)

    assert len(batch.cases) + len(batch.rejected) == len(CASES)
    reference = signature(audit_cases(batch, engine_name="pyshacl"))
    for engine in set(ENGINES) - {"pyshacl"}:
        assert signature(audit_cases(batch, engine_name=engine)) == reference, engine


def test_precision_and_recall_on_the_whole_suite():
    """The figures the README quotes; every gap above is the only thing missing."""
    outcome = score(audited(DEFAULT_ENGINE), EXPECTED, requirement_key_map())
    assert outcome.precision == 1.0
    gaps = sum(len(EXPECTED[c]) for c in KNOWN_GAPS)
    assert len(outcome.missing) == gaps
