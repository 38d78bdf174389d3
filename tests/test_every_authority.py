"""The checks every authority's encoding must pass, whoever the authority is.

Parametrised by the authorities and pathways found in the loaded model (ids ``knowsley`` and
``knowsley/step-up-planned``): an authority file added to ``ontology/authorities/`` gets these
checks without any test being edited. What a particular document says is checked by
``test_authority_facts.py`` from the tables in ``tests/authorities/``.

1. the authority, its documents and its sections; every pw:quote of the authority is verbatim text
   of its source file;
2. its requirements, roles and levels are complete, and no role name points at two roles;
3. each pathway is a well-formed flowchart (one trigger, reachability, labelled branches, complete
   nodes), its timescales are complete and its step names unambiguous.
"""

from __future__ import annotations

import re

import networkx as nx
import pytest
from authority_checks import (
    KEBAB,
    MODALITY,
    NODE_CLASSES,
    TIMESCALE_KIND,
    Encoding,
    assert_model_added,
    authority_ids,
    fold,
    model_added,
    normalise,
    transitions,
)
from rdflib import Graph, Literal

from pathways.model.loading import load_model
from pathways.model.resources import SOURCES_DIR
from pathways.model.vocabulary import DCTERMS, PPLAN, PW, RDF, RDFS, SKOS, TIME

AUTHORITIES = authority_ids(load_model())
PATHWAYS = [(a, p) for a in AUTHORITIES for p in Encoding.of(load_model(), a).pathway_ids]
PATHWAY_IDS = [f"{a}/{p}" for a, p in PATHWAYS]


@pytest.fixture(scope="module")
def g() -> Graph:
    return load_model()


def test_the_model_has_authorities() -> None:
    assert AUTHORITIES
    assert PATHWAYS


