"""Reading the policy model: authorities, pathways, sections, roles and timescales.

Everything the CLI, the graph and the explorer show about a policy is read here from
the RDF, so each fact has one statement (in ``ontology/``) and one reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rdflib import Graph, URIRef
from rdflib.term import Node

from pathways.errors import InputError
from pathways.model.citations import citation, section_key, sections
from pathways.model.loading import load_model
from pathways.model.terms import label, text
from pathways.model.vocabulary import DCTERMS, PPLAN, PW, RDF, RDFS, SKOS, TIME

PPLAN_STEP_OF = PPLAN.isStepOfPlan


@dataclass(frozen=True)
class Authority:
    """A council and the policy documents its procedure is published in.

    An authority may publish its procedure as several documents (a chapter and its
    appendices, a procedure split over web pages): ``documents`` holds them all, in the
    order they came into force; ``document`` is their titles for display and
    ``document_iri`` the first of them.
    """

    iri: URIRef
    id: str
    name: str
    document: str
    document_iri: URIRef | None
    documents: tuple[URIRef, ...] = ()


@dataclass(frozen=True)
class Pathway:
    iri: URIRef
    id: str
    authority: Authority
    title: str
    flowchart_title: str
    kind: str
    direction: str
    from_levels: tuple[str, ...]
    to_levels: tuple[str, ...]
    sections: tuple[str, ...]
    definition: str = ""
    order: int = 0

    @property
    def source(self) -> str:
        return ", ".join(self.sections)


def authorities(graph: Graph | None = None) -> list[Authority]:
    """Every authority in the model, by id."""
    graph = graph if graph is not None else load_model()
    found = []
    for iri in graph.subjects(RDF.type, PW.Authority):
        documents = sorted(_documents_of(graph, iri), key=lambda d: (policy_in_force(graph, d) or date.max, str(d)))
        found.append(
            Authority(
                iri=iri,
                id=text(graph, iri, DCTERMS.identifier),
                name=label(graph, iri),
                document="; ".join(text(graph, d, DCTERMS.title) for d in documents),
                document_iri=documents[0] if documents else None,
                documents=tuple(documents),
            )
        )
    return sorted(found, key=lambda a: a.id)


def _documents_of(graph: Graph, authority: URIRef):
    return (d for d in graph.subjects(PW.authority, authority) if (d, RDF.type, PW.PolicyDocument) in graph)


def authority(authority_id: str, graph: Graph | None = None) -> Authority:
    """The authority with this id; an unknown id is an input error listing the known ones."""
    known = authorities(graph)
    for candidate in known:
        if candidate.id == authority_id:
            return candidate
    raise InputError(f"unknown authority {authority_id!r}; known: {', '.join(a.id for a in known)}")


def pathways(graph: Graph | None = None, authority_id: str | None = None) -> list[Pathway]:
    """The pathways of one authority (or all), in the order the policy presents them."""
    graph = graph if graph is not None else load_model()
    by_iri = {a.iri: a for a in authorities(graph)}
    found = []
    for iri in graph.subjects(RDF.type, PW.Pathway):
        owner = by_iri.get(graph.value(iri, PW.authority))
        if owner is None or (authority_id and owner.id != authority_id):
            continue
        found.append(
            Pathway(
                iri=iri,
                id=text(graph, iri, DCTERMS.identifier),
                authority=owner,
                title=label(graph, iri),
                flowchart_title=text(graph, iri, PW.flowchartTitle) or label(graph, iri),
                kind=text(graph, graph.value(iri, PW.pathwayKind), DCTERMS.identifier),
                direction=label(graph, graph.value(iri, PW.direction)),
                from_levels=tuple(sorted(label(graph, lv) for lv in graph.objects(iri, PW.fromLevel))),
                to_levels=tuple(sorted(label(graph, lv) for lv in graph.objects(iri, PW.toLevel))),
                sections=tuple(sections(graph, iri)),
                definition=text(graph, iri, SKOS.definition, RDFS.comment),
                order=int(graph.value(iri, PW.order) or 0),
            )
        )
    return sorted(found, key=lambda p: (p.authority.id, p.order, p.id))


def pathway(authority_id: str, pathway_id: str, graph: Graph | None = None) -> Pathway:
    """One pathway by authority and pathway id; unknown ids are input errors listing the known ones."""
    authority(authority_id, graph)
    known = pathways(graph, authority_id)
    for candidate in known:
        if candidate.id == pathway_id:
            return candidate
    raise InputError(f"unknown pathway {pathway_id!r} for {authority_id}; known: {', '.join(p.id for p in known)}")


def node_id(pathway_iri: URIRef, node: URIRef) -> str:
    """A flow node's id: its IRI after the pathway IRI and a dot."""
    prefix = str(pathway_iri) + "."
    value = str(node)
    return value[len(prefix) :] if value.startswith(prefix) else value


