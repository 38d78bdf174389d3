"""Knowsley 4.16 Step Up / Step Down Procedure (June 2020): the encoding against the document.

Three groups of checks:

1. a table of facts read from the document, section by section, each of which must be in the
   model and cite that section;
2. every pw:quote of the Knowsley encoding is verbatim text of the source file;
3. the shape of each pathway (one trigger, reachability, labelled branches, complete
   activities, decisions, timescales and requirements).
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, SKOS, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from pathways.model.loading import load_model

PW = Namespace("https://w3id.org/stepupdown/pathways#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
KN = Namespace("https://w3id.org/stepupdown/knowsley/")
TIME = Namespace("http://www.w3.org/2006/time#")
SOURCES = Path(__file__).resolve().parent.parent / "ontology" / "sources"

PATHWAYS = ["step-down-cin", "step-down-assessment", "step-up-planned", "step-up-unplanned"]
MODALITY = {"must": PW.Must, "should": PW.Should, "best practice": PW.BestPractice}
KIND = {
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


@pytest.fixture(scope="module")
def g():
    return load_model()


def node(pathway: str, node_id: str) -> URIRef:
    return KN[f"{pathway}.{node_id}"]


def cites(g, subject, section: str) -> bool:
    """True if ``subject`` cites the Knowsley section numbered ``section``."""
    return any(
        str(number) == section and (sec, DCTERMS.isPartOf, KN.policy) in g
        for sec in g.objects(subject, PW.source)
        for number in g.objects(sec, PW.sectionNumber)
    )


def labelled(g, subject, label: str) -> bool:
    labels = list(g.objects(subject, RDFS.label)) + list(g.objects(subject, SKOS.prefLabel))
    return any(str(value) == label for value in labels)


def with_label(g, cls, label: str) -> list:
    return [s for s in g.subjects(RDF.type, cls) if str(s).startswith(str(KN)) and labelled(g, s, label)]


def roles_labelled(g, subject, prop, label: str) -> bool:
    return any(labelled(g, role, label) for role in g.objects(subject, prop))


def model_added(g, subject) -> bool:
    return g.value(subject, PW.modelAdded) == Literal(True)


def assert_model_added(g, subject) -> None:
    """A node or branch the model added cites nothing of its own and says why it was added."""
    assert g.value(subject, PW.source) is None, f"{subject} is model-added but has a pw:source"
    assert g.value(subject, PW.quote) is None, f"{subject} is model-added but has a pw:quote"
    assert g.value(subject, PW.ambiguity) is not None, f"{subject} is model-added without a pw:ambiguity"


# ------------------------------------------------------------------ 1. facts from the document

SECTION_NUMBERS = ["1", "2", "3", "4", "5", "6", "7"]

FACTS = [
    # ---- scope and introduction
    ("Scope of this chapter", "level", "Level 2", 2, None),
    ("Scope of this chapter", "level", "Level 3", 3, None),
    ("Scope of this chapter", "level", "Children's Social Care", 4, None),
    ("Scope of this chapter", "level", "Child in Need (CIN)", 4, "Children's Social Care"),
    ("Scope of this chapter", "level", "Child Protection (CP)", 4, "Children's Social Care"),
    ("1", "role", "Multi Agency Safeguarding Hub (MASH)"),
    ("1", "artefact", "Multi Agency Safeguarding Hub (MASH) Procedure", PW.PolicyReference),
    ("1", "pathway", "step-up-planned", PW.PlannedStepUp, PW.StepUp, "Level 3", ["Children's Social Care"]),
    (
        "1",
        "pathway",
        "step-up-unplanned",
        PW.ImmediateStepUp,
        PW.StepUp,
        "Level 3",
        ["Children's Social Care"],
    ),
    ("1", "level", "Children's Social Care", 4, None),
    (
        "5",
        "pathway",
        "step-up-unplanned",
        PW.ImmediateStepUp,
        PW.StepUp,
        "Level 3",
        ["Children's Social Care"],
    ),
    # ---- section 2: step down from CIN
    (
        "2",
        "pathway",
        "step-down-cin",
        PW.StepDownFromCINPlan,
        PW.StepDown,
        "Child in Need (CIN)",
        ["Level 2", "Level 3"],
    ),
    ("2", "role", "Social Worker"),
    ("2", "role", "Level 2 practitioner"),
    ("2", "role", "Family First Duty Team"),
    ("2", "role", "Family First Case Manager"),
    ("2", "role", "Lead Practitioner"),
    ("2", "role", "Child in Need (CIN) meeting"),
    ("2", "role", "Early Help service"),
    ("2", "trigger", "step-down-cin", "need-reduced", "Social Worker"),
    ("2", "decision", "step-down-cin", "family-agrees", "Family", "must"),
    ("2", "step", "step-down-cin", "liaise-with-early-help", "Social Worker", "should"),
    ("2", "decision", "step-down-cin", "choose-level", "Child in Need (CIN) meeting", "must"),
    ("2", "step", "step-down-cin", "contact-level-2-service", "Social Worker", "should"),
    ("2", "step", "step-down-cin", "inform-family-first-duty-team-level-2", "Social Worker", "should"),
    ("2", "step", "step-down-cin", "email-family-first-duty-team-level-3", "Social Worker", "should"),
    ("2", "step", "step-down-cin", "family-first-case-manager-attends", "Family First Case Manager", "must"),
    ("2", "step", "step-down-cin", "final-cin-meeting", "Social Worker", "must"),
    ("2", "decision", "step-down-cin", "step-down-agreed", "Child in Need (CIN) meeting", "must"),
    ("2", "escalation", "step-down-cin", "escalate-to-heads-of-service"),
    (
        "2",
        "decision",
        "step-down-cin",
        "heads-of-service-decide",
        "Head of Service for Child in Need and Child Protection",
        "should",
    ),
    ("2", "step", "step-down-cin", "discuss-next-steps", "Social Worker", "should"),
    ("2", "optional step", "step-down-cin", "ensure-family-consent", "Social Worker", "should"),
    ("2", "step", "step-down-cin", "share-documentation", "Social Worker", "must"),
    (
        "2",
        "optional step",
        "step-down-cin",
        "minutes-become-interim-eha",
        "Lead Practitioner",
        "best practice",
    ),
    ("2", "step", "step-down-cin", "complete-early-help-assessment", "Lead Practitioner", "must"),
    ("2", "step", "step-down-cin", "first-taf-review", "Lead Practitioner", "should"),
    ("2", "end", "step-down-cin", "level-2-support", "Level 2"),
    ("2", "end", "step-down-cin", "level-3-support", "Level 3"),
    ("2", "end", "step-down-cin", "remains-cin", "Child in Need (CIN)"),
    (
        "2",
        "timescale",
        "step-down-cin",
        5,
        "working_days",
        "notice",
        "contact-level-2-service",
        "final-cin-meeting",
        "should",
    ),
    (
        "2",
        "timescale",
        "step-down-cin",
        5,
        "days",
        "notice",
        "email-family-first-duty-team-level-3",
        "final-cin-meeting",
        "should",
    ),
    (
        "2",
        "timescale",
        "step-down-cin",
        10,
        "days",
        "deadline",
        "final-cin-meeting",
        "share-documentation",
        "should",
    ),
    (
        "2",
        "timescale",
        "step-down-cin",
        10,
        "working_days",
        "deadline",
        "final-cin-meeting",
        "share-documentation",
        "must",
    ),
    (
        "2",
        "timescale",
        "step-down-cin",
        6,
        "weeks",
        "deadline",
        "final-cin-meeting",
        "first-taf-review",
        "should",
    ),
    ("2", "requirement set", "Contents of the Level 2 step down email to the Family First Duty Team", 5),
    (
        "2",
        "requirement set",
        "Contents of the Level 3 step down email to the Family First 0-18 duty email",
        4,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "inform-family-first-duty-team-level-2",
        "Email includes the date, time and venue of the step down meeting",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "inform-family-first-duty-team-level-2",
        "Email includes what are we worried about",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "inform-family-first-duty-team-level-2",
        "Email includes what is working well",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "inform-family-first-duty-team-level-2",
        "Email includes what needs to happen",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "inform-family-first-duty-team-level-2",
        "Email includes the name and organisation of the new Lead Practitioner",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "email-family-first-duty-team-level-3",
        "Email includes the date, time and venue of the step down meeting",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "email-family-first-duty-team-level-3",
        "Email includes what needs to happen",
        "must",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "discuss-next-steps",
        "Indicators of risk or 'bottom lines' that would lead to step back up identified",
        "should",
        None,
    ),
    (
        "2",
        "requirement",
        "step-down-cin",
        "final-cin-meeting",
        "Final CIN meeting agrees the timescale for the first TAF review meeting",
        "should",
        None,
    ),
    ("2", "artefact", "Minutes of the final CIN meeting", PW.AssessmentDocument),
    ("2", "artefact", "Closing summary", PW.AssessmentDocument),
    ("2", "artefact", "Step down email to the Family First Duty Team", PW.Form),
    ("2", "ambiguity", "t-cin-documentation-10-days"),
    ("2", "ambiguity", "t-cin-documentation-10-working-days"),
    ("2", "ambiguity", "t-cin-level-3-notice"),
    # ---- section 3: step down after a C&F Assessment
    (
        "3",
        "pathway",
        "step-down-assessment",
        PW.StepDownAfterAssessment,
        PW.StepDown,
        "Children's Social Care",
        ["Level 2", "Level 3"],
    ),
    ("3", "role", "CSC Team Manager"),
    ("3", "trigger", "step-down-assessment", "needs-met-below-csc", "Social Worker"),
    ("3", "decision", "step-down-assessment", "choose-level", "Social Worker", "should"),
    ("3", "step", "step-down-assessment", "speak-to-level-2-practitioner", "Social Worker", "should"),
    ("3", "step", "step-down-assessment", "gain-consent-level-2", "Social Worker", "must"),
    ("3", "decision", "step-down-assessment", "level-2-practitioner-agrees", "Level 2 practitioner", "must"),
    ("3", "step", "step-down-assessment", "email-family-first-duty-team-level-2", "Social Worker", "should"),
    ("3", "step", "step-down-assessment", "transfer-to-ehm-level-2", "Social Worker", "must"),
    ("3", "step", "step-down-assessment", "gain-consent-level-3", "Social Worker", "must"),
    ("3", "step", "step-down-assessment", "email-family-first-duty-team-level-3", "Social Worker", "should"),
    ("3", "step", "step-down-assessment", "joint-home-visit", "Family First Case Manager", "must"),
    ("3", "decision", "step-down-assessment", "allocation-agreed", "Family First Case Manager", "must"),
    ("3", "step", "step-down-assessment", "transfer-to-ehm-level-3", "Social Worker", "should"),
    ("3", "end", "step-down-assessment", "level-2-support", "Level 2"),
    ("3", "end", "step-down-assessment", "level-3-support", "Level 3"),
    ("3", "end", "step-down-assessment", "remains-with-csc", "Children's Social Care"),
    (
        "3",
        "timescale",
        "step-down-assessment",
        5,
        "days",
        "notice",
        "email-family-first-duty-team-level-3",
        "joint-home-visit",
        "should",
    ),
    ("3", "requirement set", "Contents of the Level 2 step down email after a C&F Assessment", 4),
    ("3", "requirement set", "Contents of the Level 3 step down email after a C&F Assessment", 4),
    (
        "3",
        "requirement",
        "step-down-assessment",
        "email-family-first-duty-team-level-2",
        "Email includes the name and organisation of the new Lead Practitioner",
        "must",
        None,
    ),
    (
        "3",
        "requirement",
        "step-down-assessment",
        "email-family-first-duty-team-level-3",
        "Email includes the date and time of a joint home visit",
        "should",
        None,
    ),
    (
        "3",
        "requirement",
        "step-down-assessment",
        "email-family-first-duty-team-level-3",
        "Email includes what are we worried about",
        "must",
        None,
    ),
    ("3", "artefact", "ICS", PW.InformationSystem),
    ("3", "artefact", "EHM", PW.InformationSystem),
    ("3", "ambiguity", "step-down-assessment.choose-level"),
    ("3", "ambiguity", "t-assessment-level-3-notice"),
    # ---- section 4: planned step up
    ("4", "pathway", "step-up-planned", PW.PlannedStepUp, PW.StepUp, "Level 3", ["Children's Social Care"]),
    ("4", "role", "Family First Team Manager"),
    ("4", "role", "Multi-agency team"),
    ("4", "role", "MASH Team Manager"),
    ("4", "role", "MASH Assistant Team Manager"),
    ("4", "trigger", "step-up-planned", "needs-increasing", "Lead Practitioner"),
    ("4", "step", "step-up-planned", "discuss-with-team-manager", "Lead Practitioner", "should"),
    ("4", "decision", "step-up-planned", "risk-agreed", "Family First Team Manager", "must"),
    ("4", "step", "step-up-planned", "complete-step-up-form", "Lead Practitioner", "should"),
    ("4", "step", "step-up-planned", "send-step-up-request-to-mash", "Lead Practitioner", "must"),
    ("4", "step", "step-up-planned", "step-up-taf-meeting", "Lead Practitioner", "must"),
    ("4", "decision", "step-up-planned", "step-up-decision", "Social Worker", "must"),
    ("4", "step", "step-up-planned", "transfer-to-ics", "Family First Case Manager", "must"),
    ("4", "step", "step-up-planned", "inform-team-manager", "Social Worker", "must"),
    ("4", "step", "step-up-planned", "provide-documentation", "Lead Practitioner", "must"),
    ("4", "step", "step-up-planned", "cf-assessment", "Social Worker", "must"),
    ("4", "optional step", "step-up-planned", "pre-arranged-taf-meeting", "Lead Practitioner", "should"),
    ("4", "optional step", "step-up-planned", "notify-postponement", "Social Worker", "must"),
    ("4", "decision", "step-up-planned", "assessment-outcome", "Social Worker", "must"),
    ("4", "decision", "step-up-planned", "professionals-concerned", "Multi-agency team", "should"),
    ("4", "escalation", "step-up-planned", "discuss-with-family-first-team-manager"),
    ("4", "decision", "step-up-planned", "escalation-required", "Family First Team Manager", "should"),
    ("4", "escalation", "step-up-planned", "escalate-to-mash-team-manager"),
    ("4", "escalation", "step-up-planned", "other-agency-escalation"),
    ("4", "end", "step-up-planned", "remains-with-csc", "Children's Social Care"),
    ("4", "end", "step-up-planned", "taf-continues", "Level 3"),
    ("4", "end", "step-up-planned", "remains-at-level-3", "Level 3"),
    (
        "4",
        "timescale",
        "step-up-planned",
        5,
        "working_days",
        "notice",
        "send-step-up-request-to-mash",
        "step-up-taf-meeting",
        "should",
    ),
    (
        "4",
        "weekday",
        "step-up-planned",
        TIME.Wednesday,
        "send-step-up-request-to-mash",
        "step-up-taf-meeting",
        "should",
    ),
    (
        "4",
        "timescale",
        "step-up-planned",
        20,
        "days",
        "check_point",  # "this 20 day check point": meetings on either side are allowed
        "step-up-decision",
        "pre-arranged-taf-meeting",
        "should",
    ),
    ("4", "requirement set", "Contents of the step up form (MASH Step Up Request)", 13),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Chronology of involvement completed in concise bullet points",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Chronology states why and when the case came to you",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Chronology states what you have done",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Chronology states what you are worried about",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Chronology includes a risk analysis",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Use of the Engaging Families toolkit referenced, and what it tells you",
        "must",
        "non-engagement",
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Clear evidence of what has been done to try to engage the family",
        "must",
        "non-engagement",
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Graded Care Profile reflected in the step up form",
        "must",
        "neglect",
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Risk analysis focuses on the risks and impact on the child, not the needs of the parent",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Recommendations from DMM or a step down meeting referenced",
        "should",
        "previous-recommendations",
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Voice of the child shown, and how it was gained",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Expectations or hopes of CSC involvement summarised",
        "best practice",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "complete-step-up-form",
        "Evidence of management oversight: Team Manager has discussed and agreed the step up",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "send-step-up-request-to-mash",
        "Step up form sent to the Knowsley MASH email address, not to a MASH worker's own address",
        "must",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "step-up-decision",
        "Outcome and rationale recorded in the minutes/notes of the step up TAF meeting",
        "should",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "step-up-decision",
        "Outcome and rationale recorded as a case note in both EHM and ICS",
        "should",
        None,
    ),
    (
        "4",
        "requirement",
        "step-up-planned",
        "pre-arranged-taf-meeting",
        "Social worker undertaking the C&F Assessment attends a TAF meeting held within the first 20 days",
        "must",
        None,
    ),
    ("4", "artefact", "MASH Step Up Request", PW.Form),
    ("4", "artefact", "Chronology of involvement", PW.AssessmentDocument),
    ("4", "artefact", "Graded Care Profile", PW.Tool),
    ("4", "artefact", "Engaging Families toolkit", PW.Tool),
    ("4", "artefact", "Case summary", PW.AssessmentDocument),
    ("4", "artefact", "Knowsley threshold document", PW.PolicyReference),
    ("4", "artefact", "Knowsley Safeguarding Partnership Multi Agency Escalation Policy", PW.PolicyReference),
    ("4", "ambiguity", "t-step-up-20-day-check-point"),
    # ---- section 5: unplanned step up
    ("5", "trigger", "step-up-unplanned", "mash-contact", "Multi Agency Safeguarding Hub (MASH)"),
    (
        "5",
        "decision",
        "step-up-unplanned",
        "csc-involvement-warranted",
        "Multi Agency Safeguarding Hub (MASH)",
        "must",
    ),
    (
        "5",
        "step",
        "step-up-unplanned",
        "link-to-early-help-episode",
        "Multi Agency Safeguarding Hub (MASH)",
        "must",
    ),
    ("5", "optional step", "step-up-unplanned", "review-meeting", "Lead Practitioner", "should"),
    ("5", "step", "step-up-unplanned", "cf-assessment-commences", "Social Worker", "must"),
    ("5", "step", "step-up-unplanned", "contact-lead-practitioner", "Social Worker", "should"),
    (
        "5",
        "step",
        "step-up-unplanned",
        "family-first-intervention-continues",
        "Family First Case Manager",
        "must",
    ),
    ("5", "decision", "step-up-unplanned", "assessment-outcome", "Social Worker", "must"),
    ("5", "end", "step-up-unplanned", "remains-with-csc", "Children's Social Care"),
    ("5", "end", "step-up-unplanned", "remains-with-early-help", "Level 3"),
    # ---- section 6: performance
    (
        "6",
        "timescale",
        "step-down-cin",
        1,
        "weeks",
        "review",
        "liaise-with-early-help",
        "liaise-with-early-help",
        "must",
    ),
    (
        "6",
        "timescale",
        "step-down-assessment",
        1,
        "weeks",
        "review",
        "email-family-first-duty-team-level-2",
        "email-family-first-duty-team-level-2",
        "must",
    ),
    (
        "6",
        "timescale",
        "step-down-assessment",
        1,
        "weeks",
        "review",
        "email-family-first-duty-team-level-3",
        "email-family-first-duty-team-level-3",
        "must",
    ),
    (
        "6",
        "monitoring",
        "Number of step downs monitored at the weekly transfer meeting",
        None,
        [],
        ["step-down-cin", "step-down-assessment"],
    ),
    (
        "6",
        "monitoring",
        "Number of step ups monitored by Family First 0-18",
        "Family First 0-18 Service",
        [],
        ["step-up-planned", "step-up-unplanned"],
    ),
    ("6", "role", "Family First 0-18 Service"),
    # ---- section 7: adherence
    ("7", "role", "Team Manager of the Family First Duty Team"),
    ("7", "role", "Family First MASH Manager"),
    ("7", "role", "Head of Service for Child in Need and Child Protection"),
    ("7", "role", "Head of Service of Early Help and Prevention"),
    (
        "7",
        "monitoring",
        "Adherence to the step-down process",
        "Team Manager of the Family First Duty Team",
        [
            "Social Worker",
            "CSC Team Manager",
            "Head of Service of Early Help and Prevention",
            "Head of Service for Child in Need and Child Protection",
        ],
        ["step-down-cin", "step-down-assessment"],
    ),
    (
        "7",
        "monitoring",
        "Adherence to the step-up process",
        "MASH Team Manager",
        [
            "Family First MASH Manager",
            "Head of Service for Child in Need and Child Protection",
            "Head of Service of Early Help and Prevention",
        ],
        ["step-up-planned", "step-up-unplanned"],
    ),
]


def _fact_id(fact) -> str:
    section, kind, *rest = fact
    return f"{section}-{kind}-" + "-".join(str(r).rsplit("#", 1)[-1] for r in rest[:3])


def check_level(g, section, label, rank, broader):
    [level] = with_label(g, PW.LevelOfNeed, label)
    assert (level, SKOS.inScheme, KN.levels) in g
    assert g.value(level, PW.rank).toPython() == rank
    assert g.value(level, SKOS.definition) is not None
    if broader:
        assert any(labelled(g, b, broader) for b in g.objects(level, SKOS.broader))
    return level


def check_role(g, section, label):
    [role] = with_label(g, PW.Role, label)
    assert (role, PW.authority, KN.authority) in g
    assert g.value(role, SKOS.definition) is not None
    return role


def check_artefact(g, section, label, cls):
    [artefact] = with_label(g, cls, label)
    assert g.value(artefact, SKOS.definition) is not None
    return artefact


def check_pathway(g, section, pathway_id, kind, direction, from_level, to_levels):
    pathway = KN[pathway_id]
    assert (pathway, RDF.type, PW.Pathway) in g
    assert str(g.value(pathway, DCTERMS.identifier)) == pathway_id
    assert (pathway, PW.pathwayKind, kind) in g
    assert (pathway, PW.direction, direction) in g
    assert (pathway, PW.authority, KN.authority) in g
    assert any(labelled(g, lvl, from_level) for lvl in g.objects(pathway, PW.fromLevel))
    targets = list(g.objects(pathway, PW.toLevel))
    for to_level in to_levels:
        assert any(labelled(g, lvl, to_level) for lvl in targets), to_level
    return pathway


def _flow_node(g, pathway, node_id, cls):
    subject = node(pathway, node_id)
    assert (subject, RDF.type, cls) in g, f"{subject} is not a {cls}"
    assert (subject, PPLAN.isStepOfPlan, KN[pathway]) in g
    return subject


def check_trigger(g, section, pathway, node_id, role):
    subject = _flow_node(g, pathway, node_id, PW.Trigger)
    assert roles_labelled(g, subject, PW.performedBy, role)
    return subject


def check_step(g, section, pathway, node_id, role, modality, optional=False):
    subject = _flow_node(g, pathway, node_id, PW.Activity)
    assert roles_labelled(g, subject, PW.performedBy, role)
    assert (subject, PW.modality, MODALITY[modality]) in g
    if optional:
        assert (subject, PW.isOptional, Literal(True)) in g
    return subject


def check_decision(g, section, pathway, node_id, role, modality):
    subject = _flow_node(g, pathway, node_id, PW.Decision)
    assert roles_labelled(g, subject, PW.decidedBy, role)
    assert (subject, PW.modality, MODALITY[modality]) in g
    return subject


def check_escalation(g, section, pathway, node_id):
    subject = node(pathway, node_id)
    assert (subject, PPLAN.isStepOfPlan, KN[pathway]) in g
    assert (subject, PW.isEscalation, Literal(True)) in g
    return subject


def check_end(g, section, pathway, node_id, level):
    subject = _flow_node(g, pathway, node_id, PW.EndState)
    assert labelled(g, g.value(subject, PW.level), level)
    return subject


def check_timescale(g, section, pathway, amount, unit, kind, from_id, to_id, modality):
    found = [
        t
        for t in g.subjects(PW.onPathway, KN[pathway])
        if (t, RDF.type, PW.Timescale) in g
        and g.value(t, TIME.numericDuration) is not None
        and g.value(t, TIME.numericDuration).toPython() == amount
        and str(g.value(g.value(t, TIME.unitType), PW.reportedUnit)) == unit
        and (t, PW.timescaleKind, KIND[kind]) in g
        and (t, PW.runsFrom, node(pathway, from_id)) in g
        and (t, PW.runsTo, node(pathway, to_id)) in g
        and (t, PW.modality, MODALITY[modality]) in g
        and cites(g, t, section)
    ]
    assert len(found) == 1, f"expected one {amount} {unit} {kind} timescale on {pathway}, found {found}"
    if unit == "days":
        assert g.value(found[0], PW.auditUnit) is not None
        assert g.value(found[0], PW.ambiguity) is not None
    return found[0]


def check_weekday(g, section, pathway, day, from_id, to_id, modality):
    found = [
        t
        for t in g.subjects(PW.onPathway, KN[pathway])
        if (t, PW.timescaleKind, PW.DayOfWeekRule) in g
        and (t, TIME.dayOfWeek, day) in g
        and (t, PW.runsFrom, node(pathway, from_id)) in g
        and (t, PW.runsTo, node(pathway, to_id)) in g
        and (t, PW.modality, MODALITY[modality]) in g
    ]
    assert len(found) == 1
    return found[0]


def check_requirement(g, section, pathway, node_id, label, modality, condition_key):
    found = [
        r
        for r in with_label(g, PW.Requirement, label)
        if (r, PW.appliesTo, node(pathway, node_id)) in g and cites(g, r, section)
    ]
    assert len(found) == 1, f"expected one requirement {label!r} on {node_id}, found {found}"
    req = found[0]
    assert (req, PW.modality, MODALITY[modality]) in g
    assert g.value(req, PW.recordedAs) is not None
    if condition_key is None:
        assert g.value(req, PW.conditionKey) is None
    else:
        assert str(g.value(req, PW.conditionKey)) == condition_key
        assert g.value(req, PW.appliesWhen) is not None
    return req


def check_requirement_set(g, section, label, size):
    [req_set] = with_label(g, PW.RequirementSet, label)
    members = list(g.subjects(PW.partOf, req_set))
    assert len(members) == size
    orders = sorted(g.value(m, PW.order).toPython() for m in members)
    assert orders == list(range(1, size + 1))
    target = g.value(req_set, PW.appliesTo)
    assert all((m, PW.appliesTo, target) in g for m in members)
    return req_set


def check_monitoring(g, section, label, monitor, escalation, pathways):
    [arrangement] = with_label(g, PW.MonitoringArrangement, label)
    if monitor is not None:
        assert roles_labelled(g, arrangement, PW.monitoredBy, monitor)
    if escalation:
        head = g.value(arrangement, PW.escalatesTo)
        chain = list(g.items(head))
        assert [str(g.value(r, RDFS.label)) for r in chain] == escalation
    for pathway in pathways:
        assert (arrangement, PW.onPathway, KN[pathway]) in g
    return arrangement


def check_ambiguity(g, section, local_name):
    subject = KN[local_name]
    assert g.value(subject, PW.ambiguity) is not None
    return subject


CHECKS = {
    "level": check_level,
    "role": check_role,
    "artefact": check_artefact,
    "pathway": check_pathway,
    "trigger": check_trigger,
    "step": check_step,
    "optional step": lambda g, section, *args: check_step(g, section, *args, optional=True),
    "decision": check_decision,
    "escalation": check_escalation,
    "end": check_end,
    "timescale": check_timescale,
    "weekday": check_weekday,
    "requirement": check_requirement,
    "requirement set": check_requirement_set,
    "monitoring": check_monitoring,
    "ambiguity": check_ambiguity,
}


@pytest.mark.parametrize("fact", FACTS, ids=_fact_id)
def test_fact_from_document(g, fact):
    section, kind, *args = fact
    subject = CHECKS[kind](g, section, *args)
    if model_added(g, subject):
        assert_model_added(g, subject)
    else:
        assert cites(g, subject, section), f"{subject} does not cite section {section}"


@pytest.mark.parametrize("number", SECTION_NUMBERS)
def test_sections(g, number):
    """Each numbered section is one pw:Section titled with the document's heading (whitespace aside)."""
    sections = [s for s in g.subjects(PW.sectionNumber, Literal(number)) if (s, DCTERMS.isPartOf, KN.policy) in g]
    assert len(sections) == 1
    title = str(g.value(sections[0], DCTERMS.title))
    headings = (SOURCES / str(g.value(KN.policy, PW.sourceFile))).read_text(encoding="utf-8").splitlines()
    assert normalise(f"{number}. {title}") in {normalise(line) for line in headings}


