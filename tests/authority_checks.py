"""Checks of one authority's encoding, shared by ``test_authority_facts.py`` and ``test_every_authority.py``.

Nothing here names an authority. An :class:`Encoding` is one authority of the loaded model, found by
its ``dcterms:identifier``; its namespace is its IRI without the last segment, its pathways are found
by ``pw:authority`` and ``dcterms:identifier``, and a step of a pathway is ``<pathway IRI>.<node id>``.

The facts read from a policy document live in ``tests/authorities/<authority id>/facts.json`` (see
``tests/authorities/README.md``); :data:`CHECKS` maps each kind of fact to the function that checks
it, called with the fact's section and its other fields as keyword arguments.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from pathways.model.resources import SOURCES_DIR
from pathways.model.vocabulary import DCTERMS, PPLAN, PREFIXES, PW, RDF, RDFS, SKOS, TIME

TABLES_DIR = Path(__file__).resolve().parent / "authorities"

MODALITY = {"must": PW.Must, "should": PW.Should, "best practice": PW.BestPractice}
TIMESCALE_KIND = {
    "deadline": PW.Deadline,
    "notice": PW.NoticePeriod,
    "minimum": PW.MinimumDuration,
    "approximate": PW.ApproximateDuration,
    "lookback": PW.LookBack,
    "review": PW.ReviewInterval,
    "weekday": PW.DayOfWeekRule,
    "same_day": PW.SameDayRule,
    "check_point": PW.CheckPoint,
}
NODE_CLASSES = (PW.Trigger, PW.Activity, PW.Decision, PW.EndState)
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


# ---------------------------------------------------------------- the tables


def table_folders() -> list[Path]:
    """One folder per authority with expectation tables, named by the authority's identifier."""
    return sorted(p for p in TABLES_DIR.iterdir() if p.is_dir()) if TABLES_DIR.is_dir() else []


def read_facts(folder: Path) -> list[dict]:
    path = folder / "facts.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def read_document(folder: Path) -> dict:
    path = folder / "document.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def term(curie: str) -> URIRef:
    """The IRI of a CURIE of the project's prefixes ("pw:PlannedStepUp"); an unknown pw: term fails."""
    prefix, _, local = curie.partition(":")
    assert prefix in PREFIXES and local, f"{curie!r} is not a CURIE of a known prefix"
    return PW[local] if prefix == "pw" else URIRef(PREFIXES[prefix] + local)


# ---------------------------------------------------------------- reading the model


def texts(g: Graph, subject, prop) -> set[str]:
    return {str(o) for o in g.objects(subject, prop)}


def has_label(g: Graph, subject, label: str) -> bool:
    return label in texts(g, subject, RDFS.label) | texts(g, subject, SKOS.prefLabel)


def model_added(g: Graph, subject) -> bool:
    return g.value(subject, PW.modelAdded) == Literal(True)


def assert_model_added(g: Graph, subject) -> None:
    """A node or branch the model added cites nothing of its own and says why it was added."""
    assert g.value(subject, PW.source) is None, f"{subject} is model-added but has a pw:source"
    assert g.value(subject, PW.quote) is None, f"{subject} is model-added but has a pw:quote"
    assert g.value(subject, PW.ambiguity) is not None, f"{subject} is model-added without a pw:ambiguity"


def assert_modality(g: Graph, subject, modality: str) -> None:
    """``subject`` has exactly one modality, the one the table names (by IRI and by label)."""
    values = set(g.objects(subject, PW.modality))
    assert values == {MODALITY[modality]}, f"{subject} modality {sorted(values)}, not {modality}"
    assert {str(lab) for m in values for lab in g.objects(m, RDFS.label)} == {modality}


def modality_matches(g: Graph, subject, modality: str) -> bool:
    return (subject, PW.modality, MODALITY[modality]) in g


def transitions(g: Graph, subject) -> list:
    return list(g.objects(subject, PW.next))


def unit_code(g: Graph, timescale) -> str:
    return str(g.value(g.value(timescale, TIME.unitType), PW.reportedUnit))