@dataclass(frozen=True)
class Timescale:
    """One timescale of the policy, as a row of the timescales table."""

    iri: URIRef
    authority: str
    pathway: str
    label: str
    from_step: str
    to_step: str
    amount: Decimal | None
    unit: str
    audit_unit: str
    kind: str
    modality: str
    wording: str
    weekday: str
    source: str
    quote: str
    ambiguity: str
    severity: str = field(default="")
    restates: str = field(default="")
    phrase: str = field(default="")
    regulates: str = field(default="to")

    @property
    def regulated_step(self) -> str:
        """The step the policy regulates, where the timescale is drawn and a finding lands:
        the notice given or the visit that must be recent (the 'from' step) for a notice or
        a look-back, else the step that comes too late or too early (the 'to' step)."""
        return self.from_step if self.regulates == "from" else self.to_step

    def in_words(self, labels: dict[str, str] | None = None) -> str:
        """The timescale as its kind reads (the vocabulary's ``pw:phrase``), naming the other
        step by its label, so a notice never reads as a deadline.

        >>> rows = {t.kind: t for t in timescales(authority_id="knowsley")}
        >>> notice = next(t for t in timescales(authority_id="knowsley") if t.from_step == "contact-level-2-service")
        >>> notice.in_words({"final-cin-meeting": "final CIN meeting"})
        "at least 5 working days before 'final CIN meeting'"
        >>> rows["review"].in_words()
        'every week'
        >>> rows["weekday"].in_words()
        'on a Wednesday'
        """
        labels = labels or {}
        duration = self.describe()
        interval = duration.removeprefix("1 ") if self.amount == 1 else duration
        words = (self.phrase or "{duration}").format(
            duration=duration,
            interval=interval,
            weekday=self.weekday,
            **{"from": labels.get(self.from_step, self.from_step), "to": labels.get(self.to_step, self.to_step)},
        )
        return words

    def describe(self) -> str:
        """The timescale in words, as the policy states it (e.g. '5 working days', 'on a Wednesday')."""
        if self.unit == "weekday":
            return f"on a {self.weekday}"
        if self.unit == "same_day":
            return "the same day"
        amount = _plain_number(self.amount)
        unit = self.unit.replace("_", " ")
        if self.amount == 1 and unit.endswith("s"):
            unit = unit[:-1]
        return f"{amount} {unit}"


def _plain_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def reported_unit(graph: Graph, timescale: Node) -> str:
    """The unit code of a timescale: its kind's reported unit if it has one, else its unit's."""
    kind_unit = text(graph, graph.value(timescale, PW.timescaleKind), PW.reportedUnit)
    return kind_unit or text(graph, graph.value(timescale, TIME.unitType), PW.reportedUnit)


