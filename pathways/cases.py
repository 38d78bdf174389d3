"""Case records: what happened to one family on one pathway, event by event.

Case records arrive as CSV event logs (process-mining shape: ``case_id, authority,
pathway, activity, timestamp, role``, XES names accepted as aliases) or as Turtle /
JSON-LD in the project's vocabulary. Each is resolved against the policy model (the
activity to a flow node, the role to a role of the authority) and becomes a
:class:`CaseRecord`; any row that cannot be resolved rejects its case with one line
naming the file, row and problem. Nothing is dropped silently: a batch reports the
cases it read and the cases it rejected.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from . import calendar
from .bulk import collector_paused
from .catalogue import authorities, label, node_id, pathways
from .errors import InputError
from .model import load_model
from .vocab import DCTERMS, PPLAN, PROV, PW, RDF, SKOS

# rdflib logs the lexical form of any literal it cannot convert, with a traceback: in a
# case file that is case data, so it is kept out of every log.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL + 1)

REQUIRED_COLUMNS = ("case_id", "authority", "pathway", "activity", "timestamp", "role")
COLUMN_ALIASES = {
    "case:concept:name": "case_id",
    "case": "case_id",
    "concept:name": "activity",
    "time:timestamp": "timestamp",
    "org:role": "role",
    "org:resource": "role",
    "case:authority": "authority",
    "case:pathway": "pathway",
}
CASE_COLUMNS = ("concerns", "level_before", "level_after")
MAX_FILE_BYTES = 200 * 1024 * 1024
csv.field_size_limit(MAX_FILE_BYTES)  # a long field is a row problem, not a csv.Error traceback


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
        raise InputError(f"no case {case_id!r} in the input (cases: {known}{'...' if len(self.cases) > 10 else ''})")


class _Resolver:
    """Looks up authorities, pathways, steps and roles by id or label, case-insensitively."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.authorities = {a.id: a for a in authorities(graph)}
        self.pathways = {(p.authority.id, p.id): p for p in pathways(graph)}
        self._steps: dict[tuple[str, str], dict[str, URIRef]] = {}
        self._roles: dict[str, dict[str, URIRef]] = {}
        self.in_force = {a.id: _issued(graph, a.document_iri) for a in self.authorities.values()}
        self.vocabulary = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(PW))}
        self._labels: dict[URIRef, str] = {}
        self._node_ids: dict[tuple[URIRef, URIRef], str] = {}

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
                    names.setdefault(_fold(name), node)
            self._steps[key] = names
        return self._steps[key]

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
                    names.setdefault(_fold(name), role)
            self._roles[authority_id] = names
        return self._roles[authority_id]


@lru_cache(maxsize=4096)
def _fold(value: str) -> str:
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


@lru_cache(maxsize=2)
def _resolver(graph_id: int) -> _Resolver:
    return _Resolver(load_model())


def resolver(graph: Graph | None = None) -> _Resolver:
    return _resolver(0) if graph is None else _Resolver(graph)


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_timestamp(value: str) -> datetime | date:
    """An ISO 8601 date or date-time, or a UK dd/mm/yyyy date (with an optional hh:mm)."""
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    uk = _UK_DATE.match(text)
    if uk:
        day, month, year, hour, minute, second = uk.groups()
        if hour is None:
            return date(int(year), int(month), int(day))
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    if _DATE_ONLY.match(text):
        return date.fromisoformat(text)
    if len(text) >= 11 and text[4] == "-" and text[10] in "T ":
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    raise ValueError(f"not an ISO 8601 date or date-time: {text[:40]!r}")


def _issued(graph: Graph, document: URIRef | None) -> date | None:
    """The first day of the month a policy document was issued (dcterms:issued)."""
    value = str(graph.value(document, DCTERMS.issued) or "") if document is not None else ""
    match = re.match(r"^(\d{4})-(\d{2})", value)
    return date(int(match[1]), int(match[2]), 1) if match else None


def _check_date(moment: datetime | date, today: date) -> None:
    day = moment.date() if isinstance(moment, datetime) else moment
    if not calendar.FIRST_YEAR <= day.year <= calendar.LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside {calendar.FIRST_YEAR}-{calendar.LAST_YEAR}")
    if day > today:
        raise ValueError(f"{day.isoformat()} is in the future")


@dataclass(slots=True)
class _RawEvent:
    row: int | None
    activity: str
    timestamp: str
    role: str
    evidence: tuple[str, ...]


@dataclass(slots=True)
class _RawCase:
    case_id: str
    where: str
    authority: str = ""
    pathway: str = ""
    concerns: set[str] = field(default_factory=set)
    level_before: str = ""
    level_after: str = ""
    events: list[_RawEvent] = field(default_factory=list)