def normalise(value: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        value = value.replace(curly, straight)
    return re.sub(r"\s+", " ", value).strip()


def fold(value: str) -> str:
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


def authority_ids(g: Graph) -> list[str]:
    return sorted(str(g.value(a, DCTERMS.identifier)) for a in g.subjects(RDF.type, PW.Authority))


@dataclass(frozen=True)
class Encoding:
    """One authority of the model: its IRI, its namespace, its documents and its pathways."""

    g: Graph
    id: str
    iri: URIRef

    @classmethod
    def of(cls, g: Graph, authority_id: str) -> Encoding:
        found = [a for a in g.subjects(DCTERMS.identifier, Literal(authority_id)) if (a, RDF.type, PW.Authority) in g]
        assert len(found) == 1, f"{len(found)} pw:Authority with dcterms:identifier {authority_id!r}"
        return cls(g, authority_id, found[0])

    @cached_property
    def ns(self) -> str:
        """The authority's namespace: its IRI up to the last '/' or '#'."""
        iri = str(self.iri)
        return iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]

    def owns(self, subject) -> bool:
        return isinstance(subject, URIRef) and str(subject).startswith(self.ns)

    def local(self, name: str) -> URIRef:
        """A term of the authority's namespace by its local name."""
        return URIRef(self.ns + name)

    @cached_property
    def documents(self) -> list[URIRef]:
        g = self.g
        return sorted(d for d in g.subjects(PW.authority, self.iri) if (d, RDF.type, PW.PolicyDocument) in g)

    def source_texts(self) -> list[str]:
        return [(SOURCES_DIR / str(self.g.value(d, PW.sourceFile))).read_text(encoding="utf-8") for d in self.documents]

    @cached_property
    def sections(self) -> list[URIRef]:
        """The pw:Section resources that are part of the authority's documents."""
        g = self.g
        return sorted(
            s for d in self.documents for s in g.subjects(DCTERMS.isPartOf, d) if (s, RDF.type, PW.Section) in g
        )

    @cached_property
    def pathway_ids(self) -> list[str]:
        """The authority's pathways in their pw:order."""
        g = self.g
        found = [p for p in g.subjects(PW.authority, self.iri) if (p, RDF.type, PW.Pathway) in g]
        found.sort(key=lambda p: (int(g.value(p, PW.order) or 0), str(p)))
        return [str(g.value(p, DCTERMS.identifier)) for p in found]

    def pathway(self, pathway_id: str) -> URIRef:
        g = self.g
        found = [
            p
            for p in g.subjects(DCTERMS.identifier, Literal(pathway_id))
            if (p, RDF.type, PW.Pathway) in g and (p, PW.authority, self.iri) in g
        ]
        assert len(found) == 1, f"{len(found)} pathways {pathway_id!r} of {self.id}"
        return found[0]

    def steps(self, pathway_id: str) -> set:
        return set(self.g.subjects(PPLAN.isStepOfPlan, self.pathway(pathway_id)))

    def node(self, pathway_id: str, node_id: str) -> URIRef:
        pathway = self.pathway(pathway_id)
        n = URIRef(f"{pathway}.{node_id}")
        assert (n, PPLAN.isStepOfPlan, pathway) in self.g, f"{n} is not a step of {pathway}"
        return n

    @cached_property
    def level_schemes(self) -> list[URIRef]:
        g = self.g
        return sorted(s for s in g.subjects(PW.authority, self.iri) if (s, RDF.type, PW.LevelScheme) in g)

    def labelled(self, cls, label: str, prop=RDFS.label) -> URIRef:
        """The one ``cls`` of the authority labelled ``label`` (rdfs:label or skos:prefLabel), which
        carries it as ``prop``."""
        g = self.g
        found = [s for s in g.subjects(RDF.type, cls) if self.owns(s) and has_label(g, s, label)]
        assert found, f"no {cls} labelled {label!r} in {self.ns}"
        assert len(found) == 1, f"several {cls} labelled {label!r}: {found}"
        assert label in texts(g, found[0], prop), f"{found[0]} is labelled {label!r} but not as {prop}"
        return found[0]

    def role(self, label: str) -> URIRef:
        return self.labelled(PW.Role, label)

    def part_of_documents(self, section) -> bool:
        return any((section, DCTERMS.isPartOf, d) in self.g for d in self.documents)

    def cited_sections(self, subject) -> set[str]:
        """The numbers of the sections of the authority's documents that ``subject`` cites."""
        g = self.g
        return {
            str(number)
            for section in g.objects(subject, PW.source)
            if self.part_of_documents(section)
            for number in g.objects(section, PW.sectionNumber)
        }

    def assert_cites(self, subject, section: str) -> None:
        if model_added(self.g, subject):
            assert_model_added(self.g, subject)
            return
        cited = self.cited_sections(subject)
        assert section in cited, f"{subject} cites {sorted(cited)}, not {section}"

    def own_quotes(self) -> list[tuple[Node, str]]:
        """The pw:quote of every subject in the namespace and of every transition leaving one."""
        g = self.g
        quotes = set()
        for subject, quote in g.subject_objects(PW.quote):
            if self.owns(subject) or any(self.owns(s) for s in g.subjects(PW.next, subject)):
                quotes.add((subject, str(quote)))
        return sorted(quotes)

    def flow_graph(self, pathway_id: str) -> nx.MultiDiGraph:
        g = self.g
        nodes = self.steps(pathway_id)
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(nodes)
        for n in nodes:
            for t in transitions(g, n):
                target = g.value(t, PW.to)
                assert target in nodes, f"{n} -> {target} leaves {pathway_id}"
                graph.add_edge(n, target)
        return graph


