"""Every obligation of the encoded policies, checked on a compliant and a broken case.

Cases are drawn from the real pathway graphs (pathways.cases.synth.Generator) and then
broken in exactly one place; the audit must report that obligation, with the severity its
modality gives it, and nothing at all on the compliant cases. This proves the rules read
every obligation; whether the obligations say what the policy says is the conformance
suite's job (tests/conformance/, written from the documents alone).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pathways.audit import audit_cases as audit
from pathways.cases import read_csv
from pathways.cases import workdays as calendar
from pathways.cases.synth import Generator, SyntheticCase, cases_csv, next_working_moment, shift
from pathways.model.graph import all_pathway_graphs, routes
from pathways.model.terms import local_name

GENERATOR = Generator(seed=20251125)
GRAPHS = all_pathway_graphs()


def audit_cases(cases: list[SyntheticCase]):
    batch = read_csv(cases_csv(cases), "rules.csv")
    assert not batch.rejected, batch.rejected
    result = audit(batch)
    return {r.case.case_id: r.findings for r in result.results}


def case_with(authority: str, pathway: str, nodes: set[str], case_id: str) -> SyntheticCase:
    """A compliant case along a route through all ``nodes`` that records all of them."""
    info = GENERATOR.pathway(authority, pathway)
    candidates = [r for r in info.routes if nodes <= set(r)]
    assert candidates, f"no route of {authority}/{pathway} through {nodes}"
    for attempt in range(60):
        case, _ = GENERATOR.case(case_id, info, candidates[attempt % len(candidates)])
        if nodes <= {e.node for e in case.events}:
            return case
    raise AssertionError(f"could not draw a case of {authority}/{pathway} recording {nodes}")


# ---------------------------------------------------------------- compliant cases, every route


def every_route():
    for (authority, pathway), digraph in GRAPHS.items():
        for number, route in enumerate(routes(digraph)):
            yield authority, pathway, number, route


@pytest.fixture(scope="module")
def compliant_findings():
    cases = []
    for authority, pathway, number, route in every_route():
        info = GENERATOR.pathway(authority, pathway)
        case, _ = GENERATOR.case(f"OK-{authority}-{pathway}-{number}", info, route)
        cases.append(case)
    return audit_cases(cases)


def test_a_compliant_case_on_every_route_has_no_finding(compliant_findings):
    assert len(compliant_findings) == sum(1 for _ in every_route())
    noisy = {case: [f.rule for f in found] for case, found in compliant_findings.items() if found}
    assert noisy == {}


# ---------------------------------------------------------------- timescales


# Shown but never audited: "approximately four weeks or until ..." and a check point give
# nothing to depart from; a restated limit is audited once, as the one it restates.
UNAUDITED_KINDS = {"approximate", "check_point"}


def checkable_timescales(audited: bool = True):
    for (authority, pathway), digraph in GRAPHS.items():
        for row in digraph.graph["timescales"]:
            if row.from_step != row.to_step and (row.kind not in UNAUDITED_KINDS and not row.restates) == audited:
                yield pytest.param(authority, pathway, row, id=local_name(row.iri))


def break_timescale(case: SyntheticCase, row) -> None:
    """Move the 'to' event (and everything after it) so the timescale is not met."""
    events = {e.node: e for e in case.events}
    start, end = events[row.from_step].when, events[row.to_step].when
    unit = row.audit_unit or row.unit
    if row.kind in {"deadline", "review", "lookback"}:
        target = shift(start, float(row.amount) + 2, unit)
        target = target if unit == "hours" else next_working_moment(target)
    elif row.kind in {"minimum", "notice", "approximate"}:
        target = start + timedelta(minutes=5)
    elif row.kind == "same_day":
        target = next_working_moment(start + timedelta(days=1))
    else:  # a weekday rule: the next working day that is a different weekday
        target = end + timedelta(days=1)
        while not calendar.is_working_day(target.date()) or target.strftime("%A") == row.weekday:
            target += timedelta(days=1)
    delta = target - end
    position = case.events.index(events[row.to_step])
    for event in case.events[position:]:
        event.when += delta
    case.events.sort(key=lambda e: e.when)


@pytest.fixture(scope="module")
def timescale_findings():
    cases = {}
    for param in checkable_timescales():
        authority, pathway, row = param.values
        case = case_with(authority, pathway, {row.from_step, row.to_step}, f"T-{local_name(row.iri)}")
        break_timescale(case, row)
        cases[local_name(row.iri)] = case
    return audit_cases(list(cases.values()))


@pytest.mark.parametrize(("authority", "pathway", "row"), list(checkable_timescales()))
def test_each_timescale_is_checked(timescale_findings, authority, pathway, row):
    found = timescale_findings[f"T-{local_name(row.iri)}"]
    rule = f"timescale:{local_name(row.iri)}"
    matching = [f for f in found if f.rule == rule]
    assert matching, f"{rule} not reported; got {[f.rule for f in found]}"
    assert matching[0].severity == row.severity
    assert row.quote in matching[0].message
    assert matching[0].source.endswith(row.source)


@pytest.mark.parametrize(("authority", "pathway", "row"), list(checkable_timescales(audited=False)))
def test_approximate_check_point_and_restated_timescales_give_no_finding(authority, pathway, row):
    case = case_with(authority, pathway, {row.from_step, row.to_step}, f"U-{local_name(row.iri)}")
    break_timescale(case, row)
    found = audit_cases([case])[f"U-{local_name(row.iri)}"]
    assert f"timescale:{local_name(row.iri)}" not in {f.rule for f in found}


def test_every_timescale_between_two_steps_is_covered():
    # Only monitoring intervals (a step to itself) are left out of the per-case checks.
    all_rows = [row for g in GRAPHS.values() for row in g.graph["timescales"]]
    skipped = [row for row in all_rows if row.from_step == row.to_step]
    assert len(list(checkable_timescales())) + len(list(checkable_timescales(audited=False))) == len(all_rows) - len(
        skipped
    )
    assert all(row.kind == "review" for row in skipped)


def test_the_working_day_message_quotes_the_count():
    row = next(
        r
        for g in GRAPHS.values()
        for r in g.graph["timescales"]
        if r.unit == "working_days" and r.kind == "deadline" and r.authority == "cheshire-east"
    )
    case = case_with(row.authority, row.pathway, {row.from_step, row.to_step}, "WD-1")
    break_timescale(case, row)
    events = {e.node: e for e in case.events}
    elapsed = calendar.working_days_between(events[row.from_step].when.date(), events[row.to_step].when.date())
    found = audit_cases([case])["WD-1"]
    message = next(f.message for f in found if f.rule == f"timescale:{local_name(row.iri)}")
    assert (
        f"{elapsed} working days (the start day not counted, nor weekends or bank holidays in England) from" in message
    )
    assert f"allows at most {row.amount} working days" in message


# ---------------------------------------------------------------- required steps, order, roles


def obligation_rows(template: str):
    """The obligations of a template on every pathway that a drawn case can break alone:
    those whose conditions a route can meet (branch outcomes, steps, recorded circumstances);
    exceptions (pw:unlessStep / pw:unlessOutcome) are left to the conformance suite."""
    for (authority, pathway), _ in GRAPHS.items():
        info = GENERATOR.pathway(authority, pathway)
        for obligation in info.obligations:
            if obligation.template in template.split("|") and not (
                obligation.unless_steps or obligation.unless_outcomes
            ):
                yield pytest.param(authority, pathway, obligation, id=f"{authority}/{pathway}/{obligation.id}")


def case_meeting(authority: str, pathway: str, obligation, nodes: set[str], case_id: str) -> SyntheticCase:
    """A compliant case recording ``nodes`` on a route where the obligation's conditions hold."""
    info = GENERATOR.pathway(authority, pathway)
    wanted = nodes | set(obligation.applies_if_steps)
    for attempt in range(120):
        candidates = [r for r in info.routes if wanted <= set(r)]
        assert candidates, f"no route of {authority}/{pathway} through {wanted}"
        case, _ = GENERATOR.case(case_id, info, candidates[attempt % len(candidates)])
        outcomes = {e.outcome for e in case.events}
        if wanted <= {e.node for e in case.events} and set(obligation.applies_if_outcomes) <= outcomes:
            case.concerns = sorted(set(case.concerns) | set(obligation.condition_keys))
            return case
    raise AssertionError(f"could not draw a case of {authority}/{pathway} meeting {obligation.id}")