# ---------------------------------------------------------------- 1. authority, documents, sections, quotes


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_authority_and_documents(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    assert str(g.value(a.iri, DCTERMS.identifier)) == authority_id
    assert a.documents, f"{authority_id} has no pw:PolicyDocument"
    for document in a.documents:
        assert (document, RDF.type, PW.PolicyDocument) in g
        assert a.owns(document), f"{document} is not in {a.ns}"
        assert g.value(document, DCTERMS.publisher) == a.iri
        assert (document, PW.authority, a.iri) in g
        assert g.value(document, DCTERMS.issued) is not None, f"{document} has no dcterms:issued"
        assert (SOURCES_DIR / str(g.value(document, PW.sourceFile))).is_file(), document


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_sources_are_sections_of_the_documents(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    cited = {o for o in g.objects(None, PW.source) if a.owns(o)}
    assert cited
    for section in cited:
        assert (section, RDF.type, PW.Section) in g, section
        assert a.part_of_documents(section), section
        assert g.value(section, PW.sectionNumber) is not None, section


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_every_section_is_cited(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    cited = set(g.objects(None, PW.source))
    assert a.sections
    assert not [str(s) for s in a.sections if s not in cited]


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_numbered_sections_are_headings(g: Graph, authority_id: str) -> None:
    """A section numbered with a whole number is the only one with that number, and its title is a
    heading "<number>. <title>" of the source text (white space and curly quotes aside)."""
    a = Encoding.of(g, authority_id)
    headings = {normalise(line) for text in a.source_texts() for line in text.splitlines()}
    numbers = [str(g.value(s, PW.sectionNumber)) for s in a.sections]
    for section in a.sections:
        number = str(g.value(section, PW.sectionNumber))
        if not re.fullmatch(r"\d+", number):
            continue
        assert numbers.count(number) == 1, f"several sections numbered {number}"
        title = str(g.value(section, DCTERMS.title))
        assert normalise(f"{number}. {title}") in headings, f"section {number} {title!r} is not a heading"


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_quotes_are_verbatim(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    sources = [normalise(text) for text in a.source_texts()]
    quotes = a.own_quotes()
    assert quotes
    missing = [(str(s), q) for s, q in quotes if not any(normalise(q) in source for source in sources)]
    assert not missing, missing


# ---------------------------------------------------------------- 2. requirements, roles, levels


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_requirements_are_complete(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    requirements = [r for r in g.subjects(RDF.type, PW.Requirement) if a.owns(r)]
    # a case evidences a requirement by recording its key on an event of the step it applies to
    keys = [(g.value(r, PW.appliesTo), str(g.value(r, PW.recordedAs))) for r in requirements]
    assert len(keys) == len(set(keys)), "recordedAs keys must be unique for each step"
    for r in requirements:
        target = g.value(r, PW.appliesTo)
        assert target is not None and g.value(target, PPLAN.isStepOfPlan) is not None, f"{r} applies to"
        assert g.value(r, PW.modality) in MODALITY.values(), f"{r} modality"
        assert g.value(r, PW.wording) is not None, f"{r} wording"
        assert g.value(r, PW.recordedAs) is not None, f"{r} recordedAs"
        assert KEBAB.fullmatch(str(g.value(r, PW.recordedAs))), f"{r} recordedAs"
        assert g.value(r, PW.source) is not None and g.value(r, PW.quote) is not None, f"{r} citation"
        assert (g.value(r, PW.conditionKey) is None) == (g.value(r, PW.appliesWhen) is None), r
        rs = g.value(r, PW.partOf)
        if rs is not None:
            assert g.value(rs, PW.appliesTo) == target, f"{r} and its set apply to different steps"
            assert g.value(r, PW.order) is not None, f"{r} order"
    pathways = {a.pathway(p) for p in a.pathway_ids}
    for rs in g.subjects(RDF.type, PW.RequirementSet):
        if a.owns(rs):
            assert g.value(rs, PW.onPathway) in pathways, rs
            assert g.value(rs, PW.source) is not None and g.value(rs, PW.quote) is not None, rs


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_roles_and_levels(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    roles = [r for r in g.subjects(RDF.type, PW.Role) if a.owns(r)]
    for r in roles:
        assert g.value(r, PW.authority) == a.iri, r
        assert g.value(r, SKOS.definition) is not None and g.value(r, PW.source) is not None, r
    used = {o for p in (PW.performedBy, PW.decidedBy, PW.involves) for o in g.objects(None, p)}
    assert {r for r in used if a.owns(r)} <= set(roles)
    assert len(a.level_schemes) == 1, f"{authority_id} has {len(a.level_schemes)} pw:LevelScheme"
    levels = list(g.subjects(SKOS.inScheme, a.level_schemes[0]))
    assert levels
    for level in levels:
        assert (level, RDF.type, PW.LevelOfNeed) in g, level
        int(g.value(level, PW.rank))


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_role_names_are_unambiguous(g: Graph, authority_id: str) -> None:
    """Case records name roles by id, label or altLabel: no name may point at two roles."""
    a = Encoding.of(g, authority_id)
    owners: dict[str, set] = {}
    for role in g.subjects(PW.authority, a.iri):
        if (role, RDF.type, PW.Role) not in g:
            continue
        local = str(role).rsplit("/", 1)[-1]
        names = [local, local.removeprefix("role-"), str(g.value(role, RDFS.label))]
        for name in names + [str(alt) for alt in g.objects(role, SKOS.altLabel)]:
            owners.setdefault(fold(name), set()).add(role)
    assert not {name: roles for name, roles in owners.items() if len(roles) > 1}


@pytest.mark.parametrize("authority_id", AUTHORITIES)
def test_pathway_orders(g: Graph, authority_id: str) -> None:
    """The authority's pathways are numbered 1, 2, ... in the order the policy presents them."""
    a = Encoding.of(g, authority_id)
    orders = sorted(int(g.value(a.pathway(p), PW.order)) for p in a.pathway_ids)
    assert orders == list(range(1, len(orders) + 1))


# ---------------------------------------------------------------- 3. pathways


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_pathway_metadata(g: Graph, authority_id: str, pathway_id: str) -> None:
    a = Encoding.of(g, authority_id)
    p = a.pathway(pathway_id)
    assert str(p) == a.ns + pathway_id, f"{p} is not named {a.ns}{pathway_id}"
    assert str(g.value(p, DCTERMS.identifier)) == pathway_id
    assert g.value(p, PW.authority) == a.iri
    assert g.value(p, PW.order) is not None
    assert g.value(p, PW.flowchartTitle) is not None
    assert g.value(p, PW.direction) in {PW.StepUp, PW.StepDown}
    assert g.value(p, PW.pathwayKind) is not None
    assert g.value(p, PW.fromLevel) is not None
    assert g.value(p, PW.toLevel) is not None
    assert g.value(p, RDFS.label) is not None and g.value(p, SKOS.definition) is not None


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_pathway_is_a_well_formed_flow(g: Graph, authority_id: str, pathway_id: str) -> None:
    a = Encoding.of(g, authority_id)
    nodes = a.steps(pathway_id)
    triggers = [n for n in nodes if (n, RDF.type, PW.Trigger) in g]
    ends = {n for n in nodes if (n, RDF.type, PW.EndState) in g}
    assert len(triggers) == 1
    assert len(ends) >= 2
    flow = a.flow_graph(pathway_id)
    assert nx.is_directed_acyclic_graph(flow), "the policy describes no loop"
    reachable = nx.descendants(flow, triggers[0]) | {triggers[0]}
    assert reachable == nodes, f"unreachable: {sorted(map(str, nodes - reachable))}"
    for n in nodes:
        assert (nx.descendants(flow, n) | {n}) & ends, f"{n} reaches no end state"
    for end in ends:
        assert not transitions(g, end), f"{end} has outgoing transitions"
        assert g.value(end, PW.level) is not None, f"{end} has no level"


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_decisions_have_labelled_branches(g: Graph, authority_id: str, pathway_id: str) -> None:
    a = Encoding.of(g, authority_id)
    for n in a.steps(pathway_id):
        if (n, RDF.type, PW.Decision) not in g:
            continue
        outgoing = transitions(g, n)
        assert len(outgoing) >= 2, f"{n} has {len(outgoing)} branches"
        for t in outgoing:
            assert str(g.value(t, PW.condition) or "").strip(), f"{n} has an unlabelled branch"
            if model_added(g, t):
                assert_model_added(g, t)
            else:
                assert g.value(t, PW.source) is not None, f"a branch of {n} has no source"


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_nodes_are_complete(g: Graph, authority_id: str, pathway_id: str) -> None:
    a = Encoding.of(g, authority_id)
    prefix = f"{a.pathway(pathway_id)}."
    for n in a.steps(pathway_id):
        assert str(n).startswith(prefix), f"{n} is not named after its pathway"
        assert KEBAB.fullmatch(str(n)[len(prefix) :]), f"{n}: the node id is not lower-case-with-hyphens"
        kinds = [c for c in NODE_CLASSES if (n, RDF.type, c) in g]
        assert len(kinds) == 1, f"{n} is {kinds}"
        label = g.value(n, RDFS.label)
        assert label is not None and label.language == "en", f"{n} label"
        assert g.value(n, SKOS.definition) is not None, f"{n} definition"
        if model_added(g, n):
            assert_model_added(g, n)
        else:
            assert g.value(n, PW.source) is not None, f"{n} source"
            assert g.value(n, PW.quote) is not None, f"{n} quote"
        for t in transitions(g, n):
            if model_added(g, t):
                assert_model_added(g, t)
            else:
                assert g.value(t, PW.source) is not None, f"transition from {n} has no source"
        if (n, RDF.type, PW.EndState) in g:
            assert (g.value(n, PW.level), RDF.type, PW.LevelOfNeed) in g, f"{n} level"
            continue
        role_prop = PW.decidedBy if (n, RDF.type, PW.Decision) in g else PW.performedBy
        performers = set(g.objects(n, role_prop))
        assert performers, f"{n} has no {role_prop}"
        assert all((r, RDF.type, PW.Role) in g for r in performers), f"{n} {role_prop} a non-role"
        if (n, RDF.type, PW.Trigger) in g:
            continue
        modalities = set(g.objects(n, PW.modality))
        assert len(modalities) == 1 and modalities <= set(MODALITY.values()), f"{n} modality"
        assert g.value(n, PW.wording) is not None, f"{n} wording"
        if (n, RDF.type, PW.Activity) in g:
            assert len(performers) == 1, f"{n} performed by {sorted(performers)}"


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_model_choices_say_why(g: Graph, authority_id: str, pathway_id: str) -> None:
    """A node whose owner the model chose, and a node or branch the model added, carry a pw:ambiguity."""
    for n in Encoding.of(g, authority_id).steps(pathway_id):
        if g.value(n, PW.ownerModelAdded) == Literal(True):
            assert g.value(n, PW.ambiguity) is not None, f"{n}: owner chosen by the model, no pw:ambiguity"
        if model_added(g, n):
            assert g.value(n, PW.ambiguity) is not None, f"{n}: added by the model, no pw:ambiguity"
        for t in transitions(g, n):
            if model_added(g, t):
                assert g.value(t, PW.ambiguity) is not None, f"branch from {n}: added by the model, no pw:ambiguity"


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_timescales_are_complete(g: Graph, authority_id: str, pathway_id: str) -> None:
    a = Encoding.of(g, authority_id)
    nodes = a.steps(pathway_id)
    flow = a.flow_graph(pathway_id)
    for ts in g.subjects(PW.onPathway, a.pathway(pathway_id)):
        if (ts, RDF.type, PW.Timescale) not in g:
            continue
        kind = g.value(ts, PW.timescaleKind)
        assert kind in TIMESCALE_KIND.values(), f"{ts} kind"
        if kind == PW.DayOfWeekRule:
            assert g.value(ts, TIME.dayOfWeek) is not None, f"{ts} day"
        else:
            assert g.value(ts, TIME.numericDuration) is not None, f"{ts} amount"
        assert g.value(ts, TIME.unitType) is not None, f"{ts} unit"
        assert g.value(ts, PW.runsFrom) in nodes, f"{ts} runsFrom"
        assert g.value(ts, PW.runsTo) in nodes, f"{ts} runsTo"
        assert g.value(ts, PW.modality) in MODALITY.values(), f"{ts} modality"
        assert g.value(ts, PW.wording) is not None, f"{ts} wording"
        assert g.value(ts, PW.source) is not None and g.value(ts, PW.quote) is not None, f"{ts} citation"
        if g.value(ts, TIME.unitType) == PW.unitDayUnspecified:
            assert g.value(ts, PW.auditUnit) is not None and g.value(ts, PW.ambiguity) is not None, ts
        assert nx.has_path(flow, g.value(ts, PW.runsFrom), g.value(ts, PW.runsTo)), f"{ts} runs against the flow"


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=PATHWAY_IDS)
def test_step_names_are_unambiguous(g: Graph, authority_id: str, pathway_id: str) -> None:
    """Case records name steps by node id, label or altLabel: no name may point at two nodes."""
    a = Encoding.of(g, authority_id)
    owners: dict[str, set] = {}
    prefix = f"{a.pathway(pathway_id)}."
    for n in a.steps(pathway_id):
        names = [str(n)[len(prefix) :], str(g.value(n, RDFS.label))]
        for name in names + [str(alt) for alt in g.objects(n, SKOS.altLabel)]:
            owners.setdefault(fold(name), set()).add(n)
    assert not {name: nodes for name, nodes in owners.items() if len(nodes) > 1}