def timescales(graph: Graph | None = None, authority_id: str | None = None) -> list[Timescale]:
    """Every timescale of the model (or of one authority), as table rows in policy order."""
    graph = graph if graph is not None else load_model()
    paths = {p.iri: p for p in pathways(graph, authority_id)}
    rows = []
    for iri in graph.subjects(RDF.type, PW.Timescale):
        on = paths.get(graph.value(iri, PW.onPathway))
        if on is None:
            continue
        amount = graph.value(iri, TIME.numericDuration)
        modality = graph.value(iri, PW.modality)
        audit = graph.value(iri, PW.auditUnit)
        runs_from, runs_to = graph.value(iri, PW.runsFrom), graph.value(iri, PW.runsTo)
        kind = graph.value(iri, PW.timescaleKind)
        cited = citation(graph, iri)
        rows.append(
            Timescale(
                iri=iri,
                authority=on.authority.id,
                pathway=on.id,
                label=label(graph, iri),
                from_step=node_id(on.iri, runs_from) if runs_from is not None else "",
                to_step=node_id(on.iri, runs_to) if runs_to is not None else "",
                amount=Decimal(str(amount)) if amount is not None else None,
                unit=reported_unit(graph, iri),
                audit_unit=text(graph, audit, PW.reportedUnit) if audit is not None else "",
                kind=text(graph, kind, DCTERMS.identifier),
                modality=label(graph, modality),
                wording=text(graph, iri, PW.wording),
                weekday=label(graph, graph.value(iri, TIME.dayOfWeek)),
                source=cited.section if cited else "",
                quote=cited.quote if cited else "",
                ambiguity=text(graph, iri, PW.ambiguity),
                severity=label(graph, graph.value(modality, PW.severity)).rsplit("#", 1)[-1],
                restates=label(graph, graph.value(iri, PW.restates)) if graph.value(iri, PW.restates) else "",
                phrase=text(graph, kind, PW.phrase),
                regulates="from" if graph.value(kind, PW.regulates) == PW.runsFrom else "to",
            )
        )
    order = {(p.authority.id, p.id): i for i, p in enumerate(paths.values())}
    return sorted(rows, key=lambda t: (order[t.authority, t.pathway], section_key(t.source), t.label))


@dataclass(frozen=True)
class Requirement:
    """Something the policy requires of a step's record (a bottom line, a form's contents)."""

    iri: URIRef
    id: str
    label: str
    step: str
    requirement_set: str
    key: str
    condition: str
    condition_key: str
    modality: str
    source: str
    quote: str
    conditional: bool = False  # it also has a branch, an exception or a time window (see the obligation)


def _applications(graph: Graph, members: set[Node]) -> list[tuple[Node, Node]]:
    """Each (requirement, step) where the requirement applies to a step among ``members``:
    directly (``pw:appliesTo``) or through its requirement set. A requirement may apply to
    steps of several pathways (or several steps of one); each application is a row."""
    found = set()
    for iri in graph.subjects(RDF.type, PW.Requirement):
        groups = list(graph.objects(iri, PW.partOf))
        steps = {*graph.objects(iri, PW.appliesTo), *(s for g in groups for s in graph.objects(g, PW.appliesTo))}
        found |= {(iri, step) for step in steps & members}
    return sorted(found)


def requirements(graph: Graph | None, plan: Pathway) -> list[Requirement]:
    """The requirements that apply to the steps of one pathway, in stated order.

    A requirement stated once for steps of several pathways is listed under each.
    """
    graph = graph if graph is not None else load_model()
    members = set(graph.subjects(PPLAN_STEP_OF, plan.iri))
    rows = []
    for iri, step in _applications(graph, members):
        group = graph.value(iri, PW.partOf)
        cited = citation(graph, iri)
        rows.append(
            Requirement(
                iri=iri,
                id=str(iri).rsplit("/", 1)[-1],
                label=label(graph, iri),
                step=node_id(plan.iri, step),
                requirement_set=label(graph, group) if group is not None else "",
                key=text(graph, iri, PW.recordedAs),
                condition=text(graph, iri, PW.appliesWhen),
                condition_key=text(graph, iri, PW.conditionKey),
                modality=label(graph, graph.value(iri, PW.modality)),
                source=cited.section if cited else "",
                quote=cited.quote if cited else "",
                conditional=any(
                    (iri, p, None) in graph
                    for p in (PW.appliesIfStep, PW.appliesIfOutcome, PW.unlessStep, PW.unlessOutcome, PW.appliesWithin)
                ),
            )
        )
    return sorted(rows, key=lambda r: (r.step, int(graph.value(r.iri, PW.order) or 0), r.id))