def _split(value: str) -> tuple[str, ...]:
    if ";" not in value and "|" not in value:
        value = value.strip()
        return (value,) if value else ()
    return tuple(part.strip() for part in re.split(r"[;|]", value) if part.strip())


def _resolve(raw: _RawCase, lookup: _Resolver) -> CaseRecord:
    """Resolve a raw case against the model; a ValueError names the row and what is wrong."""
    where = raw.where
    first_row = raw.events[0].row if raw.events else None
    at_first = f"{where}, row {first_row}" if first_row is not None else where
    if raw.authority not in lookup.authorities:
        raise ValueError(
            f"{at_first}: unknown authority {raw.authority!r} (known: {', '.join(sorted(lookup.authorities))})"
        )
    key = (raw.authority, raw.pathway)
    if key not in lookup.pathways:
        known = sorted(p for a, p in lookup.pathways if a == raw.authority)
        raise ValueError(f"{at_first}: unknown pathway {raw.pathway!r} for {raw.authority} (known: {', '.join(known)})")
    if not raw.events:
        raise ValueError(f"{where}: case {raw.case_id!r} has no events")
    plan = lookup.pathways[key]
    steps, roles = lookup.steps(*key), lookup.roles(raw.authority)
    events: list[tuple[datetime, int, URIRef, datetime | date, URIRef, _RawEvent]] = []
    zones: set[bool] = set()
    seen: set[tuple[URIRef, str, URIRef]] = set()
    today = date.today()
    for index, raw_event in enumerate(raw.events):
        at = f"{where}, row {raw_event.row}" if raw_event.row is not None else f"{where}, event {index + 1}"
        node = steps.get(_fold(raw_event.activity))
        if node is None:
            raise ValueError(
                f"{at}: activity {raw_event.activity[:60]!r} is not a step of {raw.authority}/{raw.pathway}"
            )
        role = roles.get(_fold(raw_event.role))
        if role is None:
            raise ValueError(f"{at}: role {raw_event.role[:60]!r} is not a role of {raw.authority}")
        try:
            when = parse_timestamp(raw_event.timestamp)
            _check_date(when, today)
        except ValueError as exc:
            raise ValueError(f"{at}: timestamp {raw_event.timestamp[:40]!r}: {exc}") from None
        in_force = lookup.in_force.get(raw.authority)
        if in_force is not None and (when.date() if isinstance(when, datetime) else when) < in_force:
            raise ValueError(
                f"{at}: timestamp {raw_event.timestamp[:40]!r} is before the {raw.authority} policy was issued "
                f"({in_force:%B %Y}); this model encodes that policy only"
            )
        if isinstance(when, datetime):
            zones.add(when.tzinfo is not None)
            if len(zones) > 1:
                raise ValueError(f"{at}: timestamps with and without a time zone are mixed in case {raw.case_id!r}")
            when = calendar.uk_local(when).replace(tzinfo=None) if when.tzinfo else when
        identity = (node, raw_event.timestamp.strip(), role)
        if identity in seen:
            raise ValueError(f"{at}: duplicate event (same activity, timestamp and role) in case {raw.case_id!r}")
        seen.add(identity)
        events.append((_sort_key(when), index, node, when, role, raw_event))
    events.sort(key=lambda item: (item[0], item[1]))
    ordered = [
        Event(
            sequence,
            lookup.node_id(plan.iri, node),
            node,
            when,
            lookup.label(role),
            role,
            raw_event.evidence,
            raw_event.row,
        )
        for sequence, (_, _, node, when, role, raw_event) in enumerate(events, start=1)
    ]
    return CaseRecord(
        raw.case_id,
        raw.authority,
        raw.pathway,
        plan.iri,
        ordered,
        {_fold(c).replace(" ", "-") for c in raw.concerns},
        raw.level_before,
        raw.level_after,
        where.split(",")[0],
    )


def _sort_key(when: datetime | date) -> datetime:
    return when if isinstance(when, datetime) else datetime.combine(when, datetime.min.time())


