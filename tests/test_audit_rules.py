"""Every rule of the encoded policies, checked on a compliant and a non-compliant case.

Cases are drawn from the real pathway graphs (pathways.synth.Generator) and then broken
in exactly one place; the audit must report that rule, with the severity the policy's
modality gives it, and nothing at all on the compliant cases.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pathways.audit import audit_cases as audit
from pathways.cases import read_csv
from pathways.cases import workdays as calendar
from pathways.cases.synth import Generator, SyntheticCase, cases_csv, next_working_moment, shift
from pathways.model.graph import all_pathway_graphs, required_before, routes
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


def checkable_timescales():
    for (authority, pathway), digraph in GRAPHS.items():
        for row in digraph.graph["timescales"]:
            if row.from_step != row.to_step:
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


def test_every_timescale_between_two_steps_is_covered():
    # Only monitoring intervals (a step to itself) are left out of the per-case checks.
    all_rows = [row for g in GRAPHS.values() for row in g.graph["timescales"]]
    skipped = [row for row in all_rows if row.from_step == row.to_step]
    assert len(list(checkable_timescales())) == len(all_rows) - len(skipped)
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
    assert f"{elapsed} working days from" in message
    assert f"allows at most {row.amount} working days" in message


# ---------------------------------------------------------------- required steps, order, roles


def required_pairs():
    for (authority, pathway), digraph in GRAPHS.items():
        seen = set()
        for earlier, later in sorted(required_before(digraph)):
            data = digraph.nodes[earlier]
            if earlier in seen or data["optional"] or not data["modality"]:
                continue
            if digraph.nodes[later]["optional"] or digraph.nodes[later]["kind"] not in {"activity", "decision"}:
                continue
            seen.add(earlier)
            yield pytest.param(authority, pathway, earlier, later, id=f"{authority}/{pathway}/{earlier}")


SEVERITY = {"must": "Violation", "should": "Warning", "best practice": "Info"}


@pytest.fixture(scope="module")
def skipped_findings():
    cases = []
    for param in required_pairs():
        authority, pathway, earlier, later = param.values
        case = case_with(authority, pathway, {earlier, later}, f"S-{authority}-{pathway}-{earlier}")
        case.events = [e for e in case.events if e.node != earlier]
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "earlier", "later"), list(required_pairs()))
def test_each_required_step_is_checked(skipped_findings, authority, pathway, earlier, later):
    found = skipped_findings[f"S-{authority}-{pathway}-{earlier}"]
    expected = SEVERITY[GRAPHS[authority, pathway].nodes[earlier]["modality"]]
    assert (f"required-step:{earlier}", expected) in {(f.rule, f.severity) for f in found}


@pytest.fixture(scope="module")
def order_findings():
    cases = []
    for param in required_pairs():
        authority, pathway, earlier, later = param.values
        case = case_with(authority, pathway, {earlier, later}, f"O-{authority}-{pathway}-{earlier}")
        events = {e.node: e for e in case.events}
        events[later].when = events[earlier].when - timedelta(days=2)
        case.events.sort(key=lambda e: e.when)
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "earlier", "later"), list(required_pairs()))
def test_each_order_rule_is_checked(order_findings, authority, pathway, earlier, later):
    found = order_findings[f"O-{authority}-{pathway}-{earlier}"]
    expected = SEVERITY[GRAPHS[authority, pathway].nodes[earlier]["modality"]]
    assert (f"step-order:{later}", expected) in {(f.rule, f.severity) for f in found}


def role_steps():
    for (authority, pathway), digraph in GRAPHS.items():
        for node, data in sorted(digraph.nodes(data=True)):
            if (
                data["kind"] in {"activity", "decision"}
                and data["modality"]
                and (data["performed_by"] or data["decided_by"])
            ):
                yield pytest.param(authority, pathway, node, id=f"{authority}/{pathway}/{node}")


@pytest.fixture(scope="module")
def role_findings():
    cases = []
    for param in role_steps():
        authority, pathway, node = param.values
        info = GENERATOR.pathway(authority, pathway)
        case = case_with(authority, pathway, {node}, f"R-{authority}-{pathway}-{node}")
        data = info.graph.nodes[node]
        allowed = set(data["performed_by"]) | set(data["decided_by"]) | set(data["involves"])
        wrong = next(r for r in info.all_roles if r not in allowed)
        for event in case.events:
            if event.node == node:
                event.role = wrong
        cases.append(case)
    return audit_cases(cases)


@pytest.mark.parametrize(("authority", "pathway", "node"), list(role_steps()))
def test_each_role_assignment_is_checked(role_findings, authority, pathway, node):
    found = role_findings[f"R-{authority}-{pathway}-{node}"]
    expected = SEVERITY[GRAPHS[authority, pathway].nodes[node]["modality"]]
    assert (f"step-role:{node}", expected) in {(f.rule, f.severity) for f in found}


def test_a_wrong_role_message_names_every_accountable_role_alphabetically(role_findings):
    """The names are in a fixed order, so the message is the same in both engines and every run."""
    checked = 0
    for param in role_steps():
        authority, pathway, node = param.values
        data = GRAPHS[authority, pathway].nodes[node]
        accountable = sorted(set(data["performed_by"]) | set(data["decided_by"]))
        message = next(
            f.message for f in role_findings[f"R-{authority}-{pathway}-{node}"] if f.rule == f"step-role:{node}"
        )
        assert f"the policy names {' or '.join(accountable)}." in message
        checked += len(accountable) > 1
    assert checked >= 1  # Knowsley's Heads of Service decide together


# ---------------------------------------------------------------- requirements


def requirement_rows():
    for (authority, pathway), _ in GRAPHS.items():
        info = GENERATOR.pathway(authority, pathway)
        for row in info.requirements:
            if row.key:
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
