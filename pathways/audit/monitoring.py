"""Monitoring as a procedure asks for it: cases a week by the level they reached, and adherence.

A procedure may say how its pathways are to be monitored: who counts the cases stepped down
or up, who watches adherence to the process, with whom a departure is raised and at which
meeting. The model states each such arrangement as a ``pw:MonitoringArrangement`` (its
pathways, ``pw:onPathway``; who monitors, ``pw:monitoredBy``; the roles departures are raised
with, its ``pw:escalationStep`` steps read in their ``pw:order``, each naming its
``pw:role``; the meeting, ``pw:forum``; its paragraph and words). For every arrangement
of an authority whose cases were audited this module gives, from the audited cases and
their findings:

- **cases a week**: the cases on the arrangement's pathways counted per ISO week, split by
  the level of need each reached. The week is that of the case's last recorded event
  (:data:`WEEK_CONVENTION`): where it reached the end of its pathway, so a case stepped down
  counts in the week its step down was completed. The level is the ``pw:level`` of the end
  state the case's route reached, else its recorded level after (``pw:levelAfter``) read
  against the authority's levels of need, else :data:`NO_LEVEL`;
- **adherence**: per pathway, the cases audited and those with at least one departure from
  the procedure's standards, a finding of a severity in :data:`DEPARTURE_SEVERITIES` (a
  "must" or a "should" not kept to; best practice, ``Info``, is not a standard of the process).

Nothing here names a step, a role, a level or an authority: all of it is read from the model.

>>> from pathways.audit import audit_cases
>>> from pathways.cases import read_cases
>>> from pathways.model.resources import SAMPLE_CASES
>>> monitored = monitoring_counts(audit_cases(read_cases([SAMPLE_CASES])))
>>> first = monitored[0]
>>> first.arrangement.paragraph.endswith("§6"), first.levels[:2]
(True, ('Level 2', 'Level 3'))
>>> [(a.pathway, a.audited, a.departing) for a in first.adherence]
[('step-down-cin', 3, 2), ('step-down-assessment', 3, 2)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from rdflib import Graph, URIRef

from pathways.audit.findings import AuditResult, CaseResult
from pathways.cases.trace import trace_case
from pathways.model.citations import citation
from pathways.model.graph import pathway_graph
from pathways.model.loading import load_model
from pathways.model.policy import Pathway, pathways
from pathways.model.terms import label, text
from pathways.model.vocabulary import DCTERMS, PW, RDF, SKOS

__all__ = [
    "DEPARTURE_SEVERITIES",
    "MONITORING_COLUMNS",
    "NO_LEVEL",
    "WEEK_CONVENTION",
    "Adherence",
    "Arrangement",
    "Monitoring",
    "WeekCount",
    "arrangements",
    "iso_week",
    "monitoring_counts",
    "monitoring_rows",
]

#: The severities of a finding that make it a departure from the procedure's standards:
#: an obligation stated as "must" (Violation) or "should" (Warning) not kept to.
DEPARTURE_SEVERITIES = ("Violation", "Warning")

#: How a case is placed in a week, in words (shown with the counts).
WEEK_CONVENTION = (
    "the ISO week (Monday to Sunday) of the case's last recorded event, where it reached the level it "
    "ended at: a case stepped down counts in the week its step down was completed"
)

#: The level of a case whose route reached no end state and whose record states no known level.
NO_LEVEL = "no level recorded"

#: The columns of :func:`monitoring_rows`, for a CSV.
MONITORING_COLUMNS = [
    "arrangement",
    "authority",
    "paragraph",
    "measure",
    "week",
    "week_starting",
    "pathway",
    "level",
    "cases",
    "cases_with_departure",
    "share_with_departure",
    "monitored_by",
    "departures_raised_with",
    "forum",
    "quote",
]


@dataclass(frozen=True)
class Arrangement:
    """A monitoring arrangement of the model, in plain values, with its citation."""

    iri: str
    authority: str
    label: str
    definition: str
    pathways: tuple[tuple[str, str], ...]  # (pathway id, title), in the policy's order
    monitored_by: tuple[str, ...]
    escalates_to: tuple[str, ...]
    forum: str
    paragraph: str
    section_title: str
    quote: str
    ambiguity: str = ""


@dataclass(frozen=True)
class WeekCount:
    """The cases of one ISO week that reached one level."""

    week: str
    week_starting: date
    level: str
    cases: int


@dataclass(frozen=True)
class Adherence:
    """How many audited cases of one pathway departed from the procedure's standards."""

    pathway: str
    title: str
    audited: int
    departing: int

    @property
    def share(self) -> float | None:
        """The share of audited cases with a departure (None when none was audited)."""
        return self.departing / self.audited if self.audited else None