SEVERITY = {"must": "Violation", "should": "Warning", "best practice": "Info"}


@pytest.fixture(scope="module")
def skipped_findings():
    cases = []
    for param in obligation_rows("existence"):
        authority, pathway, obligation = param.values
        due = next(iter(sorted(obligation.due_by)))
        case = case_meeting(authority, pathway, obligation, {obligation.target, due}, f"S-{obligation.id}")
        case.events = [e for e in case.events if e.node != obligation.target]
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "obligation"), list(obligation_rows("existence")))
def test_each_required_step_is_checked(skipped_findings, authority, pathway, obligation):
    found = skipped_findings[f"S-{obligation.id}"]
    assert (f"existence:{obligation.id}", SEVERITY[obligation.modality]) in {(f.rule, f.severity) for f in found}


@pytest.fixture(scope="module")
def order_findings():
    cases = []
    for param in obligation_rows("precedence"):
        authority, pathway, obligation = param.values
        other = (*obligation.follows, *obligation.precedes)[0]
        case = case_meeting(authority, pathway, obligation, {obligation.target, other}, f"O-{obligation.id}")
        events = {e.node: e for e in reversed(case.events)}
        shift_by = timedelta(days=-2 if other in obligation.follows else 2)
        events[obligation.target].when = events[other].when + shift_by
        case.events.sort(key=lambda e: e.when)
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "obligation"), list(obligation_rows("precedence")))
def test_each_stated_order_is_checked(order_findings, authority, pathway, obligation):
    found = order_findings[f"O-{obligation.id}"]
    assert (f"precedence:{obligation.id}", SEVERITY[obligation.modality]) in {(f.rule, f.severity) for f in found}


