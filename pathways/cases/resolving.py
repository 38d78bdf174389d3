"""Resolving names: a case as read (authority, pathway, activity and role as text) becomes
a :class:`~pathways.cases.records.CaseRecord` of model terms, or is rejected with one line.

Names are matched by id, label or alternative label, ignoring case, hyphens, underscores
and spacing; each distinct name is looked up once per batch. Timestamps are read, checked
against the calendar and the policy's issue date, put in UK time, and the events sorted.
Every problem is a :class:`~pathways.errors.RowError` naming the file, the row and what is
wrong; it rejects that case and no other.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import get_close_matches
from functools import lru_cache

from rdflib import Graph, Literal, URIRef

from pathways.cases import workdays
from pathways.cases.records import CaseBatch, CaseRecord, Event, Rejection
from pathways.cases.timestamps import check_date, parse_timestamp, sort_key
from pathways.errors import InputError, RowError
from pathways.model.loading import load_model
from pathways.model.policy import authorities, node_id, pathways, policy_in_force
from pathways.model.terms import label
from pathways.model.vocabulary import DCTERMS, OWL, PPLAN, PW, RDF, SKOS

__all__ = [
    "RawCase",
    "RawEvent",
    "Resolver",
    "deprecated",
    "finish",
    "fold",
    "known_keys",
    "renamed_steps",
    "resolve",
    "resolver",
    "split_keys",
    "take_case_fields",
    "unmapped_names",
]


class Resolver:
    """Looks up authorities, pathways, steps and roles by id or label, case-insensitively."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.authorities = {a.id: a for a in authorities(graph)}
        self.pathways = {(p.authority.id, p.id): p for p in pathways(graph)}
        self._steps: dict[tuple[str, str], dict[str, URIRef]] = {}
        self._roles: dict[str, dict[str, URIRef]] = {}
        self.in_force = {a.id: policy_in_force(graph, a.iri) for a in self.authorities.values()}
        self.vocabulary = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(PW))}
        self._labels: dict[URIRef, str] = {}
        self._outcomes: dict[URIRef, dict[str, str]] = {}
        self._node_ids: dict[tuple[URIRef, URIRef], str] = {}
        # The keys a record may carry: a requirement's evidence key, a condition's concern
        # key; a key the model does not know is a typo that would change the findings.
        self.evidence_keys = {fold(str(k)): str(k) for k in graph.objects(None, PW.recordedAs)}
        self.concern_keys = {fold(str(k)): str(k) for k in graph.objects(None, PW.conditionKey)}

    def node_id(self, plan: URIRef, node: URIRef) -> str:
        """A flow node's id in its pathway (cached: it is asked once per event)."""
        key = (plan, node)
        if key not in self._node_ids:
            self._node_ids[key] = node_id(plan, node)
        return self._node_ids[key]

    def label(self, node: URIRef) -> str:
        """The label of a model term (cached: it is asked once per event)."""
        if node not in self._labels:
            self._labels[node] = label(self.graph, node)
        return self._labels[node]

    def steps(self, authority_id: str, pathway_id: str) -> dict[str, URIRef]:
        key = (authority_id, pathway_id)
        if key not in self._steps:
            plan = self.pathways[key]
            names: dict[str, URIRef] = {}
            for node in self.graph.subjects(PPLAN.isStepOfPlan, plan.iri):
                for name in [
                    node_id(plan.iri, node),
                    str(node),
                    label(self.graph, node),
                    *map(str, self.graph.objects(node, SKOS.altLabel)),
                ]:
                    names.setdefault(fold(name), node)
            for alias, node in renamed_steps(self.graph).items():
                if (node, PPLAN.isStepOfPlan, plan.iri) in self.graph:  # a live name is never shadowed
                    names.setdefault(fold(node_id(plan.iri, alias)), node)
                    names.setdefault(fold(str(alias)), node)
            self._steps[key] = names
        return self._steps[key]

    def extended(
        self, steps: dict[tuple[str, str], dict[str, URIRef]], roles: dict[str, dict[str, URIRef]]
    ) -> Resolver:
        """A copy that also resolves the given names (folded) of steps, by authority and
        pathway, and of roles, by authority: an activity map's local names."""
        wider = copy.copy(self)
        wider._steps = {key: {**self.steps(*key), **names} for key, names in steps.items()}
        wider._roles = {key: {**self.roles(key), **names} for key, names in roles.items()}
        return wider

    def outcomes(self, node: URIRef) -> dict[str, str]:
        """The branches of a decision, by folded name: each branch's condition as the model states it."""
        if node not in self._outcomes:
            found: dict[str, str] = {}
            for transition in self.graph.objects(node, PW.next):
                for condition in self.graph.objects(transition, PW.condition):
                    found.setdefault(fold(str(condition)), str(condition))
            self._outcomes[node] = found
        return self._outcomes[node]

    def roles(self, authority_id: str) -> dict[str, URIRef]:
        if authority_id not in self._roles:
            owner = self.authorities[authority_id].iri
            names: dict[str, URIRef] = {}
            for role in self.graph.subjects(PW.authority, owner):
                if (role, RDF.type, PW.Role) not in self.graph:
                    continue
                local = str(role).rsplit("/", 1)[-1]
                for name in [
                    local,
                    local.removeprefix("role-"),
                    str(role),
                    label(self.graph, role),
                    *map(str, self.graph.objects(role, SKOS.altLabel)),
                ]:
                    names.setdefault(fold(name), role)
            self._roles[authority_id] = names
        return self._roles[authority_id]