def policy_in_force(graph: Graph, document: URIRef | None) -> date | None:
    """The first day of the month a policy document came into force: its ``pw:effectiveFrom``
    (e.g. Appendix 1's "Date effective from January 2025"), else the month it was issued
    (``dcterms:issued``); None when the model states neither. Given an authority, the
    earliest of its documents.

    >>> from pathways.model.loading import load_model
    >>> policy_in_force(load_model(), authority("knowsley").document_iri)
    datetime.date(2020, 6, 1)
    >>> policy_in_force(load_model(), authority("cheshire-east").document_iri)
    datetime.date(2025, 1, 1)
    >>> policy_in_force(load_model(), authority("cheshire-east").iri)
    datetime.date(2025, 1, 1)
    """
    if document is None:
        return None
    if (document, RDF.type, PW.Authority) in graph:
        # an authority's procedure is in force from its earliest document: a case is
        # refused only when it predates all of them (the lenient reading)
        dates = [policy_in_force(graph, d) for d in _documents_of(graph, document)]
        return min((d for d in dates if d), default=None)
    for predicate in (PW.effectiveFrom, DCTERMS.issued):
        match = re.match(r"^(\d{4})-(\d{2})", str(graph.value(document, predicate) or ""))
        if match:
            return date(int(match[1]), int(match[2]), 1)
    return None


@dataclass(frozen=True)
class Obligation:
    """One obligation the text states and the audit checks (existence, precedence, decided
    by, performed by, service hours), with the conditions it applies under and its citation.

    Timescales and requirements are obligations too (see :class:`Timescale` and
    :class:`Requirement`); these are the other templates.
    """

    iri: URIRef
    id: str
    template: str
    label: str
    target: str
    due_by: tuple[str, ...]
    follows: tuple[str, ...]
    precedes: tuple[str, ...]
    roles: tuple[str, ...]
    applies_if_steps: tuple[str, ...]
    applies_if_outcomes: tuple[str, ...]
    unless_steps: tuple[str, ...]
    unless_outcomes: tuple[str, ...]
    condition_keys: tuple[str, ...]
    modality: str
    severity: str
    wording: str
    source: str
    quote: str
    ambiguity: str
    audit_reading: str
    opening_hours: tuple[str, ...] = ()
    out_of_hours_step: str = ""
    windows: tuple[tuple[int, int, int], ...] = ()

    def in_hours(self, weekday: int, minute: int) -> bool:
        """Whether a time (ISO weekday, minute of the UK clock) is inside an opening window.

        >>> plan = pathway("cheshire-east", "step-up-immediate")
        >>> checs = next(o for o in obligations(None, plan) if o.template == "service-hours")
        >>> checs.in_hours(5, 16 * 60 + 30), checs.in_hours(5, 16 * 60 + 45), checs.in_hours(6, 600)
        (True, False, False)
        """
        return any(day == weekday and opens <= minute <= closes for day, opens, closes in self.windows)

    @property
    def conditional(self) -> bool:
        """Whether the obligation applies only on some branch or circumstance."""
        return bool(
            self.applies_if_steps
            or self.applies_if_outcomes
            or self.unless_steps
            or self.unless_outcomes
            or self.condition_keys
        )

    def condition(self) -> str:
        """The conditions in words (empty when it always applies)."""
        parts = [f"if the case carried out {s}" for s in self.applies_if_steps]
        parts += [f"if a decision went '{o}'" for o in self.applies_if_outcomes]
        parts += [f"if the record states {k}" for k in self.condition_keys]
        parts += [f"unless the case carried out {s}" for s in self.unless_steps]
        parts += [f"unless a decision went '{o}'" for o in self.unless_outcomes]
        return "; ".join(parts)


# The obligation templates of the vocabulary other than timescales and requirements, by the
# name a finding's rule carries (the shapes' rule names).
OBLIGATION_TEMPLATES = {
    PW.Existence: "existence",
    PW.Precedence: "precedence",
    PW.DecidedBy: "decided-by",
    PW.PerformedBy: "performed-by",
    PW.WithinServiceHours: "service-hours",
}


