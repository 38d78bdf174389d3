"""Synthetic case records drawn from the pathway graphs, with known deviations.

Every case follows a route of its pathway's graph; its dates respect every timescale of
the model (working days counted as in England), its roles are those the policy names and
its records carry the evidence its requirements ask for. A chosen share of cases then
gets one deliberate deviation (a skipped step, a wrong role, steps out of order, a late
step, missing consent or missing evidence) and a ground-truth row naming the rule the
audit should report. Seeded: the same seed gives the same cases. No real person's data
is involved anywhere.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import networkx as nx

from pathways.cases import workdays
from pathways.model.graph import pathway_graph, roles_of, routes
from pathways.model.loading import load_model
from pathways.model.policy import Pathway, Timescale, obligations, pathways, policy_in_force, requirements
from pathways.model.terms import label, local_name, text
from pathways.model.vocabulary import PW, RDF

DEVIATIONS = (
    "skip-step",
    "wrong-role",
    "wrong-order",
    "late-step",
    "missing-consent",
    "missing-evidence",
    "out-of-hours",
)
CSV_COLUMNS = [
    "case_id",
    "authority",
    "pathway",
    "activity",
    "timestamp",
    "role",
    "evidence",
    "concerns",
    "level_after",
    "outcome",
]
TRUTH_COLUMNS = ["case_id", "deviation", "expected_rule", "expected_severity", "detail"]


@dataclass
class SyntheticEvent:
    node: str
    when: datetime
    role: str
    evidence: list[str] = field(default_factory=list)
    outcome: str = ""


@dataclass
class SyntheticCase:
    case_id: str
    authority: str
    pathway: str
    events: list[SyntheticEvent]
    concerns: list[str]
    level_after: str


@dataclass(frozen=True)
class Deviation:
    case_id: str
    deviation: str
    expected_rule: str
    expected_severity: str
    detail: str


class _Pathway:
    """What the generator needs to know about one pathway, read once."""

    def __init__(self, plan: Pathway) -> None:
        model = load_model()
        self.plan = plan
        self.graph = pathway_graph(plan.authority.id, plan.id)
        self.routes = routes(self.graph)
        self.requirements = requirements(model, plan)
        self.obligations = obligations(model, plan)
        # Circumstances a case may record at random: those that make a requirement apply,
        # never those that bring in an obligation to do something (an existence obligation
        # on a circumstance is only met by a case written to meet it).
        obliging = {k for o in self.obligations for k in o.condition_keys}
        self.condition_keys = sorted({r.condition_key for r in self.requirements if r.condition_key} - obliging)
        # Steps an obligation requires are never left out as optional.
        self.required_steps = {o.target for o in self.obligations if o.template == "existence"}
        # Steps kept to a service's hours are scheduled inside them.
        self.service_hours = {o.target: o for o in self.obligations if o.template == "service-hours" and o.windows}
        # Cases start once the policy is in force (its effective date, else its issue date):
        # the first working day from then. A policy stating neither is reported by
        # `pathways check`; its cases start within the last three years.
        start = policy_in_force(model, plan.authority.iri)
        self.in_force = workdays.add_working_days(start, 0) if start else None
        self.timescales: list[Timescale] = list(self.graph.graph["timescales"])
        severity = {
            label(model, m): local_name(model.value(m, PW.severity)) for m in model.subjects(RDF.type, PW.Modality)
        }
        self.severity = {node: severity.get(data["modality"], "") for node, data in self.graph.nodes(data=True)}
        self.requirement_severity = {r.id: severity.get(r.modality, "") for r in self.requirements}
        self.timescale_severity = {local_name(t.iri): t.severity for t in self.timescales}
        self.all_roles = sorted(
            {
                label(model, r)
                for r in model.subjects(PW.authority, plan.authority.iri)
                if (r, RDF.type, PW.Role) in model
            }
        )
        self.level_of_end = {n: d["level"] for n, d in self.graph.nodes(data=True) if d["kind"] == "end"}
        self.consent_steps = {
            n
            for n, d in self.graph.nodes(data=True)
            if "consent" in (d["label"] + " " + n + " " + d["definition"]).casefold()
            and d["kind"] in {"activity", "decision"}
        }
        self.text = text


def shift(moment: datetime, amount: float, unit: str) -> datetime:
    """``amount`` of ``unit`` after a moment (working days as in England)."""
    if unit == "working_days":
        return datetime.combine(workdays.add_working_days(moment.date(), int(amount)), moment.time())
    if unit == "hours":
        return moment + timedelta(hours=amount)
    if unit == "weeks":
        return moment + timedelta(days=7 * amount)
    if unit == "months":
        months = moment.month - 1 + int(amount)
        year, month = moment.year + months // 12, months % 12 + 1
        day = min(moment.day, 28)
        return datetime.combine(date(year, month, day), moment.time()) + timedelta(days=3)
    return moment + timedelta(days=amount)


def next_working_moment(moment: datetime) -> datetime:
    day = workdays.add_working_days(moment.date(), 0)
    return moment if day == moment.date() else datetime.combine(day, time(9, 30))


class Generator:
    """Draws synthetic cases; one instance per seed."""

    def pathway(self, authority: str, pathway: str) -> _Pathway:
        return next(p for p in self.pathways if (p.plan.authority.id, p.plan.id) == (authority, pathway))

    def __init__(self, seed: int, authority: str | None = None, today: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.pathways = [_Pathway(p) for p in pathways(load_model(), authority)]
        if not self.pathways:
            raise ValueError(f"no pathways for authority {authority!r}")
        self.last_day = (today or date.today()) - timedelta(days=60)

    def case(
        self, case_id: str, info: _Pathway | None = None, route: list[str] | None = None
    ) -> tuple[SyntheticCase, _Pathway]:
        """A compliant case of a pathway (chosen at random unless given), along a route
        (chosen at random unless given)."""
        info = info or self.rng.choice(self.pathways)
        fixed = route
        for _ in range(20):
            route = fixed or self.rng.choice(info.routes)
            events = self._schedule(info, route)
            if events is not None:
                break
        else:  # every attempt hit an infeasible combination: use the tightest schedule
            events = self._schedule(info, route, tight=True) or []
        concerns = [k for k in info.condition_keys if self.rng.random() < 0.3]
        for event in events:
            event.evidence = [
                r.key
                for r in info.requirements
                if r.step == event.node and r.key and (not r.condition_key or r.condition_key in concerns)
            ]
        level = info.level_of_end.get(route[-1], "")
        return SyntheticCase(case_id, info.plan.authority.id, info.plan.id, events, concerns, level), info

    def _schedule(self, info: _Pathway, route: list[str], tight: bool = False) -> list[SyntheticEvent] | None:
        graph = info.graph
        policy_start = info.in_force or self.last_day - timedelta(days=3 * 365)
        span = max((self.last_day - policy_start).days - 200, 1)
        moment = next_working_moment(
            datetime.combine(
                policy_start + timedelta(days=self.rng.randrange(span)),
                time(self.rng.randrange(9, 15), self.rng.choice((0, 15, 30))),
            )
        )
        events: list[SyntheticEvent] = []
        at: dict[str, datetime] = {}
        for node in route:
            data = graph.nodes[node]
            roles = roles_of(data)
            if data["kind"] == "end" or (data["kind"] == "trigger" and not roles):
                continue
            if data["optional"] and node not in info.required_steps and self.rng.random() < 0.4:
                continue
            gap = 0 if tight else self.rng.choice((0, 1, 1, 2, 3))
            earliest = next_working_moment(shift(moment, gap, "working_days")) if gap else moment
            latest: datetime | None = None
            weekday: int | None = None
            same_day_as: datetime | None = None
            for row in info.timescales:
                if row.to_step != node or row.from_step not in at:
                    continue
                start = at[row.from_step]
                unit = row.audit_unit or row.unit
                amount = float(row.amount or 0)
                if row.kind in {"minimum", "notice", "approximate"}:
                    earliest = max(earliest, shift(start, amount, unit))
                elif row.kind in {"deadline", "review", "lookback"}:
                    bound = shift(start, amount, unit)
                    latest = bound if latest is None else min(latest, bound)
                elif row.kind == "same_day":
                    same_day_as = start
                elif row.kind == "weekday":
                    weekday = 3 if row.weekday == "Wednesday" else _weekday_number(row.weekday)
            if same_day_as is not None:
                earliest = max(earliest, same_day_as + timedelta(minutes=30))
            if weekday is not None:
                while earliest.isoweekday() != weekday or not workdays.is_working_day(earliest.date()):
                    earliest = datetime.combine(earliest.date() + timedelta(days=1), time(10, 0))
            when = earliest
            if events and when.date() == events[-1].when.date():
                when = max(when, events[-1].when + timedelta(minutes=self.rng.randrange(10, 40)))
            if node in info.service_hours:
                when = _next_in_hours(info.service_hours[node], when)
            if latest is not None and when > latest:
                return None
            if same_day_as is not None and when.date() != same_day_as.date():
                return None
            if when.date() > self.last_day:
                return None
            role = roles[0]
            events.append(SyntheticEvent(node, when, role, outcome=self._outcome(info, route, node)))
            at[node] = when
            moment = when
        return events

    @staticmethod
    def _outcome(info: _Pathway, route: list[str], node: str) -> str:
        """Which way a decision went on this route: the condition of the branch taken."""
        if info.graph.nodes[node]["kind"] != "decision" or node == route[-1]:
            return ""
        following = route[route.index(node) + 1]
        conditions = [c for c in info.graph.edges[node, following]["conditions"] if c]
        return conditions[0] if conditions else ""

    def deviate(self, case: SyntheticCase, info: _Pathway, kind: str) -> Deviation | None:
        """Apply one deviation of the given kind; None when the case offers no place for it."""
        return getattr(self, "_" + kind.replace("-", "_"))(case, info)

    def _unconditional(self, info: _Pathway, template: str) -> list:
        return [o for o in info.obligations if o.template == template and not o.conditional and o.severity]

    def _skip(self, case: SyntheticCase, info: _Pathway, candidates: set[str] | None, kind: str) -> Deviation | None:
        present = {e.node for e in case.events}
        options = [
            o
            for o in self._unconditional(info, "existence")
            if o.target in present
            and set(o.due_by) & (present - {o.target})
            and (candidates is None or o.target in candidates)
        ]
        if not options:
            return None
        obligation = self.rng.choice(options)
        case.events = [e for e in case.events if e.node != obligation.target]
        due = next(e.node for e in case.events if e.node in obligation.due_by)
        return Deviation(
            case.case_id,
            kind,
            f"existence:{obligation.id}",
            obligation.severity,
            f"removed '{obligation.target}', which the policy requires by '{due}'",
        )

    def _skip_step(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        return self._skip(case, info, None, "skip-step")

    def _missing_consent(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        return self._skip(case, info, info.consent_steps, "missing-consent")

    def _wrong_role(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        present = {e.node for e in case.events}
        options = []
        for obligation in self._unconditional(info, "decided-by") + self._unconditional(info, "performed-by"):
            others = [r for r in info.all_roles if r not in obligation.roles]
            if obligation.target in present and others:
                options.append((obligation, others))
        if not options:
            return None
        obligation, others = self.rng.choice(sorted(options, key=lambda o: o[0].id))
        wrong = self.rng.choice(others)
        events = [e for e in case.events if e.node == obligation.target]
        detail = f"'{obligation.target}' recorded by {wrong} instead of {events[0].role}"
        for event in events:
            event.role = wrong
        return Deviation(case.case_id, "wrong-role", f"role:{obligation.id}", obligation.severity, detail)

    def _wrong_order(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        position = {}
        for i, e in enumerate(case.events):
            position.setdefault(e.node, i)
        options = [
            (o, other)
            for o in self._unconditional(info, "precedence")
            for other in (*o.follows, *o.precedes)
            if o.target in position and other in position and o.target != other
        ]
        if not options:
            return None
        obligation, other = self.rng.choice(sorted(options, key=lambda o: (o[0].id, o[1])))
        event, anchor = case.events[position[obligation.target]], case.events[position[other]]
        days = timedelta(days=self.rng.randrange(1, 4))
        if other in obligation.follows:
            event.when, relation = anchor.when - days, "before"
        else:
            event.when, relation = anchor.when + days, "after"
        case.events.sort(key=lambda e: e.when)
        return Deviation(
            case.case_id,
            "wrong-order",
            f"precedence:{obligation.id}",
            obligation.severity,
            f"'{obligation.target}' dated {relation} '{other}'",
        )

    def _late_step(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        position = {e.node: i for i, e in enumerate(case.events)}
        options = [
            t
            for t in info.timescales
            if t.kind == "deadline"
            and not t.restates
            and t.from_step in position
            and t.to_step in position
            and position[t.from_step] < position[t.to_step]
            and t.severity
        ]
        if not options:
            return None
        row = self.rng.choice(options)
        late_by = self.rng.randrange(1, 4)
        unit = row.audit_unit or row.unit
        start = case.events[position[row.from_step]].when
        target = shift(start, float(row.amount or 0) + late_by, unit)
        if unit != "hours":
            target = next_working_moment(target)
        delta = target - case.events[position[row.to_step]].when
        for event in case.events[position[row.to_step] :]:
            event.when += delta
        return Deviation(
            case.case_id,
            "late-step",
            f"timescale:{local_name(row.iri)}",
            row.severity,
            f"'{row.to_step}' {late_by} {unit.replace('_', ' ')} past {row.describe()}",
        )

    def _out_of_hours(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        """A step kept to a service's hours recorded before the service opens that morning;
        the events of that day before it move earlier with it, so their order is kept."""
        options = [
            (i, info.service_hours[e.node])
            for i, e in enumerate(case.events)
            if e.node in info.service_hours and workdays.is_working_day(e.when.date())
        ]
        if not options:
            return None
        index, obligation = self.rng.choice(options)
        event = case.events[index]
        day = event.when.date()
        opens = min((o for d, o, _ in obligation.windows if d == day.isoweekday()), default=None)
        if opens is None or opens < 60:
            return None
        same_day = [e for e in case.events[:index] if e.when.date() == day]
        early = datetime.combine(day, time(0, 0)) + timedelta(minutes=opens - 30)
        for back, earlier in enumerate(reversed(same_day), start=1):
            earlier.when = early - timedelta(minutes=5 * back)
        event.when = early
        days = [d for d, _, _ in obligation.windows]
        hours = obligation.opening_hours[days.index(day.isoweekday())]
        return Deviation(
            case.case_id,
            "out-of-hours",
            f"service-hours:{obligation.id}",
            obligation.severity,
            f"'{event.node}' at {early:%H:%M} on {early:%A}, before {hours}",
        )

    def _missing_evidence(self, case: SyntheticCase, info: _Pathway) -> Deviation | None:
        by_key = {(r.step, r.key): r for r in info.requirements if not r.conditional}
        options = [
            (e, k)
            for e in case.events
            for k in e.evidence
            if (e.node, k) in by_key and info.requirement_severity.get(by_key[e.node, k].id)
        ]
        if not options:
            return None
        event, key = self.rng.choice(options)
        event.evidence.remove(key)
        requirement = by_key[event.node, key]
        return Deviation(
            case.case_id,
            "missing-evidence",
            f"requirement:{requirement.id}",
            info.requirement_severity[requirement.id],
            f"'{event.node}' record lacks '{key}'",
        )


def _next_in_hours(obligation, moment: datetime) -> datetime:
    """The moment itself if the service is open then, else its next opening (15 minutes in),
    skipping bank holidays."""

    def minute(at: datetime) -> int:
        return at.hour * 60 + at.minute

    if workdays.is_working_day(moment.date()) and obligation.in_hours(moment.isoweekday(), minute(moment)):
        return moment
    for days in range(8):
        day = moment.date() + timedelta(days=days)
        if not workdays.is_working_day(day):
            continue
        for weekday, opens, _ in obligation.windows:
            start = datetime.combine(day, time(opens // 60, opens % 60)) + timedelta(minutes=15)
            if weekday == day.isoweekday() and start >= moment and obligation.in_hours(weekday, minute(start)):
                return start
    return moment


def _weekday_number(name: str) -> int:
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    return names.index(name.casefold()) + 1 if name.casefold() in names else 3


def synthesise(
    count: int,
    seed: int,
    authority: str | None = None,
    deviation_share: float = 0.3,
    today: date | None = None,
) -> tuple[list[SyntheticCase], list[Deviation]]:
    """``count`` cases, about ``deviation_share`` of them with one injected deviation each."""
    generator = Generator(seed, authority, today)
    cases, truth = [], []
    width = len(str(count))
    for number in range(1, count + 1):
        case, info = generator.case(f"SYN-{seed}-{number:0{width}d}")
        if generator.rng.random() < deviation_share:
            kinds = list(DEVIATIONS)
            generator.rng.shuffle(kinds)
            for kind in kinds:
                deviation = generator.deviate(case, info, kind)
                if deviation is not None:
                    truth.append(deviation)
                    break
        cases.append(case)
    return cases, truth


def cases_csv(cases: list[SyntheticCase]) -> str:
    """The cases as a CSV event log in the shape ``pathways validate`` reads, each time with
    its UK offset (``2025-07-14T09:30+01:00``) so a tool that takes bare times as UTC (PM4Py,
    pandas) moves nothing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for case in cases:
        for event in case.events:
            writer.writerow(
                [
                    case.case_id,
                    case.authority,
                    case.pathway,
                    event.node,
                    workdays.uk_local(event.when).isoformat(timespec="minutes"),
                    event.role,
                    ";".join(event.evidence),
                    ";".join(case.concerns),
                    case.level_after,
                    event.outcome,
                ]
            )
    return buffer.getvalue()


