"""Adversarial case records: synthetic cases re-written the ways real exports differ.

Each case is drawn by the synthetic generator (:mod:`pathways.cases.synth`: a route of
its pathway, dates that keep every timescale, sometimes one injected deviation) and then
put through one named transformation of :data:`KINDS`. Every name, step, role, date and
hour a transformation uses comes from the synthetic case, the model (step and role names,
service hours, timescales) or the calendar (England's bank holidays, the UK clock
changes), never from a list written here:

- ``step-spelling``, ``role-spelling``: another name the resolver accepts (id, IRI, label,
  alternative label), re-cased and re-spaced (hyphens, underscores, tabs, no-break spaces,
  a line break inside the field);
- ``unicode-names``: names with letters that case folding turns into the plain ones
  ('ß', 'ẞ', 'ﬁ', 'ﬂ', 'ﬀ', 'ﬃ', 'ﬆ', 'ſ', the Kelvin sign, 'I' for 'i'); each form folding
  does not match (dotted 'İ' or dotless 'ı' for 'i') is also tried, in one row of one
  case: the reader rejects that case, and it is dropped and counted;
- ``date-only``: some or all events dated without a time (ISO or UK style);
- ``utc-offsets``: times in UTC (``Z``, ``+00:00``, seconds, milliseconds, a space for
  the 'T') or at a far offset, so the written date is not the UK date;
- ``uk-dates``: ``dd/mm/yyyy hh:mm`` (padded or not, with seconds, with a 'T'), UK time;
- ``clock-change``: an event moved into the night of a UK clock change, between 00:30
  and 02:30 (a time that does not exist, or exists twice, on the UK clock), the next
  event a few minutes later or at an hour timescale of the model's, plus or minus a little;
- ``repeated-step``: a step recorded twice, the second later (minutes or working days);
- ``shuffled-rows``: the case's rows out of time order;
- ``non-working-days``: an event and those after it moved onto a bank holiday or a weekend;
- ``service-hours-edges``: a step kept to a service's hours at the opening minute, the
  closing minute or one minute either side (and the step repeated at another edge);
- ``same-day-pairs``: two events moved onto one day: the same minute, a minute apart, or
  the second dated without a time.

Every transformed case is read back on its own by the project's CSV reader; a case the
reader rejects is dropped and counted with the reader's reason, and a case that offers a
transformation no place is skipped and counted, so nothing is lost silently. The same
seed gives the same text. Run as a script to print the counts (and ``-o FILE`` to write
the cases):

    python tests/adversarial.py [--cases 30] [--seed 16] [-o FILE]
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

from pathways.cases import read_csv, resolver, workdays
from pathways.cases.resolving import Resolver, fold
from pathways.cases.synth import CSV_COLUMNS, DEVIATIONS, Generator, SyntheticCase, SyntheticEvent
from pathways.model.loading import load_model
from pathways.model.policy import obligations
from pathways.model.terms import label, local_name
from pathways.model.vocabulary import SKOS

__all__ = [
    "AS_OF",
    "KINDS",
    "NIGHT",
    "REFUSED_FOLDINGS",
    "Adversarial",
    "adversarial_cases",
    "clock_changes",
    "service_hours",
    "springs_forward",
]

# The day the cases are drawn as of (the shipped sample's): a fixed day, so the text
# never changes with the day it is generated on.
AS_OF = date(2026, 11, 1)
# The hours around a UK clock change (at 01:00 UTC) that the clock-change cases use.
NIGHT = (time(0, 30), time(2, 30))
# Letters that case folding turns into plain ones, each with the letters it stands for.
FOLDINGS = (
    ("ss", "ß"),
    ("ss", "ẞ"),
    ("fi", "ﬁ"),
    ("fl", "ﬂ"),
    ("ff", "ﬀ"),
    ("ffi", "ﬃ"),
    ("st", "ﬆ"),
    ("s", "ſ"),
    ("k", "\u212a"),  # KELVIN SIGN
    ("i", "I"),
    ("i", "\u0130"),  # LATIN CAPITAL LETTER I WITH DOT ABOVE: folds to 'i' + a combining dot
    ("i", "\u0131"),  # LATIN SMALL LETTER DOTLESS I: folds to itself
)
ACCEPTED_FOLDINGS = tuple(f for f in FOLDINGS if fold(f[1]) == fold(f[0]))
REFUSED_FOLDINGS = tuple(f for f in FOLDINGS if f not in ACCEPTED_FOLDINGS)
# What separates the words of a name, each folded to one space by the resolver.
SEPARATORS = (" ", "  ", "-", "_", " - ", "__", "\t", "\u00a0", "\u2003", "\n")
DEVIATION_SHARE = 0.4
ATTEMPTS = 25
# The service-hours edges, taken in turn: a minute before opening, the opening minute, ...
BOUNDARIES = ((0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1))  # (opening 0 / closing 1, minutes after)


@dataclass
class Adversarial:
    """Adversarial cases as one CSV text, with what happened to every case drawn."""

    csv: str
    kinds: dict[str, str]  # case id -> kind, for every case in the text
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, case id, the reader's reason)
    skipped: Counter = field(default_factory=Counter)  # kind -> drawn cases that offered no place for it
    short: Counter = field(default_factory=Counter)  # kind -> cases asked for but never kept

    def kept(self) -> Counter:
        return Counter(self.kinds.values())

    def report(self) -> str:
        """Per kind: cases kept, dropped by the reader, skipped (no place); then each drop."""
        dropped = Counter(kind for kind, _, _ in self.dropped)
        lines = [f"{'kind':22} {'kept':>5} {'dropped':>8} {'skipped':>8} {'short':>6}"]
        kept = self.kept()
        for kind in KINDS:
            lines.append(f"{kind:22} {kept[kind]:>5} {dropped[kind]:>8} {self.skipped[kind]:>8} {self.short[kind]:>6}")
        lines.append(f"{'total':22} {sum(kept.values()):>5} {len(self.dropped):>8} {sum(self.skipped.values()):>8}")
        refused = ", ".join(f"{form!r} for {plain!r}" for plain, form in REFUSED_FOLDINGS)
        lines.append(f"forms case folding does not match, each tried in one case: {refused}")
        lines += [f"dropped {case_id} ({kind}): {reason}" for kind, case_id, reason in self.dropped]
        return "\n".join(lines)


@dataclass
class _Draw:
    """What the transformations share: the generator, one random source, the calendar."""

    generator: Generator
    rng: random.Random
    lookup: Resolver
    clock_changes: list[date]
    bank_holidays: list[date]
    kept: Counter = field(default_factory=Counter)  # cases kept so far, by kind: whose turn it is
    probes: int = 0  # forms case folding does not match tried so far


# ------------------------------------------------------------------ the calendar


def clock_changes(first_year: int, last_year: int) -> list[date]:
    """The days the UK clocks change, read from the time zone data (not from a rule)."""
    found = []
    day = date(first_year, 1, 1)
    while day.year <= last_year:
        midnight, noon = (workdays.uk_local(datetime.combine(day, t)) for t in (time(0, 0), time(12, 0)))
        if midnight.utcoffset() != noon.utcoffset():
            found.append(day)
        day += timedelta(days=1)
    return found


def springs_forward(day: date) -> bool:
    """Whether the UK clocks go forward on a day (else they go back, or do not change)."""
    midnight, noon = (workdays.uk_local(datetime.combine(day, t)) for t in (time(0, 0), time(12, 0)))
    return noon.utcoffset() > midnight.utcoffset()


def _doubtful(moment: datetime) -> bool:
    """Whether a UK clock time does not exist or exists twice."""
    return (
        workdays.uk_local(moment.replace(fold=0)).utcoffset() != workdays.uk_local(moment.replace(fold=1)).utcoffset()
    )


def service_hours(info) -> dict[str, object]:
    """The steps of a pathway kept to a service's hours, with their obligation (from the model)."""
    return {o.target: o for o in obligations(load_model(), info.plan) if o.template == "service-hours" and o.windows}


