"""What the explorer's pages share: cached reading of the model, the sample cases, uploads.

The policy model, its pathway graphs and the audit of the shipped sample are read once
per server process (``st.cache_resource``, in memory only, never on disk). Uploaded case
files are never cached across sessions: they are parsed into ``st.session_state`` and
live only as long as the browser session. Nothing here writes a file or logs case data.
The Audit page reads and audits an upload in a background thread (:class:`AuditJob`),
whose only link to the page is the job object kept in the session.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import streamlit as st
from rdflib import URIRef

import pathways.model as policy
from pathways import SAMPLE_CASES, audit_case, audit_cases, load_model, pathway_graph
from pathways.audit import AuditResult, Finding
from pathways.cases import CaseBatch, CaseRecord, Rejection, read_bytes, refuse_duplicate_ids
from pathways.errors import InputError
from pathways.render.palette import SEVERITY_MARKDOWN_COLOURS

SAMPLE = SAMPLE_CASES
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_TYPES = ["csv", "xes", "ttl", "jsonld", "json"]
KIND_NAMES = {"trigger": "trigger", "activity": "step", "decision": "decision", "end": "end state"}


# ---------------------------------------------------------------------------- the model


@st.cache_resource(show_spinner="Loading the policy model…")
def model():
    """The whole policy model (read-only)."""
    return load_model()


@st.cache_resource(show_spinner=False)
def authorities() -> list[policy.Authority]:
    return policy.authorities(model())


@st.cache_resource(show_spinner=False)
def pathways_of(authority_id: str) -> list[policy.Pathway]:
    return policy.pathways(model(), authority_id)


@st.cache_resource(show_spinner=False)
def all_pathways() -> list[policy.Pathway]:
    return policy.pathways(model())


def plan(authority_id: str, pathway_id: str) -> policy.Pathway:
    return next(p for p in pathways_of(authority_id) if p.id == pathway_id)


@st.cache_resource(show_spinner=False)
def digraph(authority_id: str, pathway_id: str) -> nx.DiGraph:
    """The pathway graph (shared, read-only)."""
    model()
    return pathway_graph(authority_id, pathway_id)


@st.cache_resource(show_spinner=False)
def requirements_by_node(authority_id: str, pathway_id: str) -> dict[str, list[policy.Requirement]]:
    found: dict[str, list[policy.Requirement]] = {}
    for row in policy.requirements(model(), plan(authority_id, pathway_id)):
        found.setdefault(row.step, []).append(row)
    return found


@st.cache_resource(show_spinner=False)
def node_citation(iri: str) -> policy.Citation | None:
    return policy.citation(model(), URIRef(iri))


def md(value: str) -> str:
    """Text shown through st.markdown, with Markdown and LaTeX markers escaped."""
    for char in "\\`*_[]<>#|$~":
        value = value.replace(char, "\\" + char)
    return value


def quote_block(value: str) -> str:
    return "\n".join("> " + md(line) for line in value.splitlines() if line.strip())


# ---------------------------------------------------------------------------- pickers and headers


def page_header(title: str, audience: str) -> None:
    """The page title and a caption saying who the page is for."""
    st.title(title)
    st.caption(audience)


def pathway_picker(prefix: str) -> tuple[str, str]:
    """Authority and pathway selectboxes; the labels come from the model."""
    names = {a.id: a for a in authorities()}
    left, right = st.columns([1, 2])
    with left:
        authority_id = st.selectbox(
            "Authority",
            list(names),
            format_func=lambda a: names[a].name,
            key=f"{prefix}-authority",
        )
    plans = {p.id: p for p in pathways_of(authority_id)}
    with right:
        pathway_id = st.selectbox(
            "Pathway",
            list(plans),
            format_func=lambda p: plans[p].flowchart_title,
            key=f"{prefix}-pathway-{authority_id}",
        )
    return authority_id, pathway_id


def policy_line(authority_id: str, pathway_id: str) -> str:
    chosen = plan(authority_id, pathway_id)
    return f"{chosen.authority.name}: *{md(chosen.authority.document)}*, {md(chosen.source)}"


# ---------------------------------------------------------------------------- sample cases


@st.cache_resource(show_spinner=False)
def sample_batch() -> CaseBatch:
    """The shipped synthetic sample (24 cases, 3 per pathway)."""
    model()
    return read_bytes(SAMPLE.read_bytes(), SAMPLE.name)


@st.cache_resource(show_spinner="Auditing the sample cases…")
def sample_audit() -> AuditResult:
    """The audit of the sample (the same findings as auditing each case on its own)."""
    return audit_cases(sample_batch())


def sample_findings() -> dict[str, list[Finding]]:
    return {r.case.case_id: r.findings for r in sample_audit().results}


# ---------------------------------------------------------------------------- uploads


@dataclass
class Upload:
    """Case files read from an upload, kept in the session only."""

    signature: tuple
    batch: CaseBatch
    errors: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    result: AuditResult | None = None
    views: dict = field(default_factory=dict)  # what the Audit page draws from the result, per pathway


def one_line(message: str, limit: int = 300) -> str:
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_files(files: Sequence, progress: Callable[[int, int], None] | None = None) -> tuple[CaseBatch, list[str]]:
    """Read uploaded files (objects with .name, .size and .getvalue()) into one batch.

    A file that cannot be read gives one line (the reader's message, or a generic one for
    an unexpected failure, never the file's contents); cases that fail are in
    ``batch.rejected``. A case id found in two files is rejected in the second.
    """
    batch = CaseBatch()
    errors: list[str] = []
    for done, upload in enumerate(files, start=1):
        name = Path(upload.name).name
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise InputError(f"{name}: file is larger than {MAX_UPLOAD_MB} MB")
            batch.extend(read_bytes(upload.getvalue(), name))
        except InputError as exc:
            errors.append(one_line(str(exc)))
        except Exception:
            errors.append(f"{name}: could not be read as case records (expected CSV, Turtle or JSON-LD)")
        if progress is not None:
            progress(done, len(files))
    refuse_duplicate_ids(batch)
    return batch, errors


def signature(files: Sequence) -> tuple:
    return tuple((getattr(f, "file_id", ""), f.name, f.size) for f in files)


def session_upload(state_key: str, files: Sequence, progress=None) -> Upload | None:
    """The upload of these files, read once and kept in this session (dropped when cleared)."""
    if not files:
        st.session_state.pop(state_key, None)
        return None
    current = st.session_state.get(state_key)
    wanted = signature(files)
    if isinstance(current, Upload) and current.signature == wanted:
        return current
    batch, errors = read_files(files, progress)
    upload = Upload(wanted, batch, errors, [Path(f.name).name for f in files])
    st.session_state[state_key] = upload
    return upload


@dataclass(frozen=True)
class HeldFile:
    """An uploaded file's name and bytes, held in memory for a background audit."""

    name: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


def held_files(files: Sequence) -> list[HeldFile]:
    return [HeldFile(Path(f.name).name, f.getvalue()) for f in files]


def content_key(files: Sequence[HeldFile]) -> str:
    """A digest of the files' names and contents (in memory only): the same files uploaded
    again give the same key."""
    digest = hashlib.sha256()
    for held in files:
        name = held.name.encode("utf-8")
        for part in (len(name).to_bytes(8, "big"), name, held.size.to_bytes(8, "big"), held.data):
            digest.update(part)
    return digest.hexdigest()


class Superseded(Exception):
    """Raised inside a job's thread when a newer upload has replaced it."""


AUDIT_WAIT_SECONDS = 1.5
"""How long the page run that starts an audit waits for it before showing its progress: a
small upload's results come at once, with no progress bar flashing by."""


class AuditJob:
    """Reading and auditing one upload in a background thread, so that the page never blocks.

    The thread never calls Streamlit (it has no script-run context): it only updates this
    object, under a lock, and the page reads :meth:`progress`. ``upload`` is the
    :class:`Upload` of the files; its ``batch``, ``errors`` and, last, ``result`` are filled
    in when the audit ends. A job that fails (an unexpected error: the files' contents are
    never shown) has ``failed`` set and no result; :meth:`cancel` makes the thread stop at
    its next step (after a file read or a chunk of cases audited). The files' bytes are
    dropped once read.
    """

    def __init__(self, files: Sequence[HeldFile], signature: tuple = (), key: str | None = None) -> None:
        self.signature = signature
        self.key = key if key is not None else content_key(files)
        self.upload = Upload(signature, CaseBatch(), names=[f.name for f in files])
        self._files = list(files)
        self._lock = threading.Lock()
        self._ended = threading.Event()
        self._cancelled = threading.Event()
        self._phase, self._done, self._total = "reading", 0, len(self._files)
        self.failed = False
        self.polled = False  # set by the page once it shows the progress instead of waiting
        self.started = time.monotonic()
        self.ended_at: float | None = None
        self._thread = threading.Thread(target=self._run, name="pathways-audit", daemon=True)

    def start(self) -> AuditJob:
        self.started = time.monotonic()
        self._thread.start()
        return self

    def _step(self, phase: str, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Superseded
        with self._lock:
            self._phase, self._done, self._total = phase, done, total

    def _run(self) -> None:
        phase = "failed"
        try:
            batch, errors = read_files(self._files, progress=lambda done, total: self._step("reading", done, total))
            self._files = []
            self._step("auditing", 0, len(batch.cases))
            result = audit_cases(batch, progress=lambda done, total: self._step("auditing", done, total))
            self._step("done", len(batch.cases), len(batch.cases))
            self.upload.batch, self.upload.errors = batch, errors
            self.upload.result = result  # last: a page takes an upload with a result as audited
            phase = "done"
        except Superseded:
            phase = "cancelled"
        except Exception:  # shown as one generic line; never the files' contents
            phase = "failed"
        finally:
            self._files = []
            with self._lock:
                self._phase = phase
                self.failed = phase == "failed"
                self.ended_at = time.monotonic()
            self._ended.set()

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout`` seconds; None: until it ends); True if the job has ended."""
        return self._ended.wait(timeout)

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self) -> tuple[str, int, int, float]:
        """The phase ("reading", "auditing", then "done", "failed" or "cancelled"), how many
        files read or cases audited of how many, and the seconds since the job started."""
        with self._lock:
            end = self.ended_at if self.ended_at is not None else time.monotonic()
            return self._phase, self._done, self._total, end - self.started


def audit_job(state_key: str, files: Sequence) -> AuditJob | None:
    """The audit of these uploaded files in this session, started once per upload.

    The job is kept in ``st.session_state[state_key]`` (this session only). The same files
    (the same widget upload, or the same contents uploaded again) keep their job, running or
    ended; other files supersede it: the old job is cancelled and a new one started. No files:
    the job is cancelled and dropped.
    """
    current = st.session_state.get(state_key)
    if not isinstance(current, AuditJob):
        current = None
    if not files:
        if current is not None:
            current.cancel()
        st.session_state.pop(state_key, None)
        return None
    wanted = signature(files)
    if current is not None and current.signature == wanted:
        return current
    held = held_files(files)
    key = content_key(held)
    if current is not None and current.key == key and not current.failed:
        current.signature = current.upload.signature = wanted
        return current
    if current is not None:
        current.cancel()
    job = AuditJob(held, wanted, key).start()
    st.session_state[state_key] = job
    return job


def upload_findings(upload: Upload, record: CaseRecord) -> list[Finding]:
    """The findings of one uploaded case, audited on demand and kept in the session."""
    if record.case_id not in upload.findings:
        upload.findings[record.case_id] = audit_case(record).findings
    return upload.findings[record.case_id]


def show_input_problems(errors: Sequence[str], rejected: Sequence[Rejection]) -> None:
    """File-level errors as st.error lines; rejected cases as a table of one-line messages."""
    for message in errors:
        st.error(message, icon=":material/error:")
    if rejected:
        st.warning(f"{len(rejected)} case(s) rejected and not audited:", icon=":material/warning:")
        st.dataframe(
            [{"file": r.source, "case": r.case_id, "problem": one_line(r.message)} for r in rejected],
            hide_index=True,
        )


def finding_card(finding: Finding, step_label: str = "") -> None:
    """One finding, readable in a narrow column: severity, message, rule, the step it is drawn
    on, event, paragraph and words."""
    colour = SEVERITY_MARKDOWN_COLOURS.get(finding.severity, "gray")
    with st.container(border=True):
        st.markdown(f":{colour}[**{finding.severity}**] · `{finding.rule}`  \n{md(finding.message)}")
        details = [f"on the chart: {md(step_label)}"] if step_label else []
        details.append(md(finding.focus_event))
        if finding.source:
            details.append(md(finding.source))
        st.caption(" · ".join(details))
        if finding.quote:
            st.markdown(quote_block(finding.quote))


FINDINGS_LISTED = 1_000
"""The most findings the Audit page lists in its table (the browser draws every row it is
sent); the CSV download has all the findings the filters keep."""


def findings_table(findings: Sequence[Finding], with_case: bool = False) -> list[dict]:
    rows = []
    for f in findings:
        row = {"case": f.case_id} if with_case else {}
        row |= {
            "severity": f.severity,
            "rule": f.rule,
            "finding": f.message,
            "event": f.focus_event,
            "policy": f.source,
            "policy's words": f.quote,
        }
        rows.append(row)
    return rows