# ---------------------------------------------------------------- one check per kind of fact
# Each check finds the subject of the fact, asserts what the document says about it and returns it;
# the runner (run_fact) then asserts that it cites the fact's section (or is model-added and says why).
# A check that returns None has done its own citing.


def check_pathway(
    a: Encoding,
    section,
    *,
    pathway,
    pathway_kind,
    order=None,
    direction=None,
    from_level=None,
    to_levels=(),
):
    g, p = a.g, a.pathway(pathway)
    assert (p, RDF.type, PW.Pathway) in g
    assert str(g.value(p, DCTERMS.identifier)) == pathway
    assert (p, PW.authority, a.iri) in g
    assert set(g.objects(p, PW.pathwayKind)) == {term(pathway_kind)}
    if order is not None:
        assert int(g.value(p, PW.order)) == order
    if direction is not None:
        assert (p, PW.direction, term(direction)) in g
    if from_level is not None:
        assert any(has_label(g, lvl, from_level) for lvl in g.objects(p, PW.fromLevel)), from_level
    targets = list(g.objects(p, PW.toLevel))
    for to_level in to_levels:
        assert any(has_label(g, lvl, to_level) for lvl in targets), to_level
    return p


def check_level(a: Encoding, section, *, label, rank, broader=None):
    g = a.g
    level = a.labelled(PW.LevelOfNeed, label, SKOS.prefLabel)
    assert any((level, SKOS.inScheme, scheme) in g for scheme in a.level_schemes), f"{level} in no scheme of {a.id}"
    assert int(g.value(level, PW.rank)) == rank
    assert g.value(level, SKOS.definition) is not None, f"{level} has no definition"
    if broader:
        assert any(has_label(g, b, broader) for b in g.objects(level, SKOS.broader)), broader
    return level


def check_narrower_level(a: Encoding, section, *, broader, narrower):
    wider = a.labelled(PW.LevelOfNeed, broader, SKOS.prefLabel)
    level = a.labelled(PW.LevelOfNeed, narrower, SKOS.prefLabel)
    assert (level, SKOS.broader, wider) in a.g
    return level


def check_role(a: Encoding, section, *, label):
    r = a.role(label)
    assert (r, PW.authority, a.iri) in a.g
    assert a.g.value(r, SKOS.definition) is not None, f"{r} has no definition"
    return r


def check_artefact(a: Encoding, section, *, label, **kwargs):
    artefact = a.labelled(term(kwargs.pop("class")), label)
    assert not kwargs, f"unknown fields {sorted(kwargs)}"
    assert a.g.value(artefact, SKOS.definition) is not None, f"{artefact} has no definition"
    return artefact


def check_node(a: Encoding, section, *, pathway, node, **kwargs):
    n, cls = a.node(pathway, node), term(kwargs.pop("class"))
    assert not kwargs, f"unknown fields {sorted(kwargs)}"
    assert (n, RDF.type, cls) in a.g, f"{n} is not a {cls}"
    return n