def _hour_timescales(info) -> list:
    return [t for t in info.timescales if (t.audit_unit or t.unit) == "hours" and t.amount is not None]


# ------------------------------------------------------------------ writing a case


def _uk_offset(moment: datetime) -> str:
    """As the synthetic generator writes a time: UK clock time with its offset."""
    return workdays.uk_local(moment).isoformat(timespec="minutes")


def _utc(moment: datetime) -> datetime:
    return workdays.uk_local(moment).astimezone(UTC)


STAMPS: dict[str, Callable[[datetime], str]] = {
    "uk-offset": _uk_offset,
    "naive": lambda m: m.isoformat(timespec="minutes"),
    "naive-seconds": lambda m: m.isoformat(sep=" ", timespec="seconds"),
    "date": lambda m: m.date().isoformat(),
    "utc-z": lambda m: f"{_utc(m):%Y-%m-%dT%H:%M}Z",
    "utc-z-seconds": lambda m: f"{_utc(m):%Y-%m-%dT%H:%M:%S}Z",
    "utc-z-space": lambda m: f"{_utc(m):%Y-%m-%d %H:%M}Z",
    "utc-offset": lambda m: _utc(m).isoformat(timespec="minutes"),
    "utc-milliseconds": lambda m: _utc(m).isoformat(timespec="milliseconds"),
    "uk-date": lambda m: f"{m:%d/%m/%Y %H:%M}",
    "uk-date-short": lambda m: f"{m.day}/{m.month}/{m.year} {m.hour}:{m.minute:02d}",
    "uk-date-seconds": lambda m: f"{m:%d/%m/%Y %H:%M:%S}",
    "uk-date-t": lambda m: f"{m:%d/%m/%YT%H:%M}",
    "uk-date-only": lambda m: f"{m:%d/%m/%Y}",
}
AWARE = ("uk-offset", "utc-z", "utc-z-seconds", "utc-z-space", "utc-offset", "utc-milliseconds")
NAIVE = ("naive", "naive-seconds", "uk-date", "uk-date-short", "uk-date-seconds", "uk-date-t")
FAR_OFFSETS = (-10 * 60, -5 * 60, -150, 5 * 60 + 30, 9 * 60, 13 * 60)  # minutes east of UTC


