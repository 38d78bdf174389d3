"""Case records: what happened to one family on one pathway, event by event.

A :class:`CaseRecord` holds the events of one case resolved against the policy model (each
event's step and role are terms of the model) in time order; a :class:`CaseBatch` holds the
cases read from some files and the cases rejected, so none is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from rdflib import URIRef

from pathways.errors import UsageError

__all__ = ["CaseBatch", "CaseRecord", "Event", "Rejection"]


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a case, resolved against the model."""

    sequence: int
    node: str
    node_iri: URIRef
    when: datetime | date
    role: str
    role_iri: URIRef
    evidence: tuple[str, ...] = ()
    row: int | None = None
    outcome: str = ""

    @property
    def day(self) -> date:
        return self.when.date() if isinstance(self.when, datetime) else self.when

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)

    def when_text(self) -> str:
        return self.when.strftime("%d %b %Y %H:%M") if self.has_time else self.when.strftime("%d %b %Y")


@dataclass(slots=True)
class CaseRecord:
    """One family's journey on one pathway, events in time order."""

    case_id: str
    authority: str
    pathway: str
    pathway_iri: URIRef
    events: list[Event] = field(default_factory=list)
    concerns: set[str] = field(default_factory=set)
    level_before: str = ""
    level_after: str = ""
    source: str = ""


@dataclass(frozen=True)
class Rejection:
    """A case (or a whole file) that could not be read, with the reason in one line."""

    source: str
    case_id: str
    message: str
    unknown: tuple[str, str, str] | None = None  # (kind, name, where) of an unmapped name

    def __str__(self) -> str:
        return self.message


@dataclass
class CaseBatch:
    """The cases read from some files, and the cases rejected, so none is lost."""

    cases: list[CaseRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def extend(self, other: CaseBatch) -> None:
        self.cases += other.cases
        self.rejected += other.rejected

    def case(self, case_id: str) -> CaseRecord:
        for record in self.cases:
            if record.case_id == case_id:
                return record
        known = ", ".join(c.case_id for c in self.cases[:10])
        raise UsageError(f"no case {case_id!r} in the input (cases: {known}{'...' if len(self.cases) > 10 else ''})")