def _decode(data: bytes, source: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{source}: file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None


def read_csv(text: str, source: str, lookup: _Resolver | None = None) -> CaseBatch:
    """Read a CSV event log; file-level problems raise InputError, row problems reject a case."""
    lookup = lookup or resolver()
    if not text.strip():
        raise InputError(f"{source}: empty file")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    columns = [COLUMN_ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in header]
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        raise InputError(f"{source}: duplicate column(s) {', '.join(duplicated)} in the header")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        hint = " (is the file comma-separated?)" if len(columns) == 1 and len(header[0]) > 20 else ""
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)}{hint}; required: {', '.join(REQUIRED_COLUMNS)}"
        )
    position = {c: i for i, c in enumerate(columns)}
    raws: dict[str, _RawCase] = {}
    broken: dict[str, str] = {}
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            case_id = values[position["case_id"]].strip() if len(values) > position["case_id"] else ""
            broken.setdefault(case_id, f"{source}, row {line_number}: {len(values)} fields, header has {len(columns)}")
            continue
        row = dict(zip(columns, map(str.strip, values), strict=True))
        case_id = row["case_id"]
        if not case_id:
            broken.setdefault("", f"{source}, row {line_number}: empty case_id")
            continue
        raw = raws.get(case_id)
        if raw is None:
            raw = raws[case_id] = _RawCase(case_id, f"{source}, case {case_id}")
        try:
            _merge_case_fields(raw, row, line_number)
        except ValueError as exc:
            broken.setdefault(case_id, f"{source}, row {line_number}: {exc}")
            continue
        raw.events.append(
            _RawEvent(line_number, row["activity"], row["timestamp"], row["role"], _split(row.get("evidence", "")))
        )
    return _finish(raws, broken, source, lookup)


def _merge_case_fields(raw: _RawCase, row: dict[str, str], line_number: int) -> None:
    for name in ("authority", "pathway", "level_before", "level_after"):
        value = row.get(name, "")
        if name == "authority":
            value = value.casefold()
        current = getattr(raw, name)
        if value and current and value != current:
            raise ValueError(f"case {raw.case_id!r} has {name} {value!r} here but {current!r} earlier")
        if value:
            setattr(raw, name, value)
    raw.concerns.update(_split(row.get("concerns", "")))


def _finish(raws: dict[str, _RawCase], broken: dict[str, str], source: str, lookup: _Resolver) -> CaseBatch:
    batch = CaseBatch()
    for case_id, message in broken.items():
        batch.rejected.append(Rejection(source, case_id, message))
    for case_id, raw in raws.items():
        if case_id in broken:
            continue
        try:
            batch.cases.append(_resolve(raw, lookup))
        except ValueError as exc:
            batch.rejected.append(Rejection(source, case_id, str(exc)))
    if not batch.cases and not batch.rejected:
        raise InputError(f"{source}: no events in the file")
    return batch


# ---------------------------------------------------------------------------- RDF input


def read_rdf(text: str, source: str, fmt: str, lookup: _Resolver | None = None) -> CaseBatch:
    """Read Turtle or JSON-LD case records in the project's vocabulary (no remote contexts)."""
    lookup = lookup or resolver()
    if fmt == "json-ld":
        _refuse_remote_contexts(text, source)
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=f"urn:pathways:upload:{Path(source).name}")
    except Exception as exc:  # rdflib raises many parser-specific types
        detail = " ".join(str(exc).split())[:200]
        raise InputError(f"{source}: not valid {'Turtle' if fmt == 'turtle' else 'JSON-LD'}: {detail}") from None
    if any(True for _ in graph.triples((None, URIRef("http://www.w3.org/2002/07/owl#imports"), None))):
        raise InputError(f"{source}: owl:imports is not followed; put everything in the file")
    for triple in graph:
        unknown = next(
            (
                t
                for t in (triple[1], triple[2])
                if isinstance(t, URIRef) and t.startswith(str(PW)) and t not in lookup.vocabulary
            ),
            None,
        )
        if unknown is not None:
            raise InputError(
                f"{source}: unknown term {unknown.n3(graph.namespace_manager)} in the triple "
                f"{' '.join(t.n3(graph.namespace_manager) for t in triple)[:200]}"
            )
    raws: dict[str, _RawCase] = {}
    broken: dict[str, str] = {}
    cases = list(graph.subjects(RDF.type, PW.Case))
    if not cases:
        raise InputError(f"{source}: no pw:Case in the file")
    for case in cases:
        case_id = str(graph.value(case, PW.caseId) or "")
        where = f"{source}, case {case_id or case}"
        try:
            raws[case_id] = _raw_from_rdf(graph, case, case_id, where, lookup)
        except ValueError as exc:
            broken[case_id or str(case)] = str(exc)
    return _finish(raws, broken, source, lookup)


