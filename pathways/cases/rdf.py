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

from pathways.cases import workdays
from pathways.cases.csv_columns import shared_columns
from pathways.cases.records import CaseRecord, Event
from pathways.model.vocabulary import CASE, PPLAN, PROV, PW, RDF, SHP, XSD

# The shapes of shapes/case-structure.ttl: what a well-formed case graph is.
STRUCTURAL_SHAPES = frozenset({SHP.CaseShape, SHP.EventShape})


def case_iri(case_id: str) -> URIRef:
    """The IRI of a case: its id, percent-encoded outside the unreserved characters.

    >>> case_iri("CE 1/a")
    rdflib.term.URIRef('https://w3id.org/stepupdown/case/CE%201%2Fa')
    """
    return CASE[_UNRESERVED.sub(_percent, case_id)]


_EVENT = "/event/"


def event_iri(case_id: str, sequence: int) -> URIRef:
    """The IRI of a case's event, by its sequence number in time order.

    >>> event_iri("CE-1", 3)
    rdflib.term.URIRef('https://w3id.org/stepupdown/case/CE-1/event/3')
    """
    return URIRef(f"{case_iri(case_id)}{_EVENT}{sequence}")


def case_of_event(node: object) -> URIRef:
    """The case IRI a focus node belongs to: an event's case, or the case itself.

    >>> case_of_event(event_iri("CE-1", 3)) == case_iri("CE-1")
    True
    """
    return URIRef(str(node).split(_EVENT, 1)[0])


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
            "lastOfStep",
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
            "minuteOfDay",
            "onBankHoliday",
            "evidence",
            "outcome",
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
        f" {T.dayIndex} {_typed(workdays.day_index(day), XSD.integer)} .\n",
        f" {T.workingDayIndex} {_typed(workdays.working_day_index(day), XSD.integer)} .\n",
        f" {T.monthDayIndex} {_typed(workdays.month_day_index(day), XSD.integer)} .\n",
        f" {T.isoWeekday} {_typed(day.isoweekday(), XSD.integer)} .\n",
        *((f" {T.onBankHoliday} {_TRUE} .\n",) if day in workdays.england_bank_holidays() else ()),
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
    (``pw:carriesOut``, with ``pw:firstOfStep`` on the first event of each step,
    ``pw:lastOfStep`` on the last (a look-back measures from the latest) and
    ``pw:carriedOut`` on the case), the role, the date with its working-day, calendar-day,
    month-day and (when timed) hour indexes and UK clock minute, a bank-holiday mark, the
    evidence keys recorded and, on a decision,
    which way it went (``pw:outcome``).
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
    last_sequences = {e.sequence for e in {e.node: e for e in record.events}.values()}
    for event in record.events:
        node, step, day = _term(f"{iri}{_EVENT}{event.sequence}"), _term(event.node_iri), event.day
        if event.sequence in first_sequences:
            yield f"{node} {T.firstOfStep} {_TRUE} .\n{case} {T.carriedOut} {step} .\n"
        if event.sequence in last_sequences:
            yield f"{node} {T.lastOfStep} {_TRUE} .\n"
        yield (
            f"{case} {T.event} {node} .\n"
            f"{node} {T.type} {T.Event} .\n"
            f'{node} {T.sequence} "{event.sequence}"{_INTEGER} .\n'
            f"{node} {T.carriesOut} {step} .\n"
            f"{node} {T.byRole} {_term(event.role_iri)} .\n"
        )
        if event.has_time:
            hours = Decimal(str(round(workdays.hour_index(event.when), 4)))
            clock = workdays.uk_local(event.when)
            yield (
                f'{node} {T.startedAtTime} "{event.when.isoformat()}"{_DATETIME} .\n'
                f'{node} {T.hourIndex} "{hours}"{_DECIMAL} .\n'
                f'{node} {T.minuteOfDay} "{clock.hour * 60 + clock.minute}"{_INTEGER} .\n'
            )
        yield "".join(node + statement for statement in _day_statements(day))
        for key in event.evidence:
            yield f"{node} {T.evidence} {_text(key)} .\n"
        if event.outcome:
            yield f"{node} {T.outcome} {_text(event.outcome)} .\n"


def case_ntriples(records: Iterable[CaseRecord]) -> str:
    """The cases as N-Triples text (see :func:`_case_lines` for what is stated)."""
    return "".join(line for record in records for line in _case_lines(record))


def well_formed_as_written(records: list[CaseRecord], rules: Iterable[Graph]) -> bool:
    """Whether the structural shapes are sure to find nothing in ``case_ntriples(records)``
    read beside ``rules``, so that evaluating them could only repeat that they hold.

    The writer states, by construction, one case id (a plain string), one pathway and the
    events of each case, and for each event one step, role, date (an ``xsd:date``),
    sequence and day indexes (``xsd:integer``) and at most one hour index (an
    ``xsd:decimal``). Those counts hold in the graph when every case has events and a
    distinct id and its events distinct sequences (so no two records share an IRI). What
    the writer cannot vouch for is checked here against the same rules graphs the shapes
    read: the pathway is a ``pw:Pathway``, each role a ``pw:Role`` and each step a step of
    the case's pathway. The reader only admits such cases, so this holds for every case
    read from a file; when it does not, the shapes are evaluated as usual. The engines'
    differential test (tests/test_engine.py, benchmarks/differential.py) runs the shapes
    through pySHACL on the same cases and would show any case this reasoning missed.
    """
    kinds = _model_terms(tuple(rules))
    columns = shared_columns(records)
    if columns is not None:  # the same test over the columns the events would be made from
        if len({r.case_id for r in records}) != len(records) or any(r.pathway_iri not in kinds.steps for r in records):
            return False
        terms = columns.of(records).select("pathway_iri", "node", "role_iri").unique().rows()
        return all(URIRef(n) in kinds.steps[URIRef(p)] and URIRef(r) in kinds.roles for p, n, r in terms)
    ids = set()
    for record in records:
        steps = kinds.steps.get(record.pathway_iri)
        if record.case_id in ids or steps is None or not record.events:
            return False
        ids.add(record.case_id)
        sequences = set()
        for event in record.events:
            if event.sequence in sequences or event.node_iri not in steps or event.role_iri not in kinds.roles:
                return False
            sequences.add(event.sequence)
    return True


@lru_cache(maxsize=64)
def _model_terms(rules: tuple[Graph, ...]) -> SimpleNamespace:
    """The pathways (with their steps) and roles the rules graphs state."""
    steps: dict[URIRef, set[URIRef]] = {}
    roles: set[URIRef] = set()
    for graph in rules:
        for pathway in graph.subjects(RDF.type, PW.Pathway):
            steps.setdefault(pathway, set()).update(graph.subjects(PPLAN.isStepOfPlan, pathway))
        roles.update(graph.subjects(RDF.type, PW.Role))
    return SimpleNamespace(steps=steps, roles=roles)


def case_graph(record: CaseRecord, graph: Graph | None = None) -> Graph:
    """The case as an rdflib graph (parsed from :func:`case_ntriples`), added to ``graph``
    when one is given."""
    graph = graph if graph is not None else Graph()
    graph.parse(data=case_ntriples([record]), format="nt")
    return graph
