"""The column reader gives what the row reader gives: the same cases and rejections.

:func:`pathways.cases.read_csv` reads a regular file a column at a time and any other
file row at a time (``row_at_a_time=True`` forces the row reader, the reference). These
tests write CSV files the ways exports differ (quoting, line endings, blank and padded
rows, aliases, extra columns, case-field clashes, unknown names and keys, every timestamp
spelling, the UK clock changes, dates before the policy or in the future, duplicated
events) and hold the two readers to the same result, record for record and message for
message; then audit both readings and require the same findings.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.audit import audit_cases
from pathways.cases import read_csv
from pathways.cases.csv_columns import ColumnRecord
from pathways.cases.resolving import resolver
from pathways.cases.synth import cases_csv, synthesise
from pathways.errors import InputError
from pathways.model.resources import SAMPLE_CASES

ZONED_TIMES = [
    "2025-03-10T09:30+01:00",
    "2025-03-11T09:30:00+00:00",
    "2025-03-12T23:30-05:00",
    "2025-03-13T09:30Z",
    "2025-03-13T09:30:15.250+00:00",
    "2025-03-30T00:30+00:00",  # the night the clocks go forward
    "2025-03-30T01:30+01:00",
    "2025-03-30T02:30+01:00",
    "2025-10-26T00:30+00:00",  # the night the clocks go back: 01:30 comes twice
    "2025-10-26T01:30+00:00",
    "2025-10-26T01:30+01:00",
    "2025-10-26T00:59:59+00:00",
    "2025-06-02T12:00+01:00",
    "2025-06-03 12:00+01:00",
    "2025-06-04",
    "05/06/2025",
]
PLAIN_TIMES = [
    "2025-03-03",
    "2025-03-04T09:30",
    "2025-03-05 09:30",
    "2025-03-06T09:30:15",
    "2025-03-07T09:30:15.250",
    "14/03/2025",
    "17/3/2025 9:30",
    "2025-03-30T01:30",  # the hour the clocks skip
    "2025-10-26T01:30",  # the hour the clocks go back
    "2025-06-04T08:00",
    "2025-06-04T08:00",  # twice: a duplicated event when the step and role repeat too
]
FAULTY_TIMES = [
    "2025-02-31",
    "2025-13-01T09:00",
    "2025-03-03T25:00",
    "2025-03-03T09:30+24:00",
    "2019-05-01T10:00",  # before a policy
    "2099-01-01",  # in the future
    "1999-12-31",
    "yesterday",
    "",
]


def _mostly(draw, valid: list[str], faulty: list[str]) -> str:
    """A valid value, or in a case drawn to be faulty one time in ten a faulty one: most
    cases are read whole, some are rejected."""
    faulted = faulty and FAULTY[0] and draw(st.sampled_from([False] * 9 + [True]))
    return draw(st.sampled_from(faulty)) if faulted else draw(st.sampled_from(valid))


def _names():
    lookup = resolver()
    keys = sorted(lookup.pathways)
    steps, roles = {}, {}
    for authority, pathway in keys:
        known = lookup.steps(authority, pathway)
        chosen = sorted(known)[:5] + sorted(known)[-3:]
        decisions = sorted(name for name, node in known.items() if lookup.outcomes(node))[:3]
        steps[authority, pathway] = {
            name: sorted(lookup.outcomes(known[name]).values())[:3] for name in [*chosen, *decisions]
        }
    for authority in lookup.authorities:
        roles[authority] = sorted(lookup.roles(authority))[:6]
    return {
        "pathways": keys,
        "steps": steps,
        "roles": roles,
        "evidence": sorted(lookup.evidence_keys.values())[:8],
        "concerns": sorted(lookup.concern_keys.values())[:6],
    }


NAMES = None


def names():
    global NAMES
    if NAMES is None:
        NAMES = _names()
    return NAMES


def _spaced(draw, text: str) -> str:
    return draw(st.sampled_from(["", " ", "\t", "\u00a0"])) + text + draw(st.sampled_from(["", " ", "  "]))


FAULTY = [False]  # whether the case being drawn may have faults (set per case)
CASE_IDS = ["A", "B", "C", "D", " E ", "F,G", 'H"I', "J;K", "a"]


@st.composite
def event_row(draw, case_id: str, authority: str, pathway: str, times: list[str], levels: tuple) -> dict[str, str]:
    known = names()
    activity = _mostly(draw, list(known["steps"][authority, pathway]), ["Closure", ""])
    branches = known["steps"][authority, pathway].get(activity, [])
    return {
        "case_id": _spaced(draw, _mostly(draw, [case_id], ["", case_id + "\x00"])),
        "authority": _mostly(draw, [authority, authority, authority.upper(), f" {authority}"], ["wirral", ""]),
        "pathway": _mostly(draw, [pathway], ["nope", ""]),
        "activity": _spaced(draw, activity),
        "timestamp": _spaced(draw, _mostly(draw, times, FAULTY_TIMES + ZONED_TIMES[:1] + PLAIN_TIMES[:1])),
        "role": _mostly(draw, known["roles"][authority], ["Wizard", ""]),
        "evidence": _mostly(
            draw, ["", "", "", *known["evidence"], ";".join(known["evidence"][:2]), " | "], ["chronologyy"]
        ),
        "concerns": _mostly(draw, ["", "", "", "", *known["concerns"]], ["worry"]),
        "level_before": _mostly(draw, ["", levels[0]], ["Level 1"]),
        "level_after": _mostly(draw, ["", levels[1]], ["Level 5"]),
        "outcome": _mostly(draw, ["", *branches], ["maybe"]),
        "extra": draw(st.sampled_from(["", "", "x", " "])),
    }


@st.composite
def csv_files(draw) -> str:
    known = names()
    ids = draw(st.lists(st.sampled_from(CASE_IDS), min_size=1, max_size=5, unique=True))
    rows = []
    for case_id in ids:
        key = draw(st.sampled_from(known["pathways"]))
        times = draw(st.sampled_from([ZONED_TIMES, PLAIN_TIMES]))
        FAULTY[0] = draw(st.sampled_from([False, False, True]))
        levels = (
            draw(st.sampled_from(["", "Level 2", "Level 3"])),
            draw(st.sampled_from(["", "Level 3", "CWD, Level 4"])),
        )
        rows += [draw(event_row(case_id, *key, times, levels)) for _ in range(draw(st.integers(1, 6)))]
    FAULTY[0] = False
    if draw(st.booleans()):
        rows = draw(st.permutations(rows))
    optional = draw(
        st.sets(st.sampled_from(["evidence", "concerns", "level_before", "level_after", "outcome", "extra"]))
    )
    columns = ["case_id", "authority", "pathway", "activity", "timestamp", "role", *sorted(optional)]
    columns = draw(st.permutations(columns))
    aliases = {"case_id": "case:concept:name", "activity": "concept:name"}
    header = [aliases.get(c, c) if draw(st.booleans()) else c for c in columns]
    buffer = io.StringIO(newline="")
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer = csv.writer(buffer, quoting=quoting, lineterminator=draw(st.sampled_from(["\n", "\n", "\r\n"])))
    writer.writerow(header)
    for row in rows:
        if draw(st.integers(0, 19)) == 0:
            buffer.write(draw(st.sampled_from(["\n", ",,,\n", " \n", '""\n'])))  # blank rows
        writer.writerow([row[c] for c in columns])
    text = buffer.getvalue()
    damage = draw(st.sampled_from([None] * 12 + ["ragged", "bare-return", "quoted-break", "separator", "no-end"]))
    if damage == "ragged":
        text += "A,knowsley\n"
    elif damage == "bare-return":
        text = text.replace("\n", "\r", 1)
    elif damage == "quoted-break":
        text += 'A,"knowsley\nstill",x,y,z,w\n'
    elif damage == "separator":
        text += "A\x1c,knowsley,x,y,z,w\n"
    elif damage == "no-end":
        text = text.rstrip("\n")
    return text


def _outcome(text: str, row_at_a_time: bool):
    try:
        batch = read_csv(text, "cases.csv", row_at_a_time=row_at_a_time)
    except InputError as error:
        return ("error", str(error))
    return (
        "batch",
        batch.cases,
        [(r.source, r.case_id, r.message, r.unknown) for r in batch.rejected],
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(csv_files())
def test_the_column_reader_reads_every_file_as_the_row_reader_does(text):
    expected = _outcome(text, row_at_a_time=True)
    found = _outcome(text, row_at_a_time=False)
    assert found[0] == expected[0], (found, expected)
    if found[0] == "error":
        assert found == expected
        return
    assert [r.case_id for r in found[1]] == [r.case_id for r in expected[1]]
    assert found[1] == expected[1]  # every field, every event (made from the columns now)
    assert found[2] == expected[2]


def test_a_regular_file_is_read_by_columns_and_an_irregular_one_by_rows():
    text = SAMPLE_CASES.read_text(encoding="utf-8")
    assert all(isinstance(r, ColumnRecord) for r in read_csv(text, "sample.csv").cases)
    ragged = text + "A,knowsley\n"
    batch = read_csv(ragged, "sample.csv")
    assert not any(isinstance(r, ColumnRecord) for r in batch.cases)
    assert any("row" in r.message and "fields, header has" in r.message for r in batch.rejected)


def _findings(batch) -> list[str]:
    return [repr(f) for f in audit_cases(batch).findings]


@pytest.mark.parametrize("size", [300])
def test_the_audit_of_the_columns_is_the_audit_of_the_events(size):
    """Synthetic cases with deviations, audited from the columns (events made only for the
    cases with findings) and from the row reader's events: the same findings."""
    cases, _ = synthesise(size, seed=7, deviation_share=0.5, today=date(2026, 6, 1))
    text = cases_csv(cases)
    by_columns = read_csv(text, "synthetic.csv")
    assert all(isinstance(r, ColumnRecord) for r in by_columns.cases)
    expected = _findings(read_csv(text, "synthetic.csv", row_at_a_time=True))
    assert expected  # deviations were injected
    assert _findings(by_columns) == expected
    made = [r for r in by_columns.cases if r._events is not None]
    assert 0 < len(made) < len(by_columns.cases)  # only the cases with findings were made into events