@dataclass
class Monitoring:
    """What one arrangement asks to be watched, counted on the audited cases."""

    arrangement: Arrangement
    weeks: list[WeekCount] = field(default_factory=list)
    levels: tuple[str, ...] = ()  # the levels counted, lowest first
    adherence: list[Adherence] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(a.audited for a in self.adherence)


def iso_week(day: date) -> tuple[str, date]:
    """A day's ISO week, as written ("2024-W35"), and the Monday it starts on.

    >>> iso_week(date(2024, 8, 29))
    ('2024-W35', datetime.date(2024, 8, 26))
    >>> iso_week(date(2021, 1, 3))  # a Sunday: the last day of 2020's week 53
    ('2020-W53', datetime.date(2020, 12, 28))
    """
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}", day - timedelta(days=weekday - 1)


def arrangements(graph: Graph | None = None, authority_ids: Iterable[str] | None = None) -> list[Arrangement]:
    """The monitoring arrangements of the model (of some authorities only, if named).

    Parameters
    ----------
    graph : rdflib.Graph, optional
        The policy model (the packaged one by default).
    authority_ids : iterable of str, optional
        Only the arrangements on these authorities' pathways.

    Returns
    -------
    list of Arrangement
        By authority, then paragraph and label.
    """
    graph = graph if graph is not None else load_model()
    wanted = set(authority_ids) if authority_ids is not None else None
    plans: dict[URIRef, Pathway] = {p.iri: p for p in pathways(graph)}
    found = []
    for iri in graph.subjects(RDF.type, PW.MonitoringArrangement):
        on = sorted((plans[p] for p in graph.objects(iri, PW.onPathway) if p in plans), key=lambda p: (p.order, p.id))
        if not on or (wanted is not None and on[0].authority.id not in wanted):
            continue
        steps = sorted(graph.objects(iri, PW.escalationStep), key=lambda s: int(graph.value(s, PW.order)))
        cited = citation(graph, iri)
        found.append(
            Arrangement(
                iri=str(iri),
                authority=on[0].authority.id,
                label=label(graph, iri),
                definition=text(graph, iri, SKOS.definition),
                pathways=tuple((p.id, p.flowchart_title) for p in on),
                monitored_by=tuple(sorted(label(graph, r) for r in graph.objects(iri, PW.monitoredBy))),
                escalates_to=tuple(label(graph, graph.value(s, PW.role)) for s in steps),
                forum=text(graph, iri, PW.forum),
                paragraph=str(cited) if cited else "",
                section_title=cited.section_title if cited else "",
                quote=cited.quote if cited else "",
                ambiguity=text(graph, iri, PW.ambiguity),
            )
        )
    return sorted(found, key=lambda a: (a.authority, a.paragraph, a.label))


@dataclass(frozen=True)
class _Level:
    name: str
    rank: float