def test_every_numbered_section_is_cited(g):
    cited = {str(g.value(sec, PW.sectionNumber)) for sec in g.objects(None, PW.source) if str(sec).startswith(str(KN))}
    assert set(SECTION_NUMBERS) <= cited


def test_authority_and_document(g):
    assert str(g.value(KN.authority, DCTERMS.identifier)) == "knowsley"
    assert (KN.policy, RDF.type, PW.PolicyDocument) in g
    assert (KN.policy, PW.authority, KN.authority) in g
    assert str(g.value(KN.policy, DCTERMS.issued)) == "2020-06"
    assert (SOURCES / str(g.value(KN.policy, PW.sourceFile))).is_file()


def test_pathway_order(g):
    orders = {str(g.value(KN[p], PW.order)) for p in PATHWAYS}
    assert orders == {"1", "2", "3", "4"}
    titles = [str(g.value(KN[p], PW.flowchartTitle)) for p in PATHWAYS]
    assert all(t.startswith("Knowsley 4.16 §") for t in titles)


# ------------------------------------------------------------------ 2. quotes are verbatim


def normalise(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def knowsley_quotes(g):
    rows = g.query(
        """
        SELECT DISTINCT ?s ?q WHERE {
          { ?s pw:quote ?q FILTER(STRSTARTS(STR(?s), STR(kn:))) }
          UNION
          { ?n pw:next ?s . ?s pw:quote ?q FILTER(STRSTARTS(STR(?n), STR(kn:))) }
        }
        """,
        initNs={"pw": PW, "kn": KN},
    )
    return [(row.s, str(row.q)) for row in rows]


def test_quotes_are_verbatim(g):
    source = normalise((SOURCES / str(g.value(KN.policy, PW.sourceFile))).read_text(encoding="utf-8"))
    quotes = knowsley_quotes(g)
    assert len(quotes) > 100
    missing = [(str(s), q) for s, q in quotes if normalise(q) not in source]
    assert not missing, missing


# ------------------------------------------------------------------ 3. pathway shape


def flow_graph(g, pathway: str) -> nx.DiGraph:
    graph = nx.DiGraph()
    for n in g.subjects(PPLAN.isStepOfPlan, KN[pathway]):
        graph.add_node(n)
        for transition in g.objects(n, PW.next):
            target = g.value(transition, PW.to)
            assert (target, PPLAN.isStepOfPlan, KN[pathway]) in g, f"{n} -> {target} leaves {pathway}"
            graph.add_edge(n, target)
    return graph


def typed(g, pathway: str, cls) -> list:
    return [n for n in g.subjects(PPLAN.isStepOfPlan, KN[pathway]) if (n, RDF.type, cls) in g]


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_pathway_reachability(g, pathway):
    graph = flow_graph(g, pathway)
    [trigger] = typed(g, pathway, PW.Trigger)
    ends = set(typed(g, pathway, PW.EndState))
    assert len(ends) >= 2
    assert set(nx.descendants(graph, trigger)) | {trigger} == set(graph.nodes)
    for n in graph.nodes:
        assert n in ends or nx.descendants(graph, n) & ends, f"{n} reaches no end state"
    for end in ends:
        assert graph.out_degree(end) == 0
    assert nx.is_directed_acyclic_graph(graph), "the document describes no loop"


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_node_ids_and_types(g, pathway):
    prefix = f"{KN}{pathway}."
    for n in g.subjects(PPLAN.isStepOfPlan, KN[pathway]):
        assert str(n).startswith(prefix)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(n)[len(prefix) :])
        kinds = [c for c in (PW.Trigger, PW.Activity, PW.Decision, PW.EndState) if (n, RDF.type, c) in g]
        assert len(kinds) == 1, n
        assert g.value(n, RDFS.label).language == "en"
        assert g.value(n, SKOS.definition) is not None
        if model_added(g, n):
            assert_model_added(g, n)
        else:
            assert g.value(n, PW.source) is not None and g.value(n, PW.quote) is not None, n


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_decisions_have_labelled_branches(g, pathway):
    for decision in typed(g, pathway, PW.Decision):
        branches = list(g.objects(decision, PW.next))
        assert len(branches) >= 2, decision
        for branch in branches:
            assert g.value(branch, PW.condition) is not None, decision
            if model_added(g, branch):
                assert_model_added(g, branch)
            else:
                assert g.value(branch, PW.source) is not None, decision


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_model_choices_say_why(g, pathway):
    """A node whose owner the model chose, and a node or branch the model added, carry a pw:ambiguity."""
    for n in g.subjects(PPLAN.isStepOfPlan, KN[pathway]):
        if g.value(n, PW.ownerModelAdded) == Literal(True):
            assert g.value(n, PW.ambiguity) is not None, f"{n}: owner chosen by the model, no pw:ambiguity"
        if model_added(g, n):
            assert g.value(n, PW.ambiguity) is not None, f"{n}: added by the model, no pw:ambiguity"
        for transition in g.objects(n, PW.next):
            if model_added(g, transition):
                assert g.value(transition, PW.ambiguity) is not None, f"branch from {n}: added by the model"


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_activities_and_decisions_complete(g, pathway):
    for cls, role_prop in (
        (PW.Activity, PW.performedBy),
        (PW.Decision, PW.decidedBy),
        (PW.Trigger, PW.performedBy),
    ):
        for n in typed(g, pathway, cls):
            assert g.value(n, role_prop) is not None, f"{n} has no role"
            assert all((r, RDF.type, PW.Role) in g for r in g.objects(n, role_prop))
            if cls != PW.Trigger:
                assert g.value(n, PW.modality) in MODALITY.values(), n
                assert g.value(n, PW.wording) is not None, n
    for end in typed(g, pathway, PW.EndState):
        assert (g.value(end, PW.level), RDF.type, PW.LevelOfNeed) in g


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_timescales_complete(g, pathway):
    timescales = [t for t in g.subjects(PW.onPathway, KN[pathway]) if (t, RDF.type, PW.Timescale) in g]
    steps = set(g.subjects(PPLAN.isStepOfPlan, KN[pathway]))
    for t in timescales:
        kind = g.value(t, PW.timescaleKind)
        assert kind in KIND.values(), t
        if kind == PW.DayOfWeekRule:
            assert g.value(t, TIME.dayOfWeek) is not None, t
        else:
            assert g.value(t, TIME.numericDuration) is not None, t
        assert g.value(t, TIME.unitType) is not None, t
        assert g.value(t, PW.runsFrom) in steps and g.value(t, PW.runsTo) in steps, t
        assert g.value(t, PW.modality) in MODALITY.values(), t
        assert g.value(t, PW.wording) is not None, t
        assert g.value(t, PW.source) is not None and g.value(t, PW.quote) is not None, t
        if g.value(t, TIME.unitType) == PW.unitDayUnspecified:
            assert g.value(t, PW.auditUnit) is not None and g.value(t, PW.ambiguity) is not None, t