@lru_cache(maxsize=4096)
def fold(value: str) -> str:
    """A name as it is matched: case, hyphens, underscores and spacing ignored.

    >>> fold("Team_Manager  agrees-Step down")
    'team manager agrees step down'
    """
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


def renamed_steps(graph: Graph) -> dict[URIRef, URIRef]:
    """Each renamed step id (``owl:deprecated true ; dcterms:isReplacedBy`` the step that
    replaces it, or another renamed id) with the live step it stands for: an old id still
    resolves. An alias whose chain loops or ends at no step stands for nothing (``pathways
    check`` names it).
    """
    found: dict[URIRef, URIRef] = {}
    for alias in set(graph.subjects(DCTERMS.isReplacedBy, None)):
        if not isinstance(alias, URIRef) or not deprecated(graph, alias):
            continue
        seen, node = {alias}, alias
        while (node, PPLAN.isStepOfPlan, None) not in graph:
            targets = list(graph.objects(node, DCTERMS.isReplacedBy))
            if len(targets) != 1 or targets[0] in seen or not isinstance(targets[0], URIRef):
                break
            node = targets[0]
            seen.add(node)
        if node != alias and (node, PPLAN.isStepOfPlan, None) in graph:
            found[alias] = node
    return found


def deprecated(graph: Graph, node: URIRef) -> bool:
    """Whether the model marks ``node`` ``owl:deprecated true``."""
    return any(isinstance(v, Literal) and v.toPython() is True for v in graph.objects(node, OWL.deprecated))


@lru_cache(maxsize=1)
def _shipped_resolver() -> Resolver:
    return Resolver(load_model())


def resolver(graph: Graph | None = None) -> Resolver:
    """The resolver of a model (the shipped model's is built once and kept)."""
    return _shipped_resolver() if graph is None else Resolver(graph)


@dataclass(slots=True)
class RawEvent:
    row: int | None
    activity: str
    timestamp: str
    role: str
    evidence: tuple[str, ...]
    outcome: str = ""


@dataclass(slots=True)
class RawCase:
    """A case as read, before its names are resolved: ``where`` says "FILE, case ID"."""

    case_id: str
    where: str
    authority: str = ""
    pathway: str = ""
    concerns: set[str] = field(default_factory=set)
    level_before: str = ""
    level_after: str = ""
    events: list[RawEvent] = field(default_factory=list)

    @property
    def source(self) -> str:
        """The file the case was read from."""
        return self.where.split(",")[0]


def take_case_fields(raw: RawCase, row: dict[str, str]) -> str:
    """Take the case-level fields of a row (or an XES event) into ``raw``; a value that
    contradicts an earlier row of the case is returned as the problem (nothing is taken then)."""
    for name in ("authority", "pathway", "level_before", "level_after"):
        value = row.get(name, "")
        if name == "authority":
            value = value.casefold()
        current = getattr(raw, name)
        if value and current and value != current:
            return f"case {raw.case_id!r} has {name} {value!r} here but {current!r} earlier"
        if value:
            setattr(raw, name, value)
    raw.concerns.update(split_keys(row.get("concerns", "")))
    return ""


