"""XES logs in and out, and round trips through PM4Py (the process-mining library auditors use).

Expectations: the same cases give the same findings whether they come as our CSV, as our
XES, or after PM4Py has read and rewritten either (PM4Py keeps times as UTC instants, so
a summer time must not move by an hour); hostile XML is refused in one line.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pm4py
import pytest
from typer.testing import CliRunner

from pathways.cases import read_bytes
from pathways.cases.synth import cases_csv, synthesise
from pathways.cases.xes import cases_xes, read_xes
from pathways.cli import app
from pathways.errors import InputError

runner = CliRunner()


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("logs")
    cases, _ = synthesise(160, seed=21, deviation_share=0.3)
    (folder / "cases.csv").write_text(cases_csv(cases), encoding="utf-8")
    (folder / "cases.xes").write_text(cases_xes(cases), encoding="utf-8")
    return {"csv": folder / "cases.csv", "xes": folder / "cases.xes", "folder": folder}


def findings(path: Path) -> list[dict]:
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert not report["rejected"], report["rejected"][:3]
    return report["findings"]


def test_our_xes_gives_the_findings_of_our_csv(logs) -> None:
    expected = findings(logs["csv"])
    assert expected, "the sample has findings to compare"
    assert findings(logs["xes"]) == expected


def test_pm4py_reads_our_xes_with_every_event_at_its_instant(logs) -> None:
    table = pm4py.read_xes(str(logs["xes"]))
    ours = pd.read_csv(logs["csv"])
    assert len(table) == len(ours)
    assert table["case:concept:name"].nunique() == ours["case_id"].nunique() == 160
    instants = pd.to_datetime(ours["timestamp"], utc=True).sort_values().reset_index(drop=True)
    assert table["time:timestamp"].sort_values().reset_index(drop=True).equals(instants)


def test_a_log_pm4py_rewrote_gives_the_same_findings(logs) -> None:
    rewritten = logs["folder"] / "rewritten.xes"
    pm4py.write_xes(pm4py.read_xes(str(logs["xes"])), str(rewritten))
    assert findings(rewritten) == findings(logs["csv"])


def test_our_csv_through_pm4py_has_no_time_shift(logs) -> None:
    """PM4Py parses our CSV's times (written with their UK offset) to UTC and writes them as
    UTC: read back, a summer 09:30 is still 09:30 in the findings."""
    frame = pm4py.format_dataframe(
        pd.read_csv(logs["csv"], dtype=str, keep_default_na=False),
        case_id="case_id",
        activity_key="activity",
        timestamp_key="timestamp",
    )
    exported = logs["folder"] / "from-csv.xes"
    pm4py.write_xes(frame, str(exported))
    text = exported.read_text(encoding="utf-8")
    assert "+00:00" in text and "+01:00" not in text, "PM4Py writes UTC"
    assert findings(exported) == findings(logs["csv"])


def test_synth_writes_xes_and_validate_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "log.xes"
    result = runner.invoke(app, ["synth", "-n", "20", "--seed", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    summer = [line for line in out.read_text(encoding="utf-8").splitlines() if "time:timestamp" in line]
    assert all(("+00:00" in line) or ("+01:00" in line) for line in summer)
    assert findings(out) == findings(out) and read_xes(out.read_text(), str(out)).cases


BOMB = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<log><trace><string key="concept:name" value="&b;"/></trace></log>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<log><trace><string key="concept:name" value="&x;"/></trace></log>"""
DEEP = "<log>" + "<list key='x'>" * 40 + "</list>" * 40 + "</log>"
HOSTILE = {
    "entity expansion": (BOMB, "log.xes: a DTD, entity or external reference is refused in XES logs"),
    "external entity": (EXTERNAL, "log.xes: a DTD, entity or external reference is refused in XES logs"),
    "not XML": ("case_id,activity\n1,a\n", "log.xes: not well-formed XML (line 1, column 0)"),
    "not a log": ("<html><body/></html>", "log.xes: not an XES log (the root element is <html>, not <log>)"),
    "deep nesting": (DEEP, "log.xes: elements nested deeper than 16 levels"),
    "empty": ("   ", "log.xes: empty file"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_xml_is_one_line(kind: str) -> None:
    text, expected = HOSTILE[kind]
    with pytest.raises(InputError) as caught:
        read_bytes(text.encode("utf-8"), "log.xes")
    assert str(caught.value).startswith(expected), str(caught.value)
    assert "\n" not in str(caught.value) and "passwd" not in str(caught.value)


def test_a_bad_event_rejects_its_case_only_naming_the_event() -> None:
    good, bad = synthesise(2, seed=5, authority="knowsley")[0]
    bad.events[1].node = "no-such-step"
    batch = read_xes(cases_xes([good, bad]), "log.xes")
    assert [c.case_id for c in batch.cases] == [good.case_id]
    [rejection] = batch.rejected
    assert rejection.message.startswith(f"log.xes, case {bad.case_id}, event 2: activity 'no-such-step'")


def test_times_keep_their_offset_whatever_the_season() -> None:
    cases, _ = synthesise(40, seed=8)
    text = cases_xes(cases)
    stamps = re.findall(r'key="time:timestamp" value="([^"]+)"', text)
    assert len(stamps) == sum(len(c.events) for c in cases)
    offsets = {datetime.fromisoformat(s).utcoffset().total_seconds() / 3600 for s in stamps}
    assert offsets <= {0.0, 1.0}


def test_the_role_wins_over_the_resource_whatever_the_order() -> None:
    """org:resource may name a person: it never stands in for org:role (nor reaches a message)."""
    case = synthesise(1, seed=5, authority="knowsley")[0][0]
    text = cases_xes([case]).replace("<event>", '<event><string key="org:resource" value="Jane Example"/>')
    batch = read_xes(text, "log.xes")
    assert batch.cases and not batch.rejected


def test_every_trace_without_a_case_id_is_its_own_rejection() -> None:
    text = "<log><trace><event/></trace><trace><event/></trace></log>"
    batch = read_xes(text, "log.xes")
    assert [r.message for r in batch.rejected] == [
        "log.xes, trace 1: no concept:name (the case id)",
        "log.xes, trace 2: no concept:name (the case id)",
    ]
