"""How a case record becomes RDF: PROV events linked to the steps of the plan, with the
day indexes the shapes subtract and the links between steps they follow.

Written once, as N-Triples text (:func:`case_ntriples`). The batch engine loads that text
straight into Oxigraph, and the rdflib graph that pySHACL, the explorer and the exports
use is parsed from the same text (:func:`case_graph`), so the two engines always see
the same triples. A large audit writes tens of millions of statements: formatting text
is several times cheaper than building rdflib terms for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from rdflib import Graph, URIRef

from . import calendar
from .cases import CaseRecord, Event
from .vocab import CASE, PROV, PW, RDF, XSD


def case_iri(case_id: str) -> URIRef:
    """The IRI of a case: its id, percent-encoded outside the unreserved characters."""
    return CASE[_UNRESERVED.sub(_percent, case_id)]


_UNRESERVED = re.compile(r"[^A-Za-z0-9._~-]")


def _percent(match: re.Match) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _term(iri: str) -> str:
    return f"<{iri}>"


# The terms of the case graph, as N-Triples terms: T.carriesOut is "<...#carriesOut>".
T = SimpleNamespace(
    type=_term(RDF.type),
    startedAtTime=_term(PROV.startedAtTime),
    **{
        name: _term(PW[name])
        for name in [
            "Case",
            "Event",
            "caseId",
            "onPathway",
            "concern",
            "event",
            "firstOfStep",
            "carriedOut",
            "sequence",
            "carriesOut",
            "byRole",
            "hourIndex",
            "date",
            "dayIndex",
            "workingDayIndex",
            "monthDayIndex",
            "isoWeekday",
            "evidence",
            "startsStepBefore",
        ]
    },
)

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    """A plain (xsd:string) literal."""
    return f'"{value.translate(_ESCAPES)}"'


def _typed(lexical: object, datatype: URIRef) -> str:
    return f'"{lexical}"^^<{datatype}>'


_TRUE = _typed("true", XSD.boolean)
_INTEGER, _DECIMAL, _DATETIME = (f"^^<{datatype}>" for datatype in (XSD.integer, XSD.decimal, XSD.dateTime))


@lru_cache(maxsize=65_536)
def _day_statements(day: date) -> tuple[str, ...]:
    """The predicate and object of each statement giving an event's date and day indexes."""
    return (
        f" {T.date} {_typed(day.isoformat(), XSD.date)} .\n",
        f" {T.dayIndex} {_typed(calendar.day_index(day), XSD.integer)} .\n",
        f" {T.workingDayIndex} {_typed(calendar.working_day_index(day), XSD.integer)} .\n",
        f" {T.monthDayIndex} {_typed(calendar.month_day_index(day), XSD.integer)} .\n",
        f" {T.isoWeekday} {_typed(day.isoweekday(), XSD.integer)} .\n",
    )


def first_of_each_step(record: CaseRecord) -> list[Event]:
    """The first event (in time order) of each step the case carries out."""
    firsts: dict[str, Event] = {}
    for event in record.events:
        firsts.setdefault(event.node, event)
    return list(firsts.values())


def _case_lines(record: CaseRecord) -> Iterator[str]:
    """The statements of one case, a few lines per string.

    The case: type, id, pathway, concerns; per event: the step it carries out
    (``pw:carriesOut``, with ``pw:firstOfStep`` on the first event of each step and
    ``pw:carriedOut`` on the case), the role, the date with its working-day, calendar-day,
    month-day and (when timed) hour indexes, and the evidence keys recorded; and
    ``pw:startsStepBefore`` from the first event of each step to the first events of the
    steps the case starts on later days.
    """
    iri = str(case_iri(record.case_id))
    case = _term(iri)
    yield (
        f"{case} {T.type} {T.Case} .\n"
        f"{case} {T.caseId} {_text(record.case_id)} .\n"
        f"{case} {T.onPathway} {_term(record.pathway_iri)} .\n"
    )
    for concern in sorted(record.concerns):
        yield f"{case} {T.concern} {_text(concern)} .\n"
    firsts = first_of_each_step(record)
    first_sequences = {e.sequence for e in firsts}
    for event in record.events:
        node, step, day = _term(f"{iri}/event/{event.sequence}"), _term(event.node_iri), event.day
        if event.sequence in first_sequences:
            yield f"{node} {T.firstOfStep} {_TRUE} .\n{case} {T.carriedOut} {step} .\n"
        yield (
            f"{case} {T.event} {node} .\n"
            f"{node} {T.type} {T.Event} .\n"
            f'{node} {T.sequence} "{event.sequence}"{_INTEGER} .\n'
            f"{node} {T.carriesOut} {step} .\n"
            f"{node} {T.byRole} {_term(event.role_iri)} .\n"
        )
        if event.has_time:
            hours = Decimal(str(round(calendar.hour_index(event.when), 4)))
            yield (
                f'{node} {T.startedAtTime} "{event.when.isoformat()}"{_DATETIME} .\n'
                f'{node} {T.hourIndex} "{hours}"{_DECIMAL} .\n'
            )
        yield "".join(node + statement for statement in _day_statements(day))
        for key in event.evidence:
            yield f"{node} {T.evidence} {_text(key)} .\n"
    starts = [(first.day, _term(f"{iri}/event/{first.sequence}")) for first in firsts]
    for day, node in starts:
        yield "".join(f"{node} {T.startsStepBefore} {other} .\n" for other_day, other in starts if day < other_day)


def case_ntriples(records: Iterable[CaseRecord]) -> str:
    """The cases as N-Triples text (see :func:`_case_lines` for what is stated)."""
    return "".join(line for record in records for line in _case_lines(record))


def case_graph(record: CaseRecord, graph: Graph | None = None) -> Graph:
    """The case as an rdflib graph (parsed from :func:`case_ntriples`), added to ``graph``
    when one is given."""
    graph = graph if graph is not None else Graph()
    graph.parse(data=case_ntriples([record]), format="nt")
    return graph