def _far(moment: datetime, minutes: int) -> str:
    return workdays.uk_local(moment).astimezone(timezone(timedelta(minutes=minutes))).isoformat(timespec="minutes")


def _rows(
    case: SyntheticCase,
    stamp: Callable[[int, SyntheticEvent], str] | None = None,
    activity: Callable[[SyntheticEvent], str] | None = None,
    role: Callable[[SyntheticEvent], str] | None = None,
) -> list[dict[str, str]]:
    """The case as CSV rows (the synthetic generator's columns), one per event, in event order."""
    return [
        {
            "case_id": case.case_id,
            "authority": case.authority,
            "pathway": case.pathway,
            "activity": activity(event) if activity else event.node,
            "timestamp": stamp(index, event) if stamp else _uk_offset(event.when),
            "role": role(event) if role else event.role,
            "evidence": ";".join(event.evidence),
            "concerns": ";".join(case.concerns),
            "level_after": case.level_after,
            "outcome": event.outcome,
        }
        for index, event in enumerate(case.events)
    ]


def _csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def _in_order(events: list[SyntheticEvent], fixed: int, gap: timedelta = timedelta(minutes=10)) -> None:
    """Keep the events in their order around the one at ``fixed``: a later one no later than
    the one before it moves just after it, an earlier one no earlier than the next just before."""
    for i in range(fixed + 1, len(events)):
        if events[i].when <= events[i - 1].when:
            events[i].when = events[i - 1].when + gap
    for i in range(fixed - 1, -1, -1):
        if events[i].when >= events[i + 1].when:
            events[i].when = events[i + 1].when - gap