def test_exactly_one_trigger_per_pathway(g):
    for pathway in PATHWAYS:
        assert len(typed(g, pathway, PW.Trigger)) == 1, pathway


def test_requirements_complete(g):
    requirements = [r for r in g.subjects(RDF.type, PW.Requirement) if str(r).startswith(str(KN))]
    assert len(requirements) >= 30
    for r in requirements:
        assert (g.value(r, PW.appliesTo), PPLAN.isStepOfPlan, None) in g, r
        assert g.value(r, PW.modality) in MODALITY.values(), r
        assert g.value(r, PW.wording) is not None, r
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(g.value(r, PW.recordedAs))), r
        assert g.value(r, PW.source) is not None and g.value(r, PW.quote) is not None, r
        assert (g.value(r, PW.conditionKey) is None) == (g.value(r, PW.appliesWhen) is None), r
    for req_set in g.subjects(RDF.type, PW.RequirementSet):
        if str(req_set).startswith(str(KN)):
            assert g.value(req_set, PW.onPathway) in {KN[p] for p in PATHWAYS}
            assert g.value(req_set, PW.source) is not None and g.value(req_set, PW.quote) is not None


def fold(value: str) -> str:
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


def test_role_names_are_unambiguous(g):
    """Case records name roles by id, label or altLabel: no name may point at two roles."""
    owners: dict[str, set] = {}
    for role in g.subjects(PW.authority, KN.authority):
        if (role, RDF.type, PW.Role) not in g:
            continue
        local = str(role).rsplit("/", 1)[-1]
        names = [local, local.removeprefix("role-"), str(g.value(role, RDFS.label))]
        for name in names + [str(a) for a in g.objects(role, SKOS.altLabel)]:
            owners.setdefault(fold(name), set()).add(role)
    assert not {name: roles for name, roles in owners.items() if len(roles) > 1}


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_step_names_are_unambiguous(g, pathway):
    """Case records name steps by node id, label or altLabel: no name may point at two nodes."""
    owners: dict[str, set] = {}
    prefix = f"{KN}{pathway}."
    for n in g.subjects(PPLAN.isStepOfPlan, KN[pathway]):
        names = [str(n)[len(prefix) :], str(g.value(n, RDFS.label))]
        for name in names + [str(a) for a in g.objects(n, SKOS.altLabel)]:
            owners.setdefault(fold(name), set()).add(n)
    assert not {name: nodes for name, nodes in owners.items() if len(nodes) > 1}