def _typed_node(a: Encoding, pathway, node, cls) -> URIRef:
    n = a.node(pathway, node)
    assert (n, RDF.type, cls) in a.g, f"{n} is not a {cls}"
    return n


def check_trigger(a: Encoding, section, *, pathway, node, role):
    n = _typed_node(a, pathway, node, PW.Trigger)
    assert (n, PW.performedBy, a.role(role)) in a.g
    return n


def check_step(a: Encoding, section, *, pathway, node, role, modality, optional=False):
    n = _typed_node(a, pathway, node, PW.Activity)
    assert (n, PW.performedBy, a.role(role)) in a.g
    assert_modality(a.g, n, modality)
    if optional:
        assert (n, PW.isOptional, Literal(True)) in a.g, f"{n} is not optional"
    return n


def check_optional_step(a: Encoding, section, **fields):
    return check_step(a, section, optional=True, **fields)


def check_decision(a: Encoding, section, *, pathway, node, role, modality):
    n = _typed_node(a, pathway, node, PW.Decision)
    assert (n, PW.decidedBy, a.role(role)) in a.g
    assert_modality(a.g, n, modality)
    return n


def check_performed_by(a: Encoding, section, *, pathway, node, role):
    n = a.node(pathway, node)
    assert (n, PW.performedBy, a.role(role)) in a.g
    return n


def check_decided_by(a: Encoding, section, *, pathway, node, role):
    n = _typed_node(a, pathway, node, PW.Decision)
    assert (n, PW.decidedBy, a.role(role)) in a.g
    return n


def check_involves(a: Encoding, section, *, pathway, node, role):
    n = a.node(pathway, node)
    assert (n, PW.involves, a.role(role)) in a.g
    return n


def check_modality(a: Encoding, section, *, pathway, node, modality):
    n = a.node(pathway, node)
    assert_modality(a.g, n, modality)
    assert texts(a.g, n, PW.wording), f"{n} has no pw:wording"
    return n


def _flag(prop):
    def check_flag(a: Encoding, section, *, pathway, node):
        n = a.node(pathway, node)
        assert a.g.value(n, prop) == Literal(True), f"{n} is not {prop}"
        return n

    return check_flag


def check_urgency(a: Encoding, section, *, pathway, node, words):
    n = a.node(pathway, node)
    assert any(words in u for u in texts(a.g, n, PW.urgency)), f"{n} urgency lacks {words!r}"
    return n


def _artefact_link(prop):
    def check_artefact_link(a: Encoding, section, *, pathway, node, artefact):
        n = a.node(pathway, node)
        labels = {str(lab) for x in a.g.objects(n, prop) for lab in a.g.objects(x, RDFS.label)}
        assert artefact in labels, f"{n} {prop} {sorted(labels)}"
        return n

    return check_artefact_link


def check_branch(a: Encoding, section, *, pathway, from_node, to_node):
    g = a.g
    source, target = a.node(pathway, from_node), a.node(pathway, to_node)
    matching = [t for t in transitions(g, source) if g.value(t, PW.to) == target]
    assert matching, f"no transition {from_node} -> {to_node}"
    for t in matching:
        if model_added(g, t):
            assert_model_added(g, t)
    assert any(model_added(g, t) or section in a.cited_sections(t) for t in matching), (
        f"{from_node} -> {to_node} does not cite {section}"
    )
    if (source, RDF.type, PW.Decision) in g:
        assert all(g.value(t, PW.condition) for t in matching)
    return None


def check_end_level(a: Encoding, section, *, pathway, node, level):
    n = _typed_node(a, pathway, node, PW.EndState)
    assert level in texts(a.g, a.g.value(n, PW.level), SKOS.prefLabel), f"{n} does not end at {level!r}"
    return n


def check_escalation(a: Encoding, section, *, pathway, node):
    return _flag(PW.isEscalation)(a, section, pathway=pathway, node=node)