# ------------------------------------------------------------------ names


def _step_names(draw: _Draw, case: SyntheticCase, node: str) -> list[str]:
    """Every name of a step the resolver takes for it: id, IRI, label, alternative labels."""
    steps = draw.lookup.steps(case.authority, case.pathway)
    iri = steps[fold(node)]
    model = load_model()
    names = {node, str(iri), label(model, iri), *map(str, model.objects(iri, SKOS.altLabel))}
    names |= {name for name, found in steps.items() if found == iri}
    return sorted(n for n in names if steps.get(fold(n)) == iri)


def _role_names(draw: _Draw, case: SyntheticCase, role: str) -> list[str]:
    """Every name of a role the resolver takes for it: IRI, local name, label, alternative labels."""
    roles = draw.lookup.roles(case.authority)
    iri = roles[fold(role)]
    model = load_model()
    names = {role, str(iri), local_name(iri), label(model, iri), *map(str, model.objects(iri, SKOS.altLabel))}
    names |= {name for name, found in roles.items() if found == iri}
    return sorted(n for n in names if roles.get(fold(n)) == iri)


def _restyle(name: str, rng: random.Random) -> str:
    """The name re-cased and re-spaced: the same name to the resolver."""
    words = [w for w in re.split(r"[\s_-]+", name) if w]
    text = words[0] if words else name
    for word in words[1:]:
        text += rng.choice(SEPARATORS) + word
    casing = rng.choice(("upper", "lower", "title", "swap", "mixed", "as is"))
    if casing == "upper":
        text = text.upper()
    elif casing == "lower":
        text = text.lower()
    elif casing == "title":
        text = text.title()
    elif casing == "swap":
        text = text.swapcase()
    elif casing == "mixed":
        text = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
    return rng.choice(("", " ", "\t")) + text + rng.choice(("", " ", "  "))


def _spelled(names: list[str], resolves: Callable[[str], bool], rng: random.Random) -> str:
    """One of the names, restyled; the plain name when the restyled one would not resolve."""
    name = rng.choice(names)
    styled = _restyle(name, rng)
    return styled if resolves(styled) else name


def _folded_form(name: str, forms: tuple[tuple[str, str], ...], rng: random.Random) -> str | None:
    """The name with one letter sequence replaced by a form that stands for it (None: no place)."""
    places = [
        (i, plain, form)
        for plain, form in forms
        for i in range(len(name) - len(plain) + 1)
        if name[i : i + len(plain)].casefold() == plain
    ]
    if not places:
        return None
    i, plain, form = rng.choice(places)
    return name[:i] + form + name[i + len(plain) :]


# ------------------------------------------------------------------ the transformations


