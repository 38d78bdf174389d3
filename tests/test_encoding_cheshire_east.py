"""The Cheshire East encoding against its source: Step Up / Step Down Policy, December 2024.

Three things are checked:
1. a table of facts written from the document, paragraph by paragraph, each of which must be in
   the model and cite that paragraph;
2. every quote of the Cheshire East encoding appears verbatim in the source file;
3. each pathway is a well-formed flowchart and each timescale and requirement is complete.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from pathways.model.loading import load_model

PW = Namespace("https://w3id.org/stepupdown/pathways#")
CE = Namespace("https://w3id.org/stepupdown/cheshire-east/")
PPLAN = Namespace("http://purl.org/net/p-plan#")
TIME = Namespace("http://www.w3.org/2006/time#")

SOURCE = Path(__file__).resolve().parent.parent / "ontology" / "sources" / "cheshire-east-step-up-step-down-2024.txt"

PATHWAYS = ["step-down-assessment", "step-down-cin", "step-up-immediate", "step-up-early-help"]

NODE_CLASSES = {"trigger": PW.Trigger, "activity": PW.Activity, "decision": PW.Decision, "end": PW.EndState}


@pytest.fixture(scope="module")
def g() -> Graph:
    return load_model()


# ---------------------------------------------------------------- helpers


def node(pathway: str, node_id: str) -> URIRef:
    return CE[f"{pathway}.{node_id}"]


def text(g: Graph, subject, prop) -> set[str]:
    return {str(o) for o in g.objects(subject, prop)}


def cited_sections(g: Graph, subject) -> set[str]:
    return {str(n) for s in g.objects(subject, PW.source) for n in g.objects(s, PW.sectionNumber)}


def model_added(g: Graph, subject) -> bool:
    return g.value(subject, PW.modelAdded) == Literal(True)


def assert_model_added(g: Graph, subject) -> None:
    """A node or branch the model added cites nothing of its own and says why it was added."""
    assert g.value(subject, PW.source) is None, f"{subject} is model-added but has a pw:source"
    assert g.value(subject, PW.quote) is None, f"{subject} is model-added but has a pw:quote"
    assert g.value(subject, PW.ambiguity) is not None, f"{subject} is model-added without a pw:ambiguity"


def assert_cites(g: Graph, subject, section: str) -> None:
    if model_added(g, subject):
        assert_model_added(g, subject)
        return
    cited = cited_sections(g, subject)
    assert section in cited, f"{subject} cites {sorted(cited)}, not {section}"


def labelled(g: Graph, cls, label: str, prop=RDFS.label) -> URIRef:
    found = [s for s in g.subjects(prop, None) if str(s).startswith(str(CE)) and label in text(g, s, prop)]
    found = [s for s in found if (s, RDF.type, cls) in g]
    assert found, f"no {cls} labelled {label!r}"
    assert len(found) == 1, f"several {cls} labelled {label!r}: {found}"
    return found[0]


def role(g: Graph, label: str) -> URIRef:
    return labelled(g, PW.Role, label)


def modality_label(g: Graph, subject) -> set[str]:
    return {str(lab) for m in g.objects(subject, PW.modality) for lab in g.objects(m, RDFS.label)}


def transitions(g: Graph, subject) -> list:
    return list(g.objects(subject, PW.next))


def pathway_nodes(g: Graph, pathway: URIRef) -> set:
    return set(g.subjects(PPLAN.isStepOfPlan, pathway))


def unit_code(g: Graph, timescale) -> str:
    unit = g.value(timescale, TIME.unitType)
    return str(g.value(unit, PW.reportedUnit))


def kind_code(g: Graph, timescale) -> str:
    return str(g.value(g.value(timescale, PW.timescaleKind), DCTERMS.identifier))


def normalise(value: str) -> str:
    for curly, straight in {"’": "'", "‘": "'", "“": '"', "”": '"'}.items():
        value = value.replace(curly, straight)
    return " ".join(value.split())


# ---------------------------------------------------------------- fact checks


def check_pathway(g, section, pathway_id, kind, order):
    p = CE[pathway_id]
    assert (p, RDF.type, PW.Pathway) in g
    assert str(g.value(p, DCTERMS.identifier)) == pathway_id
    assert g.value(p, PW.pathwayKind) == PW[kind]
    assert int(g.value(p, PW.order)) == order
    assert_cites(g, p, section)


def check_level(g, section, label, rank):
    level = labelled(g, PW.LevelOfNeed, label, SKOS.prefLabel)
    assert (level, SKOS.inScheme, CE.levels) in g
    assert int(g.value(level, PW.rank)) == rank
    assert_cites(g, level, section)


def check_narrower(g, section, broader_label, narrower_label):
    broader = labelled(g, PW.LevelOfNeed, broader_label, SKOS.prefLabel)
    narrower = labelled(g, PW.LevelOfNeed, narrower_label, SKOS.prefLabel)
    assert (narrower, SKOS.broader, broader) in g
    assert_cites(g, narrower, section)


def check_role(g, section, label):
    r = role(g, label)
    assert (r, PW.authority, CE.authority) in g
    assert_cites(g, r, section)


def check_artefact(g, section, cls, label):
    a = labelled(g, PW[cls], label)
    assert_cites(g, a, section)


def check_node(g, section, pathway, node_id, cls):
    n = node(pathway, node_id)
    assert (n, RDF.type, NODE_CLASSES[cls]) in g, f"{n} is not a {cls}"
    assert (n, PPLAN.isStepOfPlan, CE[pathway]) in g
    assert_cites(g, n, section)


def check_performed_by(g, section, pathway, node_id, role_label):
    n = node(pathway, node_id)
    assert (n, PW.performedBy, role(g, role_label)) in g
    assert_cites(g, n, section)


def check_decided_by(g, section, pathway, node_id, role_label):
    n = node(pathway, node_id)
    assert (n, RDF.type, PW.Decision) in g
    assert (n, PW.decidedBy, role(g, role_label)) in g
    assert_cites(g, n, section)


def check_involves(g, section, pathway, node_id, role_label):
    n = node(pathway, node_id)
    assert (n, PW.involves, role(g, role_label)) in g
    assert_cites(g, n, section)


def check_modality(g, section, pathway, node_id, modality):
    n = node(pathway, node_id)
    assert modality_label(g, n) == {modality}
    assert text(g, n, PW.wording), f"{n} has no pw:wording"
    assert_cites(g, n, section)


def check_flag(g, section, pathway, node_id, prop):
    n = node(pathway, node_id)
    assert g.value(n, PW[prop]) == Literal(True), f"{n} is not {prop}"
    assert_cites(g, n, section)


def check_urgency(g, section, pathway, node_id, words):
    n = node(pathway, node_id)
    assert any(words in u for u in text(g, n, PW.urgency)), f"{n} urgency lacks {words!r}"
    assert_cites(g, n, section)


def check_artefact_link(g, section, pathway, node_id, prop, artefact_label):
    n = node(pathway, node_id)
    labels = {str(lab) for a in g.objects(n, PW[prop]) for lab in g.objects(a, RDFS.label)}
    assert artefact_label in labels, f"{n} {prop} {sorted(labels)}"
    assert_cites(g, n, section)


def check_branch(g, section, pathway, from_id, to_id):
    source, target = node(pathway, from_id), node(pathway, to_id)
    matching = [t for t in transitions(g, source) if g.value(t, PW.to) == target]
    assert matching, f"no transition {from_id} -> {to_id}"
    for t in matching:
        if model_added(g, t):
            assert_model_added(g, t)
    assert any(model_added(g, t) or section in cited_sections(g, t) for t in matching), (
        f"{from_id} -> {to_id} does not cite {section}"
    )
    if (source, RDF.type, PW.Decision) in g:
        assert all(g.value(t, PW.condition) for t in matching)


def check_end_level(g, section, pathway, node_id, level_label):
    n = node(pathway, node_id)
    assert (n, RDF.type, PW.EndState) in g
    assert level_label in text(g, g.value(n, PW.level), SKOS.prefLabel)
    assert_cites(g, n, section)


def check_timescale(g, section, pathway, amount, unit, kind, from_id, to_id, modality):
    found = []
    for ts in g.subjects(PW.onPathway, CE[pathway]):
        if (ts, RDF.type, PW.Timescale) not in g:
            continue
        duration = g.value(ts, TIME.numericDuration)
        if (
            (duration is not None and float(duration) == amount)
            and unit_code(g, ts) == unit
            and kind_code(g, ts) == kind
            and g.value(ts, PW.runsFrom) == node(pathway, from_id)
            and g.value(ts, PW.runsTo) == node(pathway, to_id)
            and modality_label(g, ts) == {modality}
        ):
            found.append(ts)
    assert len(found) == 1, f"{len(found)} timescales match"
    assert_cites(g, found[0], section)


def check_requirement(g, section, pathway, node_id, label, modality):
    req = labelled(g, PW.Requirement, label)
    assert (req, PW.appliesTo, node(pathway, node_id)) in g
    assert modality_label(g, req) == {modality}
    assert_cites(g, req, section)


def check_condition_key(g, section, label, key):
    req = labelled(g, PW.Requirement, label)
    assert str(g.value(req, PW.conditionKey)) == key
    assert g.value(req, PW.appliesWhen)
    assert_cites(g, req, section)


def check_requirement_set(g, section, pathway, node_id, label, size):
    rs = labelled(g, PW.RequirementSet, label)
    assert (rs, PW.appliesTo, node(pathway, node_id)) in g
    assert (rs, PW.onPathway, CE[pathway]) in g
    members = list(g.subjects(PW.partOf, rs))
    assert len(members) == size
    assert sorted(int(g.value(m, PW.order)) for m in members) == list(range(1, size + 1))
    assert_cites(g, rs, section)


def check_service_hours(g, section, opens, closes, closes_friday):
    hours = CE["checs-hours"]
    assert (hours, RDF.type, PW.ServiceHours) in g
    assert g.value(hours, PW.service) == role(g, "Cheshire East Consultation Service (ChECS)")
    assert g.value(hours, PW.outOfHoursService) == role(g, "Emergency Duty Team")
    windows = {}
    for window in g.objects(hours, PW.openingHours):
        day = str(g.value(g.value(window, TIME.dayOfWeek), RDFS.label))
        minutes = int(g.value(window, PW.opensAtMinute)), int(g.value(window, PW.closesAtMinute))
        windows[day] = tuple(f"{m // 60:02d}:{m % 60:02d}:00" for m in minutes)
    # "Out of office hours 17:00-08:30am Mon-Thurs, 16:30 Friday": open Monday to Friday only
    assert windows == {day: (opens, closes) for day in ("Monday", "Tuesday", "Wednesday", "Thursday")} | {
        "Friday": (opens, closes_friday)
    }
    assert_cites(g, hours, section)


def check_telephone(g, section, role_label, number):
    r = role(g, role_label)
    assert number in text(g, r, PW.telephone)
    assert_cites(g, r, section)


CHECKS = {
    "pathway": check_pathway,
    "level": check_level,
    "narrower level": check_narrower,
    "role": check_role,
    "artefact": check_artefact,
    "node": check_node,
    "performed by": check_performed_by,
    "decided by": check_decided_by,
    "involves": check_involves,
    "modality": check_modality,
    "optional": lambda g, s, p, n: check_flag(g, s, p, n, "isOptional"),
    "escalation": lambda g, s, p, n: check_flag(g, s, p, n, "isEscalation"),
    "urgency": check_urgency,
    "uses": lambda g, s, p, n, a: check_artefact_link(g, s, p, n, "uses", a),
    "produces": lambda g, s, p, n, a: check_artefact_link(g, s, p, n, "produces", a),
    "branch": check_branch,
    "end level": check_end_level,
    "timescale": check_timescale,
    "requirement": check_requirement,
    "condition key": check_condition_key,
    "requirement set": check_requirement_set,
    "service hours": check_service_hours,
    "telephone": check_telephone,
}

SDA, CIN, SUI, SUEH = PATHWAYS
MUST, SHOULD, BEST = "must", "should", "best practice"
LEAD, SW, TM = "Lead Person", "Social Worker", "Team Manager"
PFHO, CHECS = "Partnership Family Help Officer", "Cheshire East Consultation Service (ChECS)"
SCREENING = (
    "Appropriate screening tools completed to inform the step down (e.g. GCP 2 where neglect has been a concern)"
)

# (paragraph, kind, *details): what the document says, paragraph by paragraph.
FACTS = [
    # 1. Purpose, scope, aims and vision; Early Help levels
    ("1.2", "level", "Targeted Upper Tier", 4),
    ("1.2", "narrower level", "Targeted Upper Tier", "Child in Need (CIN)"),
    ("1.2", "narrower level", "Targeted Upper Tier", "Children with Disabilities (CWD)"),
    ("1.2", "level", "Statutory", 5),
    ("1.3", "level", "Targeted Lower Tier", 3),
    ("1.3", "level", "Extra Help", 2),
    ("6.1", "level", "Universal", 1),
    (
        "1.2",
        "requirement",
        SDA,
        "team-manager-agrees-step-down",
        "Final supervision records the decision to step down",
        MUST,
    ),
    ("1.4", "artefact", "PolicyReference", "Multi-Agency Thresholds of Need"),
    ("1.5", "role", CHECS),
    ("1.5", "role", "Emergency Duty Team"),
    ("1.5", "service hours", "08:30:00", "17:00:00", "16:30:00"),
    ("1.5", "telephone", CHECS, "0300 123 5012 Option 3, Option 2"),
    ("1.5", "telephone", "Emergency Duty Team", "0300 123 5022"),
    ("1.5", "decided by", SUI, "checs-open", "Referrer"),
    ("1.5", "branch", SUI, "checs-open", "contact-checs-by-telephone"),
    ("1.5", "branch", SUI, "checs-open", "call-emergency-duty-team"),
    ("1.5", "performed by", SUI, "call-emergency-duty-team", "Referrer"),
    ("1.5", "modality", SUI, "call-emergency-duty-team", SHOULD),
    ("1.6", "artefact", "Tool", "Multi-Agency Assessment Toolkit"),
    (
        "1.7",
        "requirement",
        SDA,
        "handover-visit-or-meeting",
        "Actions and support agreed using the SMART principles",
        SHOULD,
    ),
    (
        "1.9",
        "requirement",
        SUEH,
        "phone-checs",
        "Submit the screening tool when contacting the Integrated Front Door",
        SHOULD,
    ),
    (
        "1.10",
        "requirement",
        SUEH,
        "phone-checs",
        "Evidence why the threshold is met despite appropriate intervention and reflective review",
        SHOULD,
    ),
    # 2. Step down pathways
    ("2.2", "level", "Extra Help", 2),
    ("2.4", "pathway", SDA, "StepDownAfterAssessment", 1),
    ("2.4", "pathway", CIN, "StepDownFromCINPlan", 2),
    ("2.4", "node", SDA, "need-reduced", "trigger"),
    ("2.4", "node", CIN, "need-reduced", "trigger"),
    # 3.1 Step down from C&F Assessment
    ("3.1", "pathway", SDA, "StepDownAfterAssessment", 1),
    ("3.1", "performed by", SDA, "complete-cf-assessment", SW),
    ("3.1", "modality", SDA, "complete-cf-assessment", MUST),
    ("3.1", "produces", SDA, "complete-cf-assessment", "Children and Families (C&F) Assessment"),
    ("3.1", "performed by", SDA, "family-consents", "Family"),
    ("3.1", "decided by", SDA, "team-manager-agrees-step-down", TM),
    ("3.1", "produces", SDA, "team-manager-agrees-step-down", "Supervision record"),
    ("3.1", "branch", SDA, "team-manager-agrees-step-down", "discuss-lead-professional"),
    ("3.1", "branch", SDA, "team-manager-agrees-step-down", "remains-with-csc"),
    (
        "3.1",
        "requirement",
        SDA,
        "team-manager-agrees-step-down",
        "Team Manager authorises the C&F Assessment",
        MUST,
    ),
    ("3.1", "performed by", SDA, "discuss-lead-professional", SW),
    (
        "3.1",
        "requirement",
        SDA,
        "discuss-lead-professional",
        "Consider whether the family require support over and above universal response",
        SHOULD,
    ),
    (
        "3.1",
        "requirement set",
        SDA,
        "complete-cf-assessment",
        "What the C&F Assessment analysis must recommend",
        2,
    ),
    (
        "3.1",
        "requirement",
        SDA,
        "complete-cf-assessment",
        "Clear outline of tasks/interventions that need to be actioned",
        MUST,
    ),
    (
        "3.1",
        "requirement",
        SDA,
        "complete-cf-assessment",
        "Contingency plan if the family fail to engage post step down",
        MUST,
    ),
    (
        "3.1",
        "requirement",
        SDA,
        "complete-cf-assessment",
        "C&F Assessment conclusion includes a recommended action/safety plan of support",
        MUST,
    ),
    ("3.1", "decided by", SDA, "lead-professional-decision", SW),
    ("3.1", "branch", SDA, "lead-professional-decision", "secure-agreement-to-lead"),
    ("3.1", "branch", SDA, "lead-professional-decision", "confirm-step-down-with-manager"),
    ("3.1", "branch", SDA, "lead-professional-decision", "pfho-practical-support"),
    ("3.1", "performed by", SDA, "secure-agreement-to-lead", SW),
    ("3.1", "modality", SDA, "handover-visit-or-meeting", SHOULD),
    (
        "3.1",
        "requirement",
        SDA,
        "handover-visit-or-meeting",
        "Family supported to lead the handover discussions",
        SHOULD,
    ),
    ("3.1", "performed by", SDA, "confirm-step-down-with-manager", SW),
    ("3.1", "involves", SDA, "confirm-step-down-with-manager", TM),
    ("3.1", "performed by", SDA, "complete-ehm-form", SW),
    ("3.1", "produces", SDA, "complete-ehm-form", "EHM form"),
    ("3.1", "performed by", SDA, "pfht-officer-review", PFHO),
    ("3.1", "node", SDA, "joint-allocation-meeting", "activity"),
    (
        "3.1",
        "timescale",
        SDA,
        5,
        "working_days",
        "deadline",
        "team-manager-agrees-step-down",
        "complete-ehm-form",
        MUST,
    ),
    ("3.1", "performed by", SDA, "pfho-practical-support", PFHO),
    ("3.1", "optional", SDA, "pfho-practical-support"),
    ("3.1", "decided by", SDA, "continued-refusal-decision", TM),
    ("3.1", "branch", SDA, "continued-refusal-decision", "follow-escalation-policy"),
    ("3.1", "performed by", SDA, "follow-escalation-policy", TM),
    ("3.1", "modality", SDA, "follow-escalation-policy", SHOULD),
    ("3.1", "escalation", SDA, "follow-escalation-policy"),
    ("3.1", "uses", SDA, "follow-escalation-policy", "Pan Cheshire Multi Agency Escalation Policy"),
    ("3.1", "decided by", SDA, "step-down-level", SW),
    ("3.1", "branch", SDA, "step-down-level", "family-help-meeting"),
    ("3.1", "branch", SDA, "step-down-level", "handover-visit-or-meeting"),
    ("3.1", "produces", SDA, "family-help-meeting", "Early Help Plan"),
    ("3.1", "end level", SDA, "remains-with-csc", "Targeted Upper Tier"),
    ("3.1", "end level", SDA, "stepped-down-targeted-lower-tier", "Targeted Lower Tier"),
    ("3.1", "end level", SDA, "stepped-down-extra-help", "Extra Help"),
    ("3.1", "role", PFHO),
    # 3.2 Handover
    ("3.2", "node", SDA, "new-lead-person-identified", "activity"),
    ("3.2", "modality", SDA, "share-cf-assessment", SHOULD),
    ("3.2", "performed by", SDA, "joint-visit", SW),
    ("3.2", "involves", SDA, "joint-visit", LEAD),
    ("3.2", "modality", SDA, "joint-visit", BEST),
    ("3.2", "optional", SDA, "joint-visit"),
    (
        "3.2",
        "timescale",
        SDA,
        5,
        "working_days",
        "deadline",
        "new-lead-person-identified",
        "joint-visit",
        BEST,
    ),
    # 4.1 to 4.5 Step down from a CIN plan
    ("4.1", "decided by", CIN, "penultimate-cin-meeting", "Child in Need meeting"),
    ("4.1", "branch", CIN, "penultimate-cin-meeting", "team-manager-confirms-in-supervision"),
    ("4.1", "branch", CIN, "penultimate-cin-meeting", "remains-on-cin-plan"),
    # consent may be given "at the next meeting": due by, and recorded on either, meeting
    ("4.1", "requirement", CIN, "final-cin-meeting", "Family consents to the step down", MUST),
    ("4.1", "performed by", CIN, "team-manager-confirms-in-supervision", TM),
    ("4.1", "modality", CIN, "team-manager-confirms-in-supervision", MUST),
    (
        "4.1",
        "requirement",
        CIN,
        "team-manager-confirms-in-supervision",
        "Step down decision recorded on the child's record",
        MUST,
    ),
    ("4.1", "end level", CIN, "remains-on-cin-plan", "Child in Need (CIN)"),
    ("4.2", "performed by", CIN, "lead-person-identified", SW),
    ("4.2", "modality", CIN, "lead-person-identified", SHOULD),
    ("4.2", "urgency", CIN, "lead-person-identified", "as soon as possible"),
    ("4.2", "performed by", CIN, "discuss-lead-person-role", SW),
    ("4.2", "involves", CIN, "discuss-lead-person-role", "Family"),
    ("4.2", "modality", CIN, "discuss-lead-person-role", SHOULD),
    ("4.2", "requirement", CIN, "discuss-lead-person-role", "Family's view on the Lead Person sought", MUST),
    (
        "4.2",
        "requirement",
        CIN,
        "discuss-lead-person-role",
        "Consider who is best placed to lead the intervention",
        SHOULD,
    ),
    ("4.2", "decided by", CIN, "ongoing-support-level", SW),
    ("4.2", "uses", CIN, "ongoing-support-level", "Multi-Agency Thresholds of Need"),
    ("4.2", "branch", CIN, "ongoing-support-level", "needs-met-by-universal-services"),
    ("4.2", "end level", CIN, "needs-met-by-universal-services", "Universal"),
    ("4.2", "decided by", CIN, "lead-person-agreement", SW),
    ("4.2", "branch", CIN, "lead-person-agreement", "discuss-with-team-manager"),
    ("4.2", "performed by", CIN, "discuss-with-team-manager", SW),
    ("4.2", "escalation", CIN, "discuss-with-team-manager"),
    ("4.2", "performed by", CIN, "team-manager-contacts-line-manager", TM),
    ("4.2", "involves", CIN, "team-manager-contacts-line-manager", "Line manager of the professional"),
    ("4.2", "decided by", CIN, "disagreement-resolved", TM),
    ("4.2", "branch", CIN, "disagreement-resolved", "follow-escalation-policy"),
    ("4.2", "escalation", CIN, "follow-escalation-policy"),
    ("4.2", "uses", CIN, "follow-escalation-policy", "Pan Cheshire Multi Agency Escalation Policy"),
    ("4.2", "end level", CIN, "stepped-down-targeted-lower-tier", "Targeted Lower Tier"),
    ("4.2", "end level", CIN, "stepped-down-extra-help", "Extra Help"),
    (
        "4.3",
        "requirement set",
        CIN,
        "final-cin-meeting",
        "Bottom lines for stepping down from a Child in Need plan",
        9,
    ),
    ("4.3", "requirement", CIN, "final-cin-meeting", "Authorised C&F Assessment", MUST),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        SCREENING,
        MUST,
    ),
    (
        "4.3",
        "condition key",
        SCREENING,
        "neglect",
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Clear plan of intervention for lead worker to co-ordinate",
        MUST,
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Visit to family recorded within the last 4 weeks",
        MUST,
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Record that the family have been spoken to and agree with support from Early Help services",
        MUST,
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Plan reviewed and updated within the last 4 weeks",
        MUST,
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Summary of reasons for step down and interventions completed so far, including by whom",
        MUST,
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Consider the need for a contingency plan if parents withdraw consent",
        SHOULD,
    ),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Date of the final CIN meeting shared to ensure appropriate attendance",
        MUST,
    ),
    ("4.3", "timescale", CIN, 4, "weeks", "lookback", "visit-family", "final-cin-meeting", MUST),
    ("4.3", "timescale", CIN, 4, "weeks", "lookback", "review-and-update-plan", "final-cin-meeting", MUST),
    (
        "4.3",
        "requirement",
        CIN,
        "final-cin-meeting",
        "Identified Lead Person attends the final Child in Need meeting",
        SHOULD,
    ),
    ("4.3", "decided by", CIN, "lead-person-attended", LEAD),
    ("4.3", "branch", CIN, "lead-person-attended", "final-handover-visit"),
    ("4.3", "performed by", CIN, "final-handover-visit", SW),
    ("4.3", "involves", CIN, "final-handover-visit", LEAD),
    ("4.4", "performed by", CIN, "share-information-with-lead", SW),
    ("4.4", "involves", CIN, "share-information-with-lead", LEAD),
    ("4.4", "modality", CIN, "share-information-with-lead", SHOULD),
    ("4.5", "modality", SDA, "complete-ecaf-transfer-form", SHOULD),
    ("4.5", "produces", SDA, "complete-ecaf-transfer-form", "Transfer to Ecaf form"),
    ("4.5", "modality", CIN, "complete-ecaf-transfer-form", SHOULD),
    ("4.5", "produces", CIN, "complete-ecaf-transfer-form", "Transfer to Ecaf form"),
    ("4.5", "node", SDA, "ecaf-transfer-accepted", "activity"),
    ("4.5", "node", CIN, "ecaf-transfer-accepted", "activity"),
    ("4.5", "involves", SDA, "confirmation-email-sent", LEAD),
    ("4.5", "involves", CIN, "confirmation-email-sent", TM),
    # Appendix 4 box text
    ("Appendix 4", "decided by", CIN, "penultimate-cin-meeting", "Child in Need meeting"),
    ("Appendix 4", "produces", CIN, "team-manager-confirms-in-supervision", "Supervision record"),
    ("Appendix 4", "node", CIN, "lead-person-identified", "activity"),
    ("Appendix 4", "performed by", CIN, "discuss-lead-person-role", SW),
    ("Appendix 4", "decided by", CIN, "pfht-triage", PFHO),
    ("Appendix 4", "branch", CIN, "pfht-triage", "allocate-to-service"),
    ("Appendix 4", "branch", CIN, "pfht-triage", "joint-allocation-meeting"),
    ("Appendix 4", "branch", CIN, "lead-person-identified", "pfht-triage"),
    ("Appendix 4", "involves", CIN, "joint-allocation-meeting", SW),
    ("Appendix 4", "involves", CIN, "joint-allocation-meeting", TM),
    ("Appendix 4", "modality", CIN, "final-handover-visit", BEST),
    ("Appendix 4", "node", CIN, "close-csc-involvement", "activity"),
    ("Appendix 4", "role", PFHO),
    # 5. Step up pathways
    ("5.1", "end level", SUI, "stepped-up-cin", "Child in Need (CIN)"),
    ("5.1", "end level", SUI, "stepped-up-child-protection", "Statutory"),
    ("5.2", "pathway", SUI, "ImmediateStepUp", 3),
    ("5.2", "pathway", SUEH, "PlannedStepUp", 4),
    # 6. Immediate safeguarding-led step up
    ("6.1", "node", SUI, "trigger-event", "trigger"),
    ("6.1", "performed by", SUI, "trigger-event", "Referrer"),
    ("6.2", "node", SUI, "trigger-event", "trigger"),
    ("6.3", "performed by", SUI, "clarify-details-and-context", "Referrer"),
    ("6.3", "modality", SUI, "clarify-details-and-context", MUST),
    (
        "6.4",
        "requirement",
        SUI,
        "clarify-details-and-context",
        "Clarify whether an allegation of injury is accompanied by a disclosure",
        SHOULD,
    ),
    (
        "6.4",
        "condition key",
        "Clarify whether an allegation of injury is accompanied by a disclosure",
        "allegation-of-injury",
    ),
    ("6.5", "performed by", SUI, "contact-checs-by-telephone", "Referrer"),
    ("6.5", "involves", SUI, "contact-checs-by-telephone", CHECS),
    ("6.5", "modality", SUI, "contact-checs-by-telephone", MUST),
    ("6.5", "urgency", SUI, "contact-checs-by-telephone", "immediately"),
    (
        "6.5",
        "requirement",
        SUI,
        "contact-checs-by-telephone",
        "Contact ChECS by telephone, not by portal form",
        MUST,
    ),
    ("6.5", "performed by", SUI, "inform-early-help-lead", "Referrer"),
    ("6.5", "involves", SUI, "inform-early-help-lead", LEAD),
    ("6.5", "modality", SUI, "inform-early-help-lead", SHOULD),
    ("6.5", "optional", SUI, "inform-early-help-lead"),
    ("6.6", "decided by", SUI, "threshold-met", CHECS),
    ("6.6", "branch", SUI, "threshold-met", "create-referral"),
    ("6.6", "branch", SUI, "threshold-met", "remains-with-early-help-or-universal"),
    ("6.6", "performed by", SUI, "create-referral", CHECS),
    ("6.6", "modality", SUI, "create-referral", MUST),
    # "If threshold has been met ... within two hours": from the threshold decision
    ("6.6", "timescale", SUI, 2, "hours", "deadline", "threshold-met", "create-referral", MUST),
    ("6.6", "decided by", SUI, "s17-or-s47", "Child in Need/Child Protection team"),
    ("6.6", "decided by", SUI, "immediate-response", "CSC Duty Team Manager"),
    ("6.6", "branch", SUI, "immediate-response", "urgent-strategy-discussion"),
    ("6.6", "branch", SUI, "immediate-response", "initial-joint-visit"),
    (
        "6.6",
        "timescale",
        SUI,
        0,
        "days",
        "same_day",
        "immediate-response",  # "CSC Duty Team Manager to decide ...; this should take place the same day"
        "urgent-strategy-discussion",
        SHOULD,
    ),
    ("6.6", "timescale", SUI, 0, "days", "same_day", "immediate-response", "initial-joint-visit", SHOULD),
    ("6.6", "performed by", SUI, "allocate-duty-social-worker", "CSC Duty Team Manager"),
    ("6.6", "performed by", SUI, "initial-joint-visit", SW),
    ("6.6", "involves", SUI, "initial-joint-visit", LEAD),
    ("6.6", "performed by", SUI, "complete-cf-assessment", SW),
    ("6.6", "optional", SUI, "complete-cf-assessment"),
    ("6.6", "performed by", SUI, "lead-person-remains-involved", LEAD),
    ("6.6", "modality", SUI, "lead-person-remains-involved", BEST),
    ("6.6", "optional", SUI, "lead-person-remains-involved"),
    ("6.6", "timescale", SUI, 4, "weeks", "approximate", "create-referral", "intervention-outcome", BEST),
    (
        "6.6",
        "requirement",
        SUI,
        "lead-person-remains-involved",
        "Early Help services proactive about their role during the assessment period",
        SHOULD,
    ),
    ("6.6", "branch", SUI, "intervention-outcome", "returned-to-early-help"),
    ("6.6", "end level", SUI, "returned-to-early-help", "Targeted Lower Tier"),
    ("6.6", "role", "CSC Duty Team Manager"),
    ("6.6", "role", "Child in Need/Child Protection team"),
    # 7. Step up of families already open to Early Help
    ("7.1", "node", SUEH, "plan-not-keeping-child-safe", "trigger"),
    ("7.1", "performed by", SUEH, "early-help-intervention-started", LEAD),
    ("7.1", "performed by", SUEH, "discuss-in-supervision", LEAD),
    ("7.1", "involves", SUEH, "discuss-in-supervision", "Early Help supervisor"),
    ("7.1", "modality", SUEH, "discuss-in-supervision", SHOULD),
    (
        "7.1",
        "requirement",
        SUEH,
        "discuss-in-supervision",
        "Clear and effective management oversight of the step up",
        MUST,
    ),
    ("7.1", "optional", SUEH, "multi-agency-professionals-meeting"),
    ("7.1", "involves", SUEH, "multi-agency-professionals-meeting", "Multi-agency professionals"),
    (
        "7.1",
        "timescale",
        SUEH,
        3,
        "months",
        "minimum",
        "early-help-intervention-started",
        "phone-checs",
        BEST,
    ),
    ("7.1", "modality", SUEH, "complete-screening-tools-and-reviews", SHOULD),
    ("7.1", "uses", SUEH, "complete-screening-tools-and-reviews", "Multi-Agency Assessment Toolkit"),
    ("7.1", "produces", SUEH, "record-and-share-chronology", "Chronology"),
    ("7.1", "requirement set", SUEH, "record-and-share-chronology", "What the step-up chronology details", 3),
    (
        "7.1",
        "requirement",
        SUEH,
        "record-and-share-chronology",
        "Chronology details attempts made to engage the family",
        SHOULD,
    ),
    (
        "7.1",
        "requirement",
        SUEH,
        "record-and-share-chronology",
        "Chronology details which evidence-based assessment tools have been used",
        SHOULD,
    ),
    (
        "7.1",
        "requirement",
        SUEH,
        "record-and-share-chronology",
        "Chronology details the impact of the failure to progress on the child",
        SHOULD,
    ),
    ("7.1", "modality", SUEH, "advise-family-of-referral", SHOULD),
    ("7.1", "branch", SUEH, "advise-family-of-referral", "record-and-share-chronology"),
    (
        "7.1",
        "requirement",
        SUEH,
        "advise-family-of-referral",
        "Evidence in the chronology that the family has been advised of the referral (case note or letter)",
        SHOULD,
    ),
    ("7.1", "decided by", SUEH, "lead-agency-threshold", LEAD),
    ("7.1", "branch", SUEH, "lead-agency-threshold", "referrer-is-la-staff"),
    ("7.1", "branch", SUEH, "referrer-is-la-staff", "open-checs-contact"),
    ("7.1", "branch", SUEH, "referrer-is-la-staff", "phone-checs"),
    ("7.1", "modality", SUEH, "open-checs-contact", MUST),
    ("7.1", "modality", SUEH, "phone-checs", SHOULD),
    ("7.1", "role", "Early Help supervisor"),
    ("7.2", "decided by", SUEH, "checs-threshold", CHECS),
    ("7.2", "branch", SUEH, "checs-threshold", "send-referral-to-team"),
    ("7.2", "branch", SUEH, "checs-threshold", "remains-with-early-help"),
    ("7.2", "performed by", SUEH, "send-referral-to-team", CHECS),
    ("7.2", "timescale", SUEH, 24, "hours", "deadline", "checs-threshold", "send-referral-to-team", MUST),
    ("7.2", "end level", SUEH, "stepped-up-cwd", "Children with Disabilities (CWD)"),
    ("7.2", "end level", SUEH, "stepped-up-child-protection", "Statutory"),
    ("7.3", "performed by", SUEH, "complete-cf-assessment", SW),
    ("7.3", "modality", SUEH, "complete-cf-assessment", SHOULD),
    (
        "7.3",
        "timescale",
        SUEH,
        45,
        "days",
        "deadline",
        "send-referral-to-team",
        "complete-cf-assessment",
        SHOULD,
    ),
    ("7.3", "requirement", SUEH, "complete-cf-assessment", "C&F Assessment recorded in supervision", SHOULD),
    (
        "7.3",
        "requirement",
        SUEH,
        "complete-cf-assessment",
        "C&F Assessment recorded on the child's records",
        SHOULD,
    ),
    ("7.3", "performed by", SUEH, "lead-person-remains-involved", LEAD),
    ("7.3", "modality", SUEH, "lead-person-remains-involved", SHOULD),
    ("7.3", "decided by", SUEH, "assessment-outcome", "Child in Need/Child Protection team"),
    ("7.3", "branch", SUEH, "assessment-outcome", "returned-to-early-help"),
    ("7.3", "end level", SUEH, "returned-to-early-help", "Targeted Lower Tier"),
]


def fact_id(fact: tuple) -> str:
    return " | ".join(str(part) for part in fact)


@pytest.mark.parametrize("fact", FACTS, ids=fact_id)
def test_document_fact(g: Graph, fact: tuple) -> None:
    section, kind, *details = fact
    CHECKS[kind](g, section, *details)


# ---------------------------------------------------------------- quotes


def own_quotes(g: Graph) -> list[tuple]:
    quotes = []
    for subject, quote in g.subject_objects(PW.quote):
        if isinstance(subject, BNode):
            owners = [s for s in g.subjects(PW.next, subject) if str(s).startswith(str(CE))]
            if not owners:
                continue
        elif not str(subject).startswith(str(CE)):
            continue
        quotes.append((subject, str(quote)))
    return quotes


def test_quotes_are_verbatim(g: Graph) -> None:
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    quotes = own_quotes(g)
    assert len(quotes) > 150
    missing = [(str(s), q) for s, q in quotes if normalise(q) not in source]
    assert not missing, missing


def test_document_and_authority(g: Graph) -> None:
    assert (CE.authority, RDF.type, PW.Authority) in g
    assert str(g.value(CE.authority, DCTERMS.identifier)) == "cheshire-east"
    assert (CE.policy, RDF.type, PW.PolicyDocument) in g
    assert g.value(CE.policy, DCTERMS.publisher) == CE.authority
    assert str(g.value(CE.policy, DCTERMS.issued)) == "2024-12"
    assert (SOURCE.parent / str(g.value(CE.policy, PW.sourceFile))).is_file()


def test_sources_are_sections_of_the_policy(g: Graph) -> None:
    sections = {o for s, o in g.subject_objects(PW.source) if str(o).startswith(str(CE))}
    assert sections
    for section in sections:
        assert (section, RDF.type, PW.Section) in g
        assert (section, DCTERMS.isPartOf, CE.policy) in g
        assert g.value(section, PW.sectionNumber) is not None, section


# ---------------------------------------------------------------- pathway structure


def flow_graph(g: Graph, pathway: URIRef) -> nx.MultiDiGraph:
    nodes = pathway_nodes(g, pathway)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    for n in nodes:
        for t in transitions(g, n):
            target = g.value(t, PW.to)
            assert target in nodes, f"{n} -> {target} leaves the pathway"
            graph.add_edge(n, target)
    return graph


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_pathway_metadata(g: Graph, pathway_id: str) -> None:
    p = CE[pathway_id]
    assert str(g.value(p, DCTERMS.identifier)) == pathway_id
    assert g.value(p, PW.authority) == CE.authority
    assert int(g.value(p, PW.order)) == PATHWAYS.index(pathway_id) + 1
    assert str(g.value(p, PW.flowchartTitle)).startswith(f"Appendix {PATHWAYS.index(pathway_id) + 3} - ")
    assert g.value(p, PW.direction) in {PW.StepUp, PW.StepDown}
    assert g.value(p, PW.pathwayKind) is not None
    assert g.value(p, PW.fromLevel) is not None
    assert g.value(p, PW.toLevel) is not None
    assert g.value(p, RDFS.label) is not None and g.value(p, SKOS.definition) is not None


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_pathway_is_a_well_formed_flow(g: Graph, pathway_id: str) -> None:
    p = CE[pathway_id]
    nodes = pathway_nodes(g, p)
    for n in nodes:
        assert str(n).startswith(f"{p}."), f"{n} is not named after its pathway"
    triggers = [n for n in nodes if (n, RDF.type, PW.Trigger) in g]
    ends = {n for n in nodes if (n, RDF.type, PW.EndState) in g}
    assert len(triggers) == 1
    assert ends
    flow = flow_graph(g, p)
    assert nx.is_directed_acyclic_graph(flow), "the policy describes no loop"
    reachable = nx.descendants(flow, triggers[0]) | {triggers[0]}
    assert reachable == nodes, f"unreachable: {sorted(map(str, nodes - reachable))}"
    for n in nodes:
        assert (nx.descendants(flow, n) | {n}) & ends, f"{n} reaches no end state"
    for end in ends:
        assert not transitions(g, end), f"{end} has outgoing transitions"
        assert g.value(end, PW.level) is not None, f"{end} has no level"


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_decisions_branch(g: Graph, pathway_id: str) -> None:
    for n in pathway_nodes(g, CE[pathway_id]):
        if (n, RDF.type, PW.Decision) not in g:
            continue
        outgoing = transitions(g, n)
        assert len(outgoing) >= 2, f"{n} has {len(outgoing)} branches"
        for t in outgoing:
            assert str(g.value(t, PW.condition) or "").strip(), f"{n} has an unlabelled branch"


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_nodes_are_complete(g: Graph, pathway_id: str) -> None:
    for n in pathway_nodes(g, CE[pathway_id]):
        label = g.value(n, RDFS.label)
        assert label is not None and label.language == "en", f"{n} label"
        assert g.value(n, SKOS.definition) is not None, f"{n} definition"
        if model_added(g, n):
            assert_model_added(g, n)
        else:
            assert g.value(n, PW.source) is not None, f"{n} source"
        for t in transitions(g, n):
            if model_added(g, t):
                assert_model_added(g, t)
            else:
                assert g.value(t, PW.source) is not None, f"transition from {n} has no source"
        if (n, RDF.type, PW.EndState) in g:
            continue
        if not model_added(g, n):
            assert g.value(n, PW.quote) is not None, f"{n} quote"
        if (n, RDF.type, PW.Trigger) in g:
            assert g.value(n, PW.performedBy) is not None, f"{n} performer"
            continue
        assert len(set(g.objects(n, PW.modality))) == 1, f"{n} modality"
        assert g.value(n, PW.wording) is not None, f"{n} wording"
        if (n, RDF.type, PW.Decision) in g:
            assert g.value(n, PW.decidedBy) is not None, f"{n} decided by"
        else:
            assert len(set(g.objects(n, PW.performedBy))) == 1, f"{n} performed by"


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_model_choices_say_why(g: Graph, pathway_id: str) -> None:
    """A node whose owner the model chose, and a node or branch the model added, carry a pw:ambiguity."""
    for n in pathway_nodes(g, CE[pathway_id]):
        if g.value(n, PW.ownerModelAdded) == Literal(True):
            assert g.value(n, PW.ambiguity) is not None, f"{n}: owner chosen by the model, no pw:ambiguity"
        if model_added(g, n):
            assert g.value(n, PW.ambiguity) is not None, f"{n}: added by the model, no pw:ambiguity"
        for t in transitions(g, n):
            if model_added(g, t):
                assert g.value(t, PW.ambiguity) is not None, f"branch from {n}: added by the model, no pw:ambiguity"


def own_timescales(g: Graph, pathway_id: str) -> list:
    return [ts for ts in g.subjects(PW.onPathway, CE[pathway_id]) if (ts, RDF.type, PW.Timescale) in g]


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_timescales_are_complete(g: Graph, pathway_id: str) -> None:
    nodes = pathway_nodes(g, CE[pathway_id])
    timescales = own_timescales(g, pathway_id)
    assert timescales
    for ts in timescales:
        kind = g.value(ts, PW.timescaleKind)
        assert kind is not None, f"{ts} kind"
        if kind != PW.DayOfWeekRule:
            assert g.value(ts, TIME.numericDuration) is not None, f"{ts} amount"
            assert g.value(ts, TIME.unitType) is not None, f"{ts} unit"
        assert g.value(ts, PW.runsFrom) in nodes, f"{ts} runsFrom"
        assert g.value(ts, PW.runsTo) in nodes, f"{ts} runsTo"
        assert g.value(ts, PW.modality) is not None, f"{ts} modality"
        assert g.value(ts, PW.wording) is not None, f"{ts} wording"
        assert g.value(ts, PW.source) is not None and g.value(ts, PW.quote) is not None, f"{ts} citation"
        if g.value(ts, TIME.unitType) == PW.unitDayUnspecified:
            assert g.value(ts, PW.auditUnit) is not None and g.value(ts, PW.ambiguity) is not None, ts
        assert nx.has_path(flow_graph(g, CE[pathway_id]), g.value(ts, PW.runsFrom), g.value(ts, PW.runsTo))


def test_requirements_are_complete(g: Graph) -> None:
    requirements = [r for r in g.subjects(RDF.type, PW.Requirement) if str(r).startswith(str(CE))]
    assert len(requirements) >= 30
    keys = [str(g.value(r, PW.recordedAs)) for r in requirements]
    assert len(keys) == len(set(keys)), "recordedAs keys must be unique"
    for r in requirements:
        target = g.value(r, PW.appliesTo)
        assert target is not None and g.value(target, PPLAN.isStepOfPlan) is not None, f"{r} applies to"
        assert g.value(r, PW.modality) is not None and g.value(r, PW.wording) is not None, f"{r} modality"
        assert g.value(r, PW.recordedAs) is not None, f"{r} recordedAs"
        assert g.value(r, PW.source) is not None and g.value(r, PW.quote) is not None, f"{r} citation"
        assert (g.value(r, PW.conditionKey) is None) == (g.value(r, PW.appliesWhen) is None), r
        rs = g.value(r, PW.partOf)
        if rs is not None:
            assert g.value(rs, PW.appliesTo) == target, f"{r} and its set apply to different steps"
            assert g.value(r, PW.order) is not None, f"{r} order"


def test_roles_and_levels(g: Graph) -> None:
    roles = [r for r in g.subjects(RDF.type, PW.Role) if str(r).startswith(str(CE))]
    for r in roles:
        assert g.value(r, PW.authority) == CE.authority
        assert g.value(r, SKOS.definition) is not None and g.value(r, PW.source) is not None, r
    used = {o for p in (PW.performedBy, PW.decidedBy, PW.involves) for o in g.objects(None, p)}
    assert {r for r in used if str(r).startswith(str(CE))} <= set(roles)
    levels = {s: int(g.value(s, PW.rank)) for s in g.subjects(SKOS.inScheme, CE.levels)}
    assert levels[CE["level-universal"]] == min(levels.values())
    assert levels[CE["level-statutory"]] == max(levels.values())
    assert len(levels) == 7