def check_timescale(
    a: Encoding,
    section,
    *,
    pathway,
    amount,
    unit,
    timescale_kind,
    from_node,
    to_node,
    modality,
    day_kind_unstated=False,
):
    """``day_kind_unstated``: the document says "days" without saying which kind, so the model records
    the unit the audit counts (pw:auditUnit) and why (pw:ambiguity)."""
    g = a.g
    start, end = a.node(pathway, from_node), a.node(pathway, to_node)
    kind = TIMESCALE_KIND[timescale_kind]
    found = []
    for ts in g.subjects(PW.onPathway, a.pathway(pathway)):
        if (ts, RDF.type, PW.Timescale) not in g:
            continue
        duration = g.value(ts, TIME.numericDuration)
        if (
            duration is not None
            and float(duration) == amount
            and unit_code(g, ts) == unit
            and (ts, PW.timescaleKind, kind) in g
            and str(g.value(kind, DCTERMS.identifier)) == timescale_kind
            and (ts, PW.runsFrom, start) in g
            and (ts, PW.runsTo, end) in g
            and modality_matches(g, ts, modality)
        ):
            found.append(ts)
    assert len(found) == 1, f"expected one {amount} {unit} {timescale_kind} timescale on {pathway}, found {found}"
    assert set(g.objects(found[0], PW.timescaleKind)) == {kind}
    assert_modality(g, found[0], modality)
    if day_kind_unstated:
        assert g.value(found[0], PW.auditUnit) is not None, f"{found[0]} has no pw:auditUnit"
        assert g.value(found[0], PW.ambiguity) is not None, f"{found[0]} has no pw:ambiguity"
    return found[0]


def check_weekday(a: Encoding, section, *, pathway, day, from_node, to_node, modality):
    g = a.g
    start, end = a.node(pathway, from_node), a.node(pathway, to_node)
    found = [
        t
        for t in g.subjects(PW.onPathway, a.pathway(pathway))
        if (t, PW.timescaleKind, PW.DayOfWeekRule) in g
        and (t, TIME.dayOfWeek, term(day)) in g
        and (t, PW.runsFrom, start) in g
        and (t, PW.runsTo, end) in g
        and modality_matches(g, t, modality)
    ]
    assert len(found) == 1, f"expected one {day} rule on {pathway}, found {found}"
    assert_modality(g, found[0], modality)
    return found[0]


_UNCHECKED = object()


def check_requirement(
    a: Encoding,
    section,
    *,
    pathway,
    node,
    label,
    modality,
    condition_key=_UNCHECKED,
    unique_label=False,
):
    """``condition_key``: omitted, not checked; null, the requirement applies unconditionally; a string,
    its pw:conditionKey (and it has a pw:appliesWhen). ``unique_label``: no other requirement of the
    authority has this label."""
    g = a.g
    step = a.node(pathway, node)
    named = [r for r in g.subjects(RDF.type, PW.Requirement) if a.owns(r) and has_label(g, r, label)]
    found = [r for r in named if (r, PW.appliesTo, step) in g]
    assert len(found) == 1, f"expected one requirement {label!r} on {node}, found {found}"
    req = found[0]
    assert label in texts(g, req, RDFS.label)
    if unique_label:
        assert len(named) == 1, f"several requirements labelled {label!r}: {named}"
    assert_modality(g, req, modality)
    assert g.value(req, PW.recordedAs) is not None, f"{req} has no pw:recordedAs"
    if condition_key is None:
        assert g.value(req, PW.conditionKey) is None, f"{req} has a pw:conditionKey"
    elif condition_key is not _UNCHECKED:
        assert str(g.value(req, PW.conditionKey)) == condition_key
        assert g.value(req, PW.appliesWhen) is not None, f"{req} has no pw:appliesWhen"
    return req


def check_condition_key(a: Encoding, section, *, label, condition_key):
    req = a.labelled(PW.Requirement, label)
    assert str(a.g.value(req, PW.conditionKey)) == condition_key
    assert a.g.value(req, PW.appliesWhen)
    return req


def check_requirement_set(a: Encoding, section, *, label, size, pathway=None, node=None):
    g = a.g
    rs = a.labelled(PW.RequirementSet, label)
    members = list(g.subjects(PW.partOf, rs))
    assert len(members) == size
    assert sorted(int(g.value(m, PW.order)) for m in members) == list(range(1, size + 1))
    target = g.value(rs, PW.appliesTo)
    assert all((m, PW.appliesTo, target) in g for m in members), f"members of {rs} apply elsewhere"
    if node is not None:
        assert (rs, PW.appliesTo, a.node(pathway, node)) in g
    if pathway is not None:
        assert (rs, PW.onPathway, a.pathway(pathway)) in g
    return rs