def _step_spelling(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    steps = draw.lookup.steps(case.authority, case.pathway)

    def spell(event: SyntheticEvent) -> str:
        iri = steps[fold(event.node)]
        return _spelled(_step_names(draw, case, event.node), lambda n: steps.get(fold(n)) == iri, draw.rng)

    return _rows(case, activity=spell)


def _role_spelling(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    roles = draw.lookup.roles(case.authority)

    def spell(event: SyntheticEvent) -> str:
        iri = roles[fold(event.role)]
        return _spelled(_role_names(draw, case, event.role), lambda n: roles.get(fold(n)) == iri, draw.rng)

    return _rows(case, role=spell)


def _unicode_names(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng = draw.rng
    steps, roles = draw.lookup.steps(case.authority, case.pathway), draw.lookup.roles(case.authority)
    probe, refused = None, ()
    if draw.probes < len(REFUSED_FOLDINGS):  # each such form once, in one row of one case
        probe, refused = rng.randrange(len(case.events)), (REFUSED_FOLDINGS[draw.probes],)
        draw.probes += 1
    changed = 0

    def folded(names: list[str], table: dict, iri, forms) -> str:
        nonlocal changed
        options = [(n, f) for n in names for f in [_folded_form(n, forms, rng)] if f is not None]
        if not options:
            return rng.choice(names)
        name, form = rng.choice(options)
        if forms is refused or table.get(fold(form)) == iri:
            changed += 1
            return form
        return name

    def activity(event: SyntheticEvent) -> str:
        iri = steps[fold(event.node)]
        forms = refused if probe is not None and case.events[probe] is event else ACCEPTED_FOLDINGS
        return folded(_step_names(draw, case, event.node), steps, iri, forms)

    def role(event: SyntheticEvent) -> str:
        iri = roles[fold(event.role)]
        return folded(_role_names(draw, case, event.role), roles, iri, ACCEPTED_FOLDINGS)

    rows = _rows(case, activity=activity, role=role)
    return rows if changed else None


def _date_only(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng = draw.rng
    style = rng.choice(("date", "uk-date-only"))
    if rng.random() < 0.4:
        dated = set(range(len(case.events)))
    else:
        dated = {i for i in range(len(case.events)) if rng.random() < 0.5} or {rng.randrange(len(case.events))}
    return _rows(case, stamp=lambda i, e: STAMPS[style](e.when) if i in dated else _uk_offset(e.when))


def _utc_offsets(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng = draw.rng
    choices = [(s, 0) for s in AWARE if s != "uk-offset"] + [("far", m) for m in FAR_OFFSETS]
    picks = [rng.choice(choices) for _ in case.events]
    return _rows(
        case, stamp=lambda i, e: _far(e.when, picks[i][1]) if picks[i][0] == "far" else STAMPS[picks[i][0]](e.when)
    )


def _uk_dates(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng = draw.rng
    picks = [rng.choice((*[s for s in NAIVE if s.startswith("uk-")], "uk-date-only")) for _ in case.events]
    return _rows(case, stamp=lambda i, e: STAMPS[picks[i]](e.when))


def _clock_change(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng, events = draw.rng, case.events
    position = {e.node: i for i, e in enumerate(events)}
    pairs = [
        (position[t.from_step], position[t.to_step], float(t.amount))
        for t in _hour_timescales(info)
        if t.from_step in position and t.to_step in position and position[t.from_step] < position[t.to_step]
    ]
    k, j, hours = rng.choice(sorted(pairs)) if pairs else (rng.randrange(len(events)), None, 0.0)
    before = events[k].when.date() - events[0].when.date()
    after = events[-1].when.date() - events[k].when.date() + timedelta(days=2)
    first = info.in_force or date.min
    spring = draw.kept["clock-change"] % 2 == 0  # forward and back in turn
    days = [
        d
        for d in draw.clock_changes
        if d - before >= first and d + after <= draw.generator.last_day and springs_forward(d) == spring
    ]
    if not days:
        return None
    change = rng.choice(days)
    shift = change - events[k].when.date()
    for event in events:
        event.when += shift
    start, end = (datetime.combine(change, t) for t in NIGHT)
    steps = int((end - start).total_seconds() // 300)
    anchor = start + timedelta(minutes=5 * rng.randrange(steps + 1))
    events[k].when = anchor
    if j is not None:
        # the later step of an hour timescale at the timescale on the clock, give or take a little
        target = anchor + timedelta(hours=hours, minutes=rng.choice((-40, -5, 0, 5, 40)))
        between = events[k + 1 : j]
        for n, event in enumerate(between, start=1):
            event.when = anchor + (target - anchor) * n / (len(between) + 1)
        events[j].when = target
        _in_order(events, j)
    elif k + 1 < len(events):
        events[k + 1].when = anchor + timedelta(minutes=rng.randrange(10, 125, 5))
        _in_order(events, k + 1)
    _in_order(events, k)
    for i, event in enumerate(events):
        if _doubtful(event.when) and rng.random() < 0.5:
            events[i].when = event.when.replace(fold=1)
    style = rng.choice(("uk-offset", "uk-offset", "naive", "utc-z", "uk-date"))
    return _rows(case, stamp=lambda i, e: STAMPS[style](e.when))


def _repeated_step(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng, events = draw.rng, case.events
    k = rng.randrange(len(events))
    original = events[k]
    how = rng.choice(("same day", "working days", "after the last"))
    if how == "same day":
        when = original.when + timedelta(minutes=rng.randrange(5, 95, 5))
    elif how == "working days":
        day = workdays.add_working_days(original.when.date(), rng.randrange(1, 6))
        when = datetime.combine(day, original.when.time())
    else:
        day = workdays.add_working_days(events[-1].when.date(), rng.randrange(1, 4))
        when = datetime.combine(day, events[-1].when.time())
    evidence = list(original.evidence) if rng.random() < 0.6 else []
    events.append(SyntheticEvent(original.node, when, original.role, evidence, original.outcome))
    events.sort(key=lambda e: e.when)
    return _rows(case)


def _shuffled_rows(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rows = _rows(case)
    if len(rows) < 2:
        return None
    shuffled = list(rows)
    while shuffled == rows:
        draw.rng.shuffle(shuffled)
    return shuffled


def _non_working_days(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng, events = draw.rng, case.events
    k = rng.randrange(len(events))
    day = events[k].when.date()
    if draw.kept["non-working-days"] % 2 == 0:  # a bank holiday and a weekend in turn
        target = next((d for d in draw.bank_holidays if d >= day), None)
    else:
        target = next(day + timedelta(days=n) for n in range(7) if (day + timedelta(days=n)).weekday() >= 5)
        target += timedelta(days=rng.choice((0, 1))) if target.weekday() == 5 else timedelta(0)
    if target is None or events[-1].when.date() + (target - day) > draw.generator.last_day:
        return None
    for event in events[k:]:
        event.when += target - day
    return _rows(case)


def _service_hours_edges(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng, events = draw.rng, case.events
    kept = service_hours(info)
    places = [i for i, e in enumerate(events) if e.node in kept]
    if not places:
        return None
    k = rng.choice(places)
    obligation = kept[events[k].node]

    def edge(day: date, turn: int) -> datetime | None:
        windows = [(opens, closes) for weekday, opens, closes in obligation.windows if weekday == day.isoweekday()]
        if not windows or not workdays.is_working_day(day):
            return None
        which, after = BOUNDARIES[turn % len(BOUNDARIES)]
        minute = windows[0][which] + after
        return datetime.combine(day, time(0, 0)) + timedelta(minutes=minute)

    day = events[k].when.date()
    for _ in range(14):
        if edge(day, 0) is not None:
            break
        day += timedelta(days=1)
    else:
        return None
    shift = day - events[k].when.date()
    for event in events[k:]:
        event.when += shift
    turn = 2 * draw.kept["service-hours-edges"]  # two edges a case, in turn
    events[k].when = edge(day, turn)
    _in_order(events, k, timedelta(minutes=3))
    # the step again on a later working day, at the next edge
    again = workdays.add_working_days(day, 1)
    for _ in range(14):
        if edge(again, 0) is not None:
            break
        again = workdays.add_working_days(again, 1)
    events.append(SyntheticEvent(events[k].node, edge(again, turn + 1), events[k].role, list(events[k].evidence)))
    events.sort(key=lambda e: e.when)
    style = rng.choice(("uk-offset", "utc-z", "naive"))
    return _rows(case, stamp=lambda i, e: STAMPS[style](e.when))


def _same_day_pairs(draw: _Draw, case: SyntheticCase, info) -> list[dict] | None:
    rng, events = draw.rng, case.events
    places = [i for i in range(len(events) - 1) if events[i].when.date() != events[i + 1].when.date()]
    if not places:
        return None
    k = rng.choice(places)
    how = rng.choice(("same minute", "a minute apart", "minutes apart", "second dated"))
    minutes = {"same minute": 0, "a minute apart": 1}.get(how, rng.randrange(5, 65, 5))
    moved = events[k].when + timedelta(minutes=minutes)
    if moved.date() != events[k].when.date():
        moved = events[k].when
    shift = moved - events[k + 1].when
    for event in events[k + 1 :]:
        event.when += shift
    dated = k + 1 if how == "second dated" else None
    return _rows(case, stamp=lambda i, e: STAMPS["date"](e.when) if i == dated else _uk_offset(e.when))


@dataclass(frozen=True)
class Transformation:
    transform: Callable[[_Draw, SyntheticCase, object], list[dict] | None]
    # the steps it needs, of a pathway (a case is drawn on a route through one of them)
    needs: Callable[[object], set[str]] | None = None


# In this order the kinds are dealt to the cases asked for: the first ones get a case
# more when the count does not divide (the service-hours edges need three for all six).
TRANSFORMATIONS: dict[str, Transformation] = {
    "service-hours-edges": Transformation(_service_hours_edges, lambda info: set(service_hours(info))),
    "clock-change": Transformation(_clock_change, lambda info: {t.from_step for t in _hour_timescales(info)}),
    "unicode-names": Transformation(_unicode_names),
    "same-day-pairs": Transformation(_same_day_pairs),
    "non-working-days": Transformation(_non_working_days),
    "repeated-step": Transformation(_repeated_step),
    "step-spelling": Transformation(_step_spelling),
    "role-spelling": Transformation(_role_spelling),
    "date-only": Transformation(_date_only),
    "utc-offsets": Transformation(_utc_offsets),
    "uk-dates": Transformation(_uk_dates),
    "shuffled-rows": Transformation(_shuffled_rows),
}
KINDS = tuple(TRANSFORMATIONS)


def adversarial_cases(count: int = 30, seed: int = 16, as_of: date = AS_OF) -> Adversarial:
    """``count`` adversarial cases, the kinds dealt in turn; every one read back by the reader."""
    generator = Generator(seed, None, as_of)
    years = [p.in_force.year for p in generator.pathways if p.in_force] or [generator.last_day.year - 3]
    draw = _Draw(
        generator,
        random.Random(seed),
        resolver(),
        clock_changes(min(years), generator.last_day.year),
        sorted(workdays.england_bank_holidays()),
    )
    result = Adversarial(csv="", kinds={})
    rows: list[dict[str, str]] = []
    width = len(str(count))
    for number in range(1, count + 1):
        kind = KINDS[(number - 1) % len(KINDS)]
        transformation = TRANSFORMATIONS[kind]
        case_id = f"ADV-{seed}-{number:0{width}d}-{kind}"
        for attempt in range(ATTEMPTS):
            drawing = f"{case_id}-try{attempt + 1}"
            info, route = draw.rng.choice(generator.pathways), None
            if transformation.needs is not None and (kind != "clock-change" or draw.rng.random() < 0.75):
                # a route through a step it needs (now and then, for the clock change, any route)
                routes = [(p, r) for p in generator.pathways for r in p.routes if transformation.needs(p) & set(r)]
                if routes:
                    info, route = routes[draw.rng.randrange(len(routes))]
            case, info = generator.case(drawing, info, route)
            if generator.rng.random() < DEVIATION_SHARE:
                kinds = list(DEVIATIONS)
                generator.rng.shuffle(kinds)
                next((d for d in (generator.deviate(case, info, k) for k in kinds) if d is not None), None)
            drawn = transformation.transform(draw, case, info)
            if drawn is None:
                result.skipped[kind] += 1
                continue
            batch = read_csv(_csv(drawn), "adversarial.csv")
            if batch.rejected:
                result.dropped.append((kind, drawing, batch.rejected[0].message))
                continue
            for row in drawn:
                row["case_id"] = case_id
            rows += drawn
            result.kinds[case_id] = kind
            draw.kept[kind] += 1
            break
        else:
            result.short[kind] += 1
    result.csv = _csv(rows)
    return result


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("-o", "--output", help="file to write the cases to (CSV)")
    args = parser.parse_args(argv)
    drawn = adversarial_cases(args.cases, args.seed)
    print(drawn.report())
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(drawn.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