def opening_hours(graph: Graph, hours: URIRef | None) -> tuple[str, ...]:
    """The opening windows of a service, Monday first, in the model's words."""
    if hours is None:
        return ()
    windows = graph.objects(hours, PW.openingHours)
    weekday = {w: int(graph.value(graph.value(w, TIME.dayOfWeek), PW.isoWeekday) or 0) for w in windows}
    return tuple(label(graph, w) for w in sorted(weekday, key=lambda w: (weekday[w], str(w))))


def _windows(graph: Graph, hours: URIRef | None) -> tuple[tuple[int, int, int], ...]:
    """(ISO weekday, opening minute, closing minute) of each window of a service's hours."""
    if hours is None:
        return ()
    return tuple(
        sorted(
            (
                int(graph.value(graph.value(w, TIME.dayOfWeek), PW.isoWeekday)),
                int(graph.value(w, PW.opensAtMinute)),
                int(graph.value(w, PW.closesAtMinute)),
            )
            for w in graph.objects(hours, PW.openingHours)
        )
    )


def obligations(graph: Graph | None, plan: Pathway) -> list[Obligation]:
    """The existence, precedence, role and service-hours obligations of one pathway, by
    template and id.

    >>> plan = pathway("knowsley", "step-up-planned")
    >>> found = obligations(None, plan)
    >>> sorted({o.template for o in found})
    ['decided-by', 'existence', 'performed-by', 'precedence']
    """
    graph = graph if graph is not None else load_model()

    def steps(subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(node_id(plan.iri, v) for v in graph.objects(subject, predicate) if v in members))

    def texts(subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in graph.objects(subject, predicate)))

    severity = {
        m: label(graph, graph.value(m, PW.severity)).rsplit("#", 1)[-1] for m in graph.subjects(RDF.type, PW.Modality)
    }
    members = set(graph.subjects(PPLAN_STEP_OF, plan.iri))
    rows = []
    for cls, template in OBLIGATION_TEMPLATES.items():
        for iri in graph.subjects(RDF.type, cls):
            if (iri, PW.onPathway, plan.iri) not in graph:
                continue
            # an obligation stated for several pathways names a step of each; this
            # pathway's is its target here
            target = next((t for t in sorted(graph.objects(iri, PW.target)) if t in members), None)
            cited = citation(graph, iri)
            modality = graph.value(iri, PW.modality)
            rows.append(
                Obligation(
                    iri=iri,
                    id=str(iri).rsplit("/", 1)[-1],
                    template=template,
                    label=label(graph, iri),
                    target=node_id(plan.iri, target) if target is not None else "",
                    due_by=steps(iri, PW.dueBy),
                    follows=steps(iri, PW.follows),
                    precedes=steps(iri, PW.precedes),
                    roles=tuple(sorted(label(graph, r) for r in graph.objects(iri, PW.role))),
                    applies_if_steps=steps(iri, PW.appliesIfStep),
                    applies_if_outcomes=texts(iri, PW.appliesIfOutcome),
                    unless_steps=steps(iri, PW.unlessStep),
                    unless_outcomes=texts(iri, PW.unlessOutcome),
                    condition_keys=texts(iri, PW.conditionKey),
                    modality=label(graph, modality),
                    severity=severity.get(modality, ""),
                    wording=text(graph, iri, PW.wording),
                    source=cited.section if cited else "",
                    quote=cited.quote if cited else "",
                    ambiguity=text(graph, iri, PW.ambiguity),
                    audit_reading=text(graph, iri, PW.auditReading),
                    opening_hours=opening_hours(graph, graph.value(iri, PW.serviceHours)),
                    windows=_windows(graph, graph.value(iri, PW.serviceHours)),
                    out_of_hours_step=next(iter(steps(iri, PW.outOfHoursStep)), ""),
                )
            )
    return sorted(rows, key=lambda o: (o.template, o.id))