def check_service_hours(a: Encoding, section, *, service, out_of_hours_service, opening_hours):
    """``opening_hours``: day label -> [opens, closes] as "HH:MM:SS"; the days not named are closed."""
    g = a.g
    service_role = a.role(service)
    found = [h for h in g.subjects(PW.service, service_role) if (h, RDF.type, PW.ServiceHours) in g and a.owns(h)]
    assert len(found) == 1, f"expected one pw:ServiceHours of {service!r}, found {found}"
    hours = found[0]
    assert g.value(hours, PW.service) == service_role
    assert g.value(hours, PW.outOfHoursService) == a.role(out_of_hours_service)
    windows = {}
    for window in g.objects(hours, PW.openingHours):
        day = str(g.value(g.value(window, TIME.dayOfWeek), RDFS.label))
        minutes = int(g.value(window, PW.opensAtMinute)), int(g.value(window, PW.closesAtMinute))
        windows[day] = tuple(f"{m // 60:02d}:{m % 60:02d}:00" for m in minutes)
    assert windows == {day: tuple(times) for day, times in opening_hours.items()}, f"opening hours {windows}"
    return hours


def check_telephone(a: Encoding, section, *, role, number):
    r = a.role(role)
    assert number in texts(a.g, r, PW.telephone)
    return r


def check_monitoring(a: Encoding, section, *, label, monitored_by, escalates_to, pathways):
    g = a.g
    arrangement = a.labelled(PW.MonitoringArrangement, label)
    if monitored_by is not None:
        assert (arrangement, PW.monitoredBy, a.role(monitored_by)) in g
    if escalates_to:
        steps = sorted(g.objects(arrangement, PW.escalationStep), key=lambda s: int(g.value(s, PW.order)))
        assert [int(g.value(s, PW.order)) for s in steps] == list(range(1, len(steps) + 1)), f"escalation order {steps}"
        assert [str(g.value(g.value(s, PW.role), RDFS.label)) for s in steps] == escalates_to
    for pathway in pathways:
        assert (arrangement, PW.onPathway, a.pathway(pathway)) in g
    return arrangement


def check_ambiguity(a: Encoding, section, *, subject):
    """``subject``: a local name in the authority's namespace."""
    s = a.local(subject)
    assert a.g.value(s, PW.ambiguity) is not None, f"{s} has no pw:ambiguity"
    return s


CHECKS = {
    "pathway": check_pathway,
    "level": check_level,
    "narrower level": check_narrower_level,
    "role": check_role,
    "artefact": check_artefact,
    "node": check_node,
    "trigger": check_trigger,
    "step": check_step,
    "optional step": check_optional_step,
    "decision": check_decision,
    "performed by": check_performed_by,
    "decided by": check_decided_by,
    "involves": check_involves,
    "modality": check_modality,
    "optional": _flag(PW.isOptional),
    "escalation": check_escalation,
    "urgency": check_urgency,
    "uses": _artefact_link(PW.uses),
    "produces": _artefact_link(PW.produces),
    "branch": check_branch,
    "end level": check_end_level,
    "timescale": check_timescale,
    "weekday": check_weekday,
    "requirement": check_requirement,
    "condition key": check_condition_key,
    "requirement set": check_requirement_set,
    "service hours": check_service_hours,
    "telephone": check_telephone,
    "monitoring": check_monitoring,
    "ambiguity": check_ambiguity,
}


def run_fact(a: Encoding, fact: dict) -> None:
    """Check one row of a facts table: its kind's check, then that its subject cites its section."""
    fields = dict(fact)
    section, kind = fields.pop("section"), fields.pop("kind")
    assert kind in CHECKS, f"unknown kind of fact {kind!r}; known: {sorted(CHECKS)}"
    subject = CHECKS[kind](a, section, **fields)
    if subject is not None:
        a.assert_cites(subject, section)