def known_keys(keys: Iterable[str], known: dict[str, str], what: str, at: str, **where) -> tuple[str, ...]:
    """Each key as the model spells it; an unknown one is a :class:`RowError` naming it."""
    found = []
    for key in keys:
        spelled = known.get(fold(key))
        if spelled is None:
            close = get_close_matches(fold(key), list(known), n=1)
            hint = f"; did you mean {known[close[0]]!r}?" if close else ""
            raise RowError(f"{at}: {what} key {key[:60]!r} is not a key of the model{hint}", **where)
        found.append(spelled)
    return tuple(found)


def split_keys(value: str) -> tuple[str, ...]:
    if ";" not in value and "|" not in value:
        value = value.strip()
        return (value,) if value else ()
    return tuple(part.strip() for part in re.split(r"[;|]", value) if part.strip())


def resolve(raw: RawCase, lookup: Resolver) -> CaseRecord:
    """Resolve a raw case against the model; a :class:`RowError` names the row and what is wrong."""
    where = raw.where

    def here(row: int | None) -> dict:
        return {"source": raw.source, "row": row, "case_id": raw.case_id}

    first_row = raw.events[0].row if raw.events else None
    at_first = f"{where}, row {first_row}" if first_row is not None else where
    if "\x00" in raw.case_id:
        raise RowError(f"{at_first}: the case id contains a NUL character", **here(first_row))
    concerns = known_keys(raw.concerns, lookup.concern_keys, "concern", at_first, **here(first_row))
    if raw.authority not in lookup.authorities:
        raise RowError(
            f"{at_first}: unknown authority {raw.authority!r} (known: {', '.join(sorted(lookup.authorities))})",
            **here(first_row),
        )
    key = (raw.authority, raw.pathway)
    if key not in lookup.pathways:
        known = sorted(p for a, p in lookup.pathways if a == raw.authority)
        raise RowError(
            f"{at_first}: unknown pathway {raw.pathway!r} for {raw.authority} (known: {', '.join(known)})",
            **here(first_row),
        )
    if not raw.events:
        raise RowError(f"{where}: case {raw.case_id!r} has no events", **here(None))
    plan = lookup.pathways[key]
    steps, roles = lookup.steps(*key), lookup.roles(raw.authority)
    events: list[tuple[datetime, int, URIRef, datetime | date, URIRef, RawEvent, str]] = []
    zones: set[bool] = set()
    seen: set[tuple[URIRef, str, URIRef]] = set()
    today = date.today()
    for index, raw_event in enumerate(raw.events):
        node = steps.get(fold(raw_event.activity))
        role = roles.get(fold(raw_event.role))
        try:
            when = parse_timestamp(raw_event.timestamp)
            check_date(when, today)
        except ValueError:
            when = None
        if node is None or role is None or when is None or raw_event.outcome or raw_event.evidence:
            at = f"{where}, row {raw_event.row}" if raw_event.row is not None else f"{where}, event {index + 1}"
        if node is None:
            raise RowError(
                f"{at}: activity {raw_event.activity[:60]!r} is not a step of {raw.authority}/{raw.pathway}",
                **here(raw_event.row),
                unknown=("activity", raw_event.activity[:60], f"{raw.authority}/{raw.pathway}"),
            )
        if role is None:
            raise RowError(
                f"{at}: role {raw_event.role[:60]!r} is not a role of {raw.authority}",
                **here(raw_event.row),
                unknown=("role", raw_event.role[:60], raw.authority),
            )
        outcome = ""
        if raw_event.outcome:
            branches = lookup.outcomes(node)
            outcome = branches.get(fold(raw_event.outcome), "")
            if not outcome:
                known = "; ".join(sorted(branches.values())) or "none: it is not a decision"
                raise RowError(
                    f"{at}: outcome {raw_event.outcome[:60]!r} is not a branch of {raw_event.activity[:60]!r} "
                    f"(branches: {known[:300]})",
                    **here(raw_event.row),
                )
        if when is None:
            try:
                check_date(parse_timestamp(raw_event.timestamp), today)
            except ValueError as exc:
                raise RowError(f"{at}: timestamp {raw_event.timestamp[:40]!r}: {exc}", **here(raw_event.row)) from None
        if isinstance(when, datetime):
            zones.add(when.tzinfo is not None)
            if len(zones) > 1:
                at = f"{where}, row {raw_event.row}" if raw_event.row is not None else f"{where}, event {index + 1}"
                raise RowError(
                    f"{at}: timestamps with and without a time zone are mixed in case {raw.case_id!r}",
                    **here(raw_event.row),
                )
            when = workdays.uk_local(when).replace(tzinfo=None) if when.tzinfo else when
        evidence = (
            known_keys(raw_event.evidence, lookup.evidence_keys, "evidence", at, **here(raw_event.row))
            if raw_event.evidence
            else ()
        )
        identity = (node, raw_event.timestamp.strip(), role)
        if identity in seen:
            at = f"{where}, row {raw_event.row}" if raw_event.row is not None else f"{where}, event {index + 1}"
            raise RowError(
                f"{at}: duplicate event (same activity, timestamp and role) in case {raw.case_id!r}",
                **here(raw_event.row),
            )
        seen.add(identity)
        events.append((sort_key(when), index, node, when, role, raw_event, outcome, evidence))
    events.sort(key=lambda item: (item[0], item[1]))
    in_force = lookup.in_force.get(raw.authority)
    last = events[-1]
    if in_force is not None and (last[3].date() if isinstance(last[3], datetime) else last[3]) < in_force:
        # A state that began before the policy (Early Help already open) is no reason to
        # refuse a case; a case every event of which predates the policy is not under it.
        raw_last = last[5]
        at = f"{where}, row {raw_last.row}" if raw_last.row is not None else f"{where}, event {last[1] + 1}"
        raise RowError(
            f"{at}: timestamp {raw_last.timestamp[:40]!r} is before the {raw.authority} policy came into force "
            f"({in_force:%B %Y}), and so is every event of the case; this model encodes that policy only",
            **here(raw_last.row),
        )
    ordered = [
        Event(
            sequence,
            lookup.node_id(plan.iri, node),
            node,
            when,
            lookup.label(role),
            role,
            evidence,
            raw_event.row,
            outcome,
        )
        for sequence, (_, _, node, when, role, raw_event, outcome, evidence) in enumerate(events, start=1)
    ]
    return CaseRecord(
        raw.case_id,
        raw.authority,
        raw.pathway,
        plan.iri,
        ordered,
        set(concerns),
        raw.level_before,
        raw.level_after,
        raw.source,
    )