def truth_csv(truth: list[Deviation]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRUTH_COLUMNS)
    for row in truth:
        writer.writerow([row.case_id, row.deviation, row.expected_rule, row.expected_severity, row.detail])
    return buffer.getvalue()


__all__ = ["DEVIATIONS", "Deviation", "SyntheticCase", "cases_csv", "nx", "synthesise", "truth_csv"]


def sample_set(seed: int = 2025, today: date = date(2026, 11, 1)) -> tuple[list[SyntheticCase], list[Deviation]]:
    """The shipped sample: for each pathway of each authority, one compliant case and two
    with deviations, the kinds taken in turn so that every kind appears."""
    generator = Generator(seed, None, today)
    cases, truth = [], []
    counters: dict[str, int] = {}
    turn = 0
    for info in list(generator.pathways):
        prefix = "".join(word[0] for word in info.plan.authority.id.split("-")).upper()
        for number in range(3):
            counters[prefix] = counters.get(prefix, 0) + 1
            case, _ = generator.case(f"{prefix}-{counters[prefix]:03d}", info)
            for attempt in range(len(DEVIATIONS) if number else 0):
                deviation = generator.deviate(case, info, DEVIATIONS[(turn + attempt) % len(DEVIATIONS)])
                if deviation is not None:
                    truth.append(deviation)
                    turn += attempt + 1
                    break
            cases.append(case)
    return cases, truth