@pytest.fixture(scope="module")
def role_findings():
    cases = []
    for param in obligation_rows("decided-by|performed-by"):
        authority, pathway, obligation = param.values
        info = GENERATOR.pathway(authority, pathway)
        case = case_meeting(authority, pathway, obligation, {obligation.target}, f"R-{obligation.id}")
        wrong = next(r for r in info.all_roles if r not in obligation.roles)
        for event in case.events:
            if event.node == obligation.target:
                event.role = wrong
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "obligation"), list(obligation_rows("decided-by|performed-by")))
def test_each_named_role_is_checked(role_findings, authority, pathway, obligation):
    found = role_findings[f"R-{obligation.id}"]
    assert (f"role:{obligation.id}", SEVERITY[obligation.modality]) in {(f.rule, f.severity) for f in found}


def test_a_wrong_role_message_names_the_roles_the_policy_gives_it(role_findings):
    """The accepted roles are named in alphabetical order, so the message is the same in
    both engines and every run."""
    for param in obligation_rows("decided-by|performed-by"):
        obligation = param.values[2]
        message = next(f.message for f in role_findings[f"R-{obligation.id}"] if f.rule == f"role:{obligation.id}")
        assert f"the policy gives it to {' or '.join(sorted(obligation.roles))}." in message


def test_taking_part_in_a_decision_is_not_making_it():
    """Knowsley 4: 'the attending social worker will be responsible for making the decision';
    the family and the Lead Practitioner take part in the meeting but do not decide."""
    obligation = next(
        p.values[2] for p in obligation_rows("decided-by") if p.values[2].id == "ob-sup-decision-by-social-worker"
    )
    case = case_meeting("knowsley", "step-up-planned", obligation, {obligation.target}, "R-FAMILY")
    for event in case.events:
        if event.node == obligation.target:
            event.role = "Family"
    found = audit_cases([case])["R-FAMILY"]
    assert ("role:ob-sup-decision-by-social-worker", "Violation") in {(f.rule, f.severity) for f in found}


# ---------------------------------------------------------------- requirements


def requirement_rows():
    for (authority, pathway), _ in GRAPHS.items():
        info = GENERATOR.pathway(authority, pathway)
        for row in info.requirements:
            if row.key and not row.conditional:  # exceptions and windows: the conformance suite
                yield pytest.param(authority, pathway, row, id=row.id)


@pytest.fixture(scope="module")
def requirement_findings():
    cases = []
    for param in requirement_rows():
        authority, pathway, row = param.values
        case = case_with(authority, pathway, {row.step}, f"Q-{row.id}")
        if row.condition_key and row.condition_key not in case.concerns:
            case.concerns.append(row.condition_key)
        for event in case.events:
            event.evidence = [k for k in event.evidence if k != row.key]
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "row"), list(requirement_rows()))
def test_each_requirement_is_checked(requirement_findings, authority, pathway, row):
    found = requirement_findings[f"Q-{row.id}"]
    expected = SEVERITY[row.modality]
    assert (f"requirement:{row.id}", expected) in {(f.rule, f.severity) for f in found}


def test_a_conditional_requirement_does_not_apply_without_its_concern():
    authority, pathway, row = next(p.values for p in requirement_rows() if p.values[2].condition_key)
    case = case_with(authority, pathway, {row.step}, "COND-1")
    case.concerns = [c for c in case.concerns if c != row.condition_key]
    for event in case.events:
        event.evidence = [k for k in event.evidence if k != row.key]
    found = audit_cases([case])["COND-1"]
    assert f"requirement:{row.id}" not in {f.rule for f in found}