def test_the_adversarial_cases_audit_the_same_from_columns():
    from adversarial import adversarial_cases

    text = adversarial_cases(count=60, seed=3).csv
    by_columns = read_csv(text, "adversarial.csv")
    by_rows = read_csv(text, "adversarial.csv", row_at_a_time=True)
    assert by_columns.cases == by_rows.cases
    assert _findings(by_columns) == _findings(by_rows)


def test_an_engine_that_forks_workers_audits_records_read_by_columns(tmp_path):
    """Polars' thread pool does not survive fork: records read by columns are given their
    events before the set-at-a-time engine forks its workers, which then never call
    polars (a forked worker that did would wait for ever)."""
    import subprocess
    import sys

    from pathways.audit.engines import ENGINES

    cases, _ = synthesise(ENGINES["fast"].chunk * 2 + 50, seed=5, deviation_share=0.3, today=date(2026, 6, 1))
    path = tmp_path / "cases.csv"
    path.write_text(cases_csv(cases), encoding="utf-8")

    def report(engine: str, workers: str) -> bytes:
        out = tmp_path / f"{engine}.csv"
        command = [sys.executable, "-m", "pathways", "validate", str(path), "--format", "csv", "-o", str(out)]
        subprocess.run([*command, "--engine", engine, "--workers", workers], timeout=900, capture_output=True)
        return out.read_bytes()

    assert report("fast", "2") == report("columnar", "1")