def _refuse_remote_contexts(text: str, source: str) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON-LD: {exc.msg} at line {exc.lineno}") from None

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    contexts = item if isinstance(item, list) else [item]
                    if any(isinstance(c, str) for c in contexts):
                        raise InputError(f"{source}: remote JSON-LD @context is not fetched; inline the context")
                if key == "@import" or (key == "@context" and isinstance(item, dict) and "@import" in item):
                    raise InputError(f"{source}: JSON-LD @import is not fetched; inline the context")
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)


def _raw_from_rdf(graph: Graph, case: URIRef, case_id: str, where: str, lookup: _Resolver) -> _RawCase:
    if not case_id:
        raise ValueError(f"{where}: pw:Case without pw:caseId")
    plan = graph.value(case, PW.onPathway)
    match = next(((a, p) for (a, p), pw_ in lookup.pathways.items() if pw_.iri == plan), None)
    if match is None:
        raise ValueError(f"{where}: pw:onPathway {plan} is not a pathway of the model")
    raw = _RawCase(case_id, where, authority=match[0], pathway=match[1])
    raw.concerns = {str(c) for c in graph.objects(case, PW.concern)}
    raw.level_before = label(lookup.graph, graph.value(case, PW.levelBefore))  # the model's label ("" if none)
    raw.level_after = label(lookup.graph, graph.value(case, PW.levelAfter))  # the model's label ("" if none)
    for _number, event in enumerate(sorted(graph.objects(case, PW.event), key=str), start=1):
        step = graph.value(event, PW.carriesOut)
        started = graph.value(event, PROV.startedAtTime)
        role = graph.value(event, PW.byRole)
        if step is None or started is None or role is None:
            missing = [
                n
                for n, v in (("pw:carriesOut", step), ("prov:startedAtTime", started), ("pw:byRole", role))
                if v is None
            ]
            raise ValueError(f"{where}, event {event}: missing {', '.join(missing)}")
        raw.events.append(
            _RawEvent(
                None,
                str(step),
                str(started),
                str(role),
                tuple(str(v) for v in graph.objects(event, PW.evidence)),
            )
        )
    return raw


# ---------------------------------------------------------------------------- files


def read_cases(paths: Iterable[str | Path]) -> CaseBatch:
    """Read case records from CSV, Turtle (.ttl) or JSON-LD (.jsonld/.json) files."""
    batch = CaseBatch()
    for path in paths:
        batch.extend(_read_path(Path(path)))
    refuse_duplicate_ids(batch)
    return batch


def _read_path(path: Path) -> CaseBatch:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return read_bytes(data, str(path))


def read_bytes(data: bytes, source: str) -> CaseBatch:
    """Read case records from the bytes of one file, choosing the reader by file name."""
    with collector_paused():
        return _read_bytes(data, source)


def _read_bytes(data: bytes, source: str) -> CaseBatch:
    text = _decode(data, source)
    suffix = Path(source).suffix.lower()
    if suffix == ".ttl":
        return read_rdf(text, source, "turtle")
    if suffix in {".jsonld", ".json"}:
        return read_rdf(text, source, "json-ld")
    if suffix in {".csv", ".txt", ""}:
        return read_csv(text, source)
    raise InputError(f"{source}: unknown file type {suffix!r}; use .csv, .ttl or .jsonld")


def refuse_duplicate_ids(batch: CaseBatch) -> None:
    """Reject every case whose id was already read from another file (ids must be unique)."""
    seen: dict[str, str] = {}
    kept = []
    for record in batch.cases:
        if record.case_id in seen and seen[record.case_id] != record.source:
            batch.rejected.append(
                Rejection(
                    record.source,
                    record.case_id,
                    f"{record.source}: case {record.case_id!r} also in {seen[record.case_id]}",
                )
            )
            continue
        seen[record.case_id] = record.source
        kept.append(record)
    batch.cases = kept


def pseudonymise(batch: CaseBatch, key: bytes) -> CaseBatch:
    """The batch with every case id replaced by a keyed hash (HMAC-SHA256), for sharing
    reports: the same id and key always give the same pseudonym, and without the key the
    ids cannot be recovered by trying likely ones."""
    import hmac
    from dataclasses import replace

    def pseudonym(case_id: str) -> str:
        return "P-" + hmac.new(key, case_id.encode("utf-8"), "sha256").hexdigest()[:16]

    cases = [replace(record, case_id=pseudonym(record.case_id)) for record in batch.cases]
    rejected = [
        Rejection(
            r.source,
            pseudonym(r.case_id),
            r.message.replace(f"case {r.case_id}", f"case {pseudonym(r.case_id)}").replace(
                repr(r.case_id), repr(pseudonym(r.case_id))
            ),
        )
        for r in batch.rejected
    ]
    return CaseBatch(cases=cases, rejected=rejected)