class _Levels:
    """The level of need each case reached, read from the model once per end state, level
    name and route (many cases share a route)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.by_name: dict[tuple[str, str], _Level] = {}
        for level in graph.subjects(RDF.type, PW.LevelOfNeed):
            found = self._level(level)
            authority = graph.value(graph.value(level, SKOS.inScheme), PW.authority)
            owner = text(graph, authority, DCTERMS.identifier)
            for name in [*graph.objects(level, SKOS.prefLabel), *graph.objects(level, SKOS.altLabel)]:
                self.by_name.setdefault((owner, str(name).casefold()), found)
        self._of_end: dict[str, _Level | None] = {}
        self._reached: dict[tuple, _Level] = {}

    def _level(self, level) -> _Level:
        rank = self.graph.value(level, PW.rank)
        return _Level(label(self.graph, level), float(rank) if rank is not None else float("inf"))

    def of_end(self, end_iri: str) -> _Level | None:
        if end_iri not in self._of_end:
            level = self.graph.value(URIRef(end_iri), PW.level)
            self._of_end[end_iri] = self._level(level) if level is not None else None
        return self._of_end[end_iri]

    def named(self, authority: str, name: str) -> _Level | None:
        return self.by_name.get((authority, name.strip().casefold())) if name.strip() else None

    def reached(self, case: CaseResult) -> _Level:
        """The level of need a case reached: its end state's, else its recorded level after.

        The end state a route reaches depends on the steps recorded, in order, and the level
        after only (findings mark steps skipped, never the end)."""
        record = case.case
        key = (record.authority, record.pathway, record.level_after, tuple(e.node for e in record.events))
        if key not in self._reached:
            digraph = pathway_graph(record.authority, record.pathway)
            end = trace_case(record, digraph, case.findings).end
            found = self.of_end(digraph.nodes[end]["iri"]) if end else None
            self._reached[key] = found or self.named(record.authority, record.level_after) or _UNKNOWN
        return self._reached[key]


_UNKNOWN = _Level(NO_LEVEL, float("inf"))


def monitoring_counts(result: AuditResult, graph: Graph | None = None) -> list[Monitoring]:
    """Each monitoring arrangement of the authorities audited, counted on the audited cases.

    Parameters
    ----------
    result : AuditResult
        The audit of a batch of cases.
    graph : rdflib.Graph, optional
        The policy model (the packaged one by default).

    Returns
    -------
    list of Monitoring
        One per arrangement on a pathway of an authority with at least one audited case, in
        the order of :func:`arrangements`; its weeks in time order, lowest level first; its
        adherence one row per pathway of the arrangement (none audited: 0 of 0).
    """
    graph = graph if graph is not None else load_model()
    found = arrangements(graph, {r.case.authority for r in result.results})
    monitored = {(a.authority, p) for a in found for p, _ in a.pathways}
    levels = _Levels(graph)
    placed: dict[tuple[str, str], list[tuple[str, date, _Level, bool]]] = {}
    for case in result.results:
        record = case.case
        key = (record.authority, record.pathway)
        if key not in monitored:
            continue
        departed = any(f.severity in DEPARTURE_SEVERITIES for f in case.findings)
        if record.events:
            week, monday = iso_week(record.events[-1].day)
        else:
            week, monday = "", date.min
        placed.setdefault(key, []).append((week, monday, levels.reached(case), departed))
    answers = []
    for arrangement in found:
        cases = [c for p, _ in arrangement.pathways for c in placed.get((arrangement.authority, p), [])]
        counts = Counter((week, monday, level) for week, monday, level, _ in cases if week)
        order = sorted({level for _, _, level in counts}, key=lambda lv: (lv.rank, lv.name))
        weeks = [
            WeekCount(week, monday, level.name, n)
            for (week, monday, level), n in sorted(counts.items(), key=lambda kv: (kv[0][1], order.index(kv[0][2])))
        ]
        adherence = []
        for pathway_id, title in arrangement.pathways:
            on = placed.get((arrangement.authority, pathway_id), [])
            adherence.append(Adherence(pathway_id, title, len(on), sum(1 for *_, departed in on if departed)))
        answers.append(Monitoring(arrangement, weeks, tuple(lv.name for lv in order), adherence))
    return answers


def monitoring_rows(monitored: Iterable[Monitoring]) -> list[dict]:
    """The counts as rows for a CSV (:data:`MONITORING_COLUMNS`): a row per week and level,
    then a row per pathway with its adherence, each with its arrangement's citation."""
    rows = []
    for m in monitored:
        a = m.arrangement
        common = {
            "arrangement": a.label,
            "authority": a.authority,
            "paragraph": a.paragraph,
            "monitored_by": "; ".join(a.monitored_by),
            "departures_raised_with": " > ".join(a.escalates_to),
            "forum": a.forum,
            "quote": a.quote,
        }
        for w in m.weeks:
            rows.append(
                common
                | {
                    "measure": "cases a week",
                    "week": w.week,
                    "week_starting": w.week_starting.isoformat(),
                    "level": w.level,
                    "cases": w.cases,
                }
            )
        for row in m.adherence:
            share = "" if row.share is None else f"{row.share:.3f}"
            rows.append(
                common
                | {
                    "measure": "adherence",
                    "pathway": row.pathway,
                    "cases": row.audited,
                    "cases_with_departure": row.departing,
                    "share_with_departure": share,
                }
            )
    return rows
