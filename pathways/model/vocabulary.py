"""The RDF namespaces of the project, named once.

``PW`` is closed: it holds exactly the terms ``ontology/vocabulary.ttl`` defines (a test
compares them term for term), so a misspelt term is an ``AttributeError`` where it is
written instead of a new IRI that silently matches nothing.

>>> PW.Pathway
rdflib.term.URIRef('https://w3id.org/stepupdown/pathways#Pathway')
>>> PW.Pathwya
Traceback (most recent call last):
  ...
AttributeError: term 'Pathwya' not in namespace 'https://w3id.org/stepupdown/pathways#'
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD, DefinedNamespace

__all__ = [
    "CASE",
    "DCTERMS",
    "OWL",
    "PPLAN",
    "PREFIXES",
    "PROV",
    "PW",
    "RDF",
    "RDFS",
    "SH",
    "SHP",
    "SKOS",
    "TIME",
    "XSD",
]


class PW(DefinedNamespace):
    """The Pathways vocabulary (``ontology/vocabulary.ttl``)."""

    _NS = Namespace("https://w3id.org/stepupdown/pathways#")
    _fail = True

    # classes and individuals
    Activity: URIRef  # Step
    Alignment: URIRef  # Alignment
    ApproximateDuration: URIRef  # approximate duration
    Artefact: URIRef  # Artefact
    AssessmentDocument: URIRef  # Assessment
    Authority: URIRef  # Authority
    BestPractice: URIRef  # best practice
    Case: URIRef  # Case
    CheckPoint: URIRef  # check point
    CloseMatch: URIRef  # close
    Correspondence: URIRef  # Correspondence
    DayOfWeekRule: URIRef  # day of the week
    Deadline: URIRef  # deadline
    DecidedBy: URIRef  # Decided by (decision made by a role)
    Decision: URIRef  # Decision
    Direction: URIRef  # Direction
    EndState: URIRef  # End state
    EscalationStep: URIRef  # Escalation step
    Event: URIRef  # Event
    ExactMatch: URIRef  # exact
    Existence: URIRef  # Existence (step required on a route)
    FlowNode: URIRef  # Flow node
    Form: URIRef  # Form
    ImmediateStepUp: URIRef  # Immediate or unplanned step up through a safeguarding contact
    InformationSystem: URIRef  # Information system
    LevelOfNeed: URIRef  # Level of need
    LevelScheme: URIRef  # Level of need scheme
    LookBack: URIRef  # look-back window
    MatchType: URIRef  # Match type
    MinimumDuration: URIRef  # minimum duration
    Modality: URIRef  # Modality
    MonitoringArrangement: URIRef  # Monitoring arrangement
    Must: URIRef  # must
    NoticePeriod: URIRef  # notice period
    Obligation: URIRef  # Obligation
    OpeningHours: URIRef  # Opening hours
    PartialMatch: URIRef  # partial
    Pathway: URIRef  # Pathway
    PathwayKind: URIRef  # Pathway kind
    PerformedBy: URIRef  # Performed by (step done by a role)
    PlannedStepUp: URIRef  # Planned step up from Early Help
    PolicyDocument: URIRef  # Policy document
    PolicyReference: URIRef  # Referenced policy
    Precedence: URIRef  # Precedence (stated order)
    Requirement: URIRef  # Requirement
    RequirementSet: URIRef  # Requirement set
    ReviewInterval: URIRef  # review interval
    Role: URIRef  # Role
    SameDayRule: URIRef  # same day
    Section: URIRef  # Section
    ServiceHours: URIRef  # Service hours
    Should: URIRef  # should
    StepDown: URIRef  # step down
    StepDownAfterAssessment: URIRef  # Step down following a Children and Families Assessment
    StepDownFromCINPlan: URIRef  # Step down from a Child in Need plan
    StepUp: URIRef  # step up
    Timescale: URIRef  # Timescale
    TimescaleKind: URIRef  # Timescale kind
    Tool: URIRef  # Tool
    Transition: URIRef  # Transition
    Trigger: URIRef  # Trigger
    WithinServiceHours: URIRef  # Within service hours (routing by the time of day)

    # properties
    aligns: URIRef  # aligns
    ambiguity: URIRef  # ambiguity
    appliesIfOutcome: URIRef  # applies if outcome
    appliesIfStep: URIRef  # applies if step
    appliesTo: URIRef  # applies to
    appliesWhen: URIRef  # applies when
    appliesWithin: URIRef  # applies within
    auditReading: URIRef  # audit reading
    auditUnit: URIRef  # audit unit
    authority: URIRef  # authority
    byRole: URIRef  # by role
    carriedOut: URIRef  # carried out
    carriesOut: URIRef  # carries out
    caseId: URIRef  # case id
    closesAtMinute: URIRef  # closes at minute
    concern: URIRef  # concern
    concerns: URIRef  # concerns
    condition: URIRef  # condition
    conditionKey: URIRef  # condition key
    date: URIRef  # date
    dayIndex: URIRef  # calendar-day index
    decidedBy: URIRef  # decided by
    direction: URIRef  # direction
    documentStatus: URIRef  # document status
    dueBy: URIRef  # due by
    effectiveFrom: URIRef  # effective from
    escalationStep: URIRef  # escalation step
    event: URIRef  # event
    evidence: URIRef  # evidence
    evidencedOn: URIRef  # evidenced on
    firstOfStep: URIRef  # first of step
    flowchartTitle: URIRef  # flowchart title
    follows: URIRef  # follows
    forum: URIRef  # forum
    fromLevel: URIRef  # from level
    hourIndex: URIRef  # hour index
    inAlignment: URIRef  # in alignment
    involves: URIRef  # involves
    isEscalation: URIRef  # is escalation
    isOptional: URIRef  # is optional
    isoWeekday: URIRef  # ISO weekday
    lastOfStep: URIRef  # last of step
    left: URIRef  # left
    level: URIRef  # level
    levelAfter: URIRef  # level after
    levelBefore: URIRef  # level before
    matchType: URIRef  # match type
    minuteOfDay: URIRef  # minute of day
    modality: URIRef  # modality
    modalityReading: URIRef  # modality reading
    modelAdded: URIRef  # model added
    monitoredBy: URIRef  # monitored by
    monthDayIndex: URIRef  # month-day index
    next: URIRef  # next
    noCounterpart: URIRef  # no counterpart
    onBankHoliday: URIRef  # on bank holiday
    onPathway: URIRef  # on pathway
    openingHours: URIRef  # opening hours
    opensAtMinute: URIRef  # opens at minute
    order: URIRef  # order
    orderDrawn: URIRef  # order drawn
    outOfHoursService: URIRef  # out-of-hours service
    outOfHoursStep: URIRef  # out-of-hours step
    outcome: URIRef  # outcome
    ownerModelAdded: URIRef  # owner model added
    partOf: URIRef  # part of
    pathwayKind: URIRef  # pathway kind
    pathwayKinds: URIRef  # Pathway kinds
    performedBy: URIRef  # performed by
    phrase: URIRef  # phrase
    precedes: URIRef  # precedes
    produces: URIRef  # produces
    quote: URIRef  # quote
    rank: URIRef  # rank
    rationale: URIRef  # rationale
    recordedAs: URIRef  # recorded as
    regulates: URIRef  # regulates
    reportedUnit: URIRef  # reported unit
    restates: URIRef  # restates
    reviewDue: URIRef  # review due
    right: URIRef  # right
    role: URIRef  # role
    runsFrom: URIRef  # runs from
    runsTo: URIRef  # runs to
    sectionNumber: URIRef  # section number
    sequence: URIRef  # sequence
    service: URIRef  # service
    serviceHours: URIRef  # service hours
    severity: URIRef  # severity
    skosMapping: URIRef  # SKOS mapping
    source: URIRef  # source
    sourceFile: URIRef  # source file
    supersedes: URIRef  # supersedes
    target: URIRef  # target
    telephone: URIRef  # telephone
    timescaleKind: URIRef  # timescale kind
    to: URIRef  # to
    toLevel: URIRef  # to level
    unitDayUnspecified: URIRef  # day (kind not stated)
    unitWorkingDay: URIRef  # working day
    unlessOutcome: URIRef  # unless outcome
    unlessStep: URIRef  # unless step
    urgency: URIRef  # urgency
    uses: URIRef  # uses
    wording: URIRef  # wording
    workingDayIndex: URIRef  # working-day index
    yearMonth: URIRef  # year and month


PPLAN = Namespace("http://purl.org/net/p-plan#")
CASE = Namespace("https://w3id.org/stepupdown/case/")
SHP = Namespace("https://w3id.org/stepupdown/shapes#")

PREFIXES = {
    "pw": PW._NS,
    "p-plan": PPLAN,
    "prov": PROV,
    "skos": SKOS,
    "time": TIME,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "xsd": XSD,
    "case": CASE,
}
