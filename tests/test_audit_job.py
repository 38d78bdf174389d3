"""The Audit page's background job: an upload read and audited in a thread that never calls
Streamlit, whose progress the page polls; results, errors and failures delivered on the
job; a superseded job stops at its next step."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

from explorer import common

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-cases.csv"
EXTRA = (
    b"case_id,authority,pathway,activity,timestamp,role\n"
    b"X-1,knowsley,step-up-planned,no-such-step,2025-01-06,Social Worker\n"
)
WAIT = 120  # seconds: generous, as the machine may be loaded; every wait ends on a condition


def held(*files: tuple[str, bytes]) -> list[common.HeldFile]:
    return [common.HeldFile(name, data) for name, data in files]


class Uploaded(common.HeldFile):
    """Stands in for Streamlit's UploadedFile: each upload has its own file_id."""

    count = 0

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(name, data)
        Uploaded.count += 1
        object.__setattr__(self, "file_id", f"upload-{Uploaded.count}")


def held_files(*files: tuple[str, bytes]) -> list[Uploaded]:
    return [Uploaded(name, data) for name, data in files]


def test_a_job_reads_then_audits_and_delivers_the_result(monkeypatch):
    reading, read_more = threading.Event(), threading.Event()
    auditing, audit_more = threading.Event(), threading.Event()
    contexts = []
    real_read, real_audit = common.read_bytes, common.audit_cases

    def read(data: bytes, name: str):
        if name == "extra.csv":
            reading.set()
            assert read_more.wait(WAIT)
        return real_read(data, name)

    def audit(batch, progress=None):
        contexts.append(get_script_run_ctx(suppress_warning=True))

        def step(done: int, total: int) -> None:
            progress(done, total)
            auditing.set()
            assert audit_more.wait(WAIT)

        return real_audit(batch, progress=step)

    monkeypatch.setattr(common, "read_bytes", read)
    monkeypatch.setattr(common, "audit_cases", audit)
    job = common.AuditJob(held(("cases.csv", SAMPLE.read_bytes()), ("extra.csv", EXTRA)), ("signature",)).start()

    assert reading.wait(WAIT)
    assert job.progress()[:3] == ("reading", 1, 2)
    assert not job.ended and job.upload.result is None
    read_more.set()

    assert auditing.wait(WAIT)
    assert job.progress()[:3] == ("auditing", 24, 24)  # the rejected case is not audited
    assert not job.ended and job.upload.result is None
    audit_more.set()

    assert job.wait(WAIT)
    phase, done, total, seconds = job.progress()
    assert (phase, done, total) == ("done", 24, 24) and seconds >= 0
    assert not job.failed
    result = job.upload.result
    assert result is not None and result.cases_in == 25 and len(result.results) == 24
    assert [r.case_id for r in result.rejected] == ["X-1"]
    assert len(job.upload.batch.cases) == 24 and job.upload.names == ["cases.csv", "extra.csv"]
    assert contexts == [None]  # the thread has no script-run context and needs none
    assert job._files == []  # the bytes are dropped once read


def test_an_unreadable_file_is_one_error_line_not_a_failure():
    job = common.AuditJob(held(("bad.csv", b"name;age\nsomeone;3\n"))).start()
    assert job.wait(WAIT)
    assert not job.failed and job.progress()[0] == "done"
    assert job.upload.result is not None and job.upload.result.cases_in == 0
    (error,) = job.upload.errors
    assert error.startswith("bad.csv: ") and "\n" not in error and "someone" not in error


def test_a_failing_audit_is_delivered_as_a_failure_with_no_result(monkeypatch):
    def broken(batch, progress=None):
        raise RuntimeError("PRIVATE-NAME")

    monkeypatch.setattr(common, "audit_cases", broken)
    job = common.AuditJob(held(("cases.csv", SAMPLE.read_bytes()))).start()
    assert job.wait(WAIT)
    assert job.failed and job.progress()[0] == "failed"
    assert job.upload.result is None


def test_a_cancelled_job_stops_at_its_next_step(monkeypatch):
    reading, read_more = threading.Event(), threading.Event()
    audited = []
    real_read = common.read_bytes

    def read(data: bytes, name: str):
        reading.set()
        assert read_more.wait(WAIT)
        return real_read(data, name)

    monkeypatch.setattr(common, "read_bytes", read)
    monkeypatch.setattr(common, "audit_cases", lambda batch, progress=None: audited.append(batch))
    job = common.AuditJob(held(("cases.csv", SAMPLE.read_bytes()), ("extra.csv", EXTRA))).start()
    assert reading.wait(WAIT)
    job.cancel()
    read_more.set()
    assert job.wait(WAIT)
    assert job.progress()[0] == "cancelled" and not job.failed
    assert job.upload.result is None and audited == []


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ((("cases.csv", b"a,b\n1,2\n"),), True),
        ((("other.csv", b"a,b\n1,2\n"),), False),
        ((("cases.csv", b"a,b\n1,3\n"),), False),
        ((("cases.csv", b"a,b\n"), ("1,2\n", b"")), False),
    ],
)
def test_the_content_key_follows_names_and_contents(other, same):
    first = common.content_key(held(("cases.csv", b"a,b\n1,2\n")))
    assert (common.content_key(held(*other)) == first) is same


def keep_jobs() -> None:
    """A script that starts (or keeps) the audit job of the files in session_state["files"]."""
    import streamlit as st

    from explorer import common

    job = common.audit_job("job", st.session_state["files"])
    st.session_state.setdefault("jobs", []).append(job)


def test_a_new_upload_supersedes_the_job_being_audited_and_the_same_files_keep_theirs(monkeypatch):
    gate = threading.Event()
    real = common.audit_cases

    def held(batch, progress=None):
        assert gate.wait(WAIT)
        return real(batch, progress=progress)

    monkeypatch.setattr(common, "audit_cases", held)
    at = AppTest.from_function(keep_jobs, default_timeout=60)
    at.session_state["files"] = held_files(("cases.csv", SAMPLE.read_bytes()))
    at.run()
    at.session_state["files"] = held_files(("cases.csv", SAMPLE.read_bytes()))  # the same again
    at.run()
    at.session_state["files"] = held_files(("extra.csv", EXTRA))
    at.run()
    assert not at.exception, at.exception
    first, again, other = at.session_state["jobs"]
    assert again is first and other is not first
    assert at.session_state["job"] is other
    gate.set()
    assert first.wait(WAIT) and other.wait(WAIT)
    assert first.progress()[0] == "cancelled" and first.upload.result is None
    assert other.progress()[0] == "done" and other.upload.result.cases_in == 1

    at.session_state["files"] = []
    at.run()
    assert "job" not in at.session_state