def unmapped_names(rejected: Iterable[Rejection]) -> list[tuple[str, str, str, int]]:
    """Each activity or role name the model and the activity map do not know, once, with the
    number of cases it rejected: (kind, name, where, cases), most cases first.

    >>> found = [Rejection("a.csv", "1", "...", ("activity", "Closure", "knowsley/step-down-cin"))] * 2
    >>> unmapped_names(found)
    [('activity', 'Closure', 'knowsley/step-down-cin', 2)]
    """
    counts: Counter = Counter()
    spelling: dict[tuple[str, str, str], str] = {}
    for r in rejected:
        if r.unknown is not None:
            kind, name, where = r.unknown
            key = (kind, fold(name), where)  # "Closure" and "closure" are one name
            spelling.setdefault(key, name)
            counts[key] += 1
    found = [(kind, spelling[kind, name, where], where, n) for (kind, name, where), n in counts.items()]
    return sorted(found, key=lambda item: (-item[3], item[:3]))


def finish(raws: dict[str, RawCase], broken: dict[str, str], source: str, lookup: Resolver) -> CaseBatch:
    """Resolve every raw case of a file into a batch; ``broken`` are cases already rejected
    (by id, with their one-line reason)."""
    batch = CaseBatch()
    for case_id, message in broken.items():
        batch.rejected.append(Rejection(source, case_id, message))
    for case_id, raw in raws.items():
        if case_id in broken:
            continue
        try:
            batch.cases.append(resolve(raw, lookup))
        except RowError as exc:
            batch.rejected.append(Rejection(source, case_id, str(exc), exc.unknown))
    if not batch.cases and not batch.rejected:
        raise InputError(f"{source}: no events in the file")
    return batch
