"""A requirement or an obligation the text states once for steps of several pathways.

Policies say things like "the email must give the meeting's date, time and venue" once for
two routes that both send that email. The model states such a fact once, naming a step of
each pathway; the catalogue, the synthetic generator and both audit engines must then
apply it on each pathway, to that pathway's own step, and nowhere else.

The model here is a copy of the shipped one with one extra file that widens a Knowsley
requirement of section 2 (step down from CIN) to the matching step of section 3 (step
down after an assessment) and states one obligation for both. Both are made up for the test;
the commands read the copy through ``PATHWAYS_ONTOLOGY``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from csv_rows import read_rows, write_rows

from pathways.model.resources import ONTOLOGY_DIR

WIDENING = """\
@prefix pw: <https://w3id.org/stepupdown/pathways#> .
@prefix kn: <https://w3id.org/stepupdown/knowsley/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

kn:req-cin-l2-email-meeting-details
    pw:appliesTo kn:step-down-assessment.email-family-first-duty-team-level-2 .

kn:ob-level-2-duty-email-both-routes a pw:Existence ;
    rdfs:label "Level 2: the duty team is emailed before the case moves to Level 2 (both step down routes)"@en ;
    pw:onPathway kn:step-down-cin , kn:step-down-assessment ;
    pw:target kn:step-down-cin.inform-family-first-duty-team-level-2 ,
        kn:step-down-assessment.email-family-first-duty-team-level-2 ;
    pw:dueBy kn:step-down-cin.level-2-support , kn:step-down-assessment.transfer-to-ehm-level-2 ;
    pw:modality pw:Should ; pw:wording "should also inform" ;
    pw:source kn:s2 ;
    pw:quote "The Social Worker should also inform Family First Duty Team" .
"""

SHARED_STEP = "email-family-first-duty-team-level-2"
SHARED_KEY = "meeting-date-time-venue"


@pytest.fixture(scope="module")
def widened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("widened") / "ontology"
    shutil.copytree(ONTOLOGY_DIR, root)
    (root / "authorities" / "knowsley-widened.ttl").write_text(WIDENING, encoding="utf-8")
    return root


def pathways(ontology: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATHWAYS_ONTOLOGY": str(ontology), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "pathways", *args], capture_output=True, text=True, env=env, timeout=600
    )


def findings(ontology: Path, cases: Path, engine: str) -> list[dict]:
    done = pathways(ontology, "validate", str(cases), "--format", "json", "--engine", engine)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["findings"]


@pytest.fixture(scope="module")
def compliant(widened: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cases") / "knowsley.csv"
    done = pathways(widened, "synth", "-n", "160", "-a", "knowsley", "--deviations", "0", "--seed", "4", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_the_widened_model_passes_its_own_check(widened: Path) -> None:
    done = pathways(widened, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_catalogue_lists_the_requirement_under_both_pathways(widened: Path) -> None:
    for pathway in ("step-down-cin", "step-down-assessment"):
        shown = pathways(widened, "show", "knowsley", pathway)
        assert shown.returncode == 0, shown.stderr
        assert "meeting-date-time-venue" in shown.stdout or "date, time and venue" in shown.stdout.lower(), pathway


@pytest.mark.parametrize("engine", ["columnar", "fast", "pyshacl"])
def test_compliant_cases_on_both_pathways_have_no_finding(widened: Path, compliant: Path, engine: str) -> None:
    rows = read_rows(compliant)
    on_shared = {r["case_id"] for r in rows if r["pathway"] == "step-down-assessment" and r["activity"] == SHARED_STEP}
    assert len(on_shared) >= 3, "the sample must reach the shared step on the second pathway"
    if engine == "pyshacl":  # the reference engine is slow: the cases that matter
        keep = sorted(on_shared)[:4]
        compliant = write_rows(compliant.with_name("shared.csv"), [r for r in rows if r["case_id"] in keep])
    assert findings(widened, compliant, engine) == []


@pytest.mark.parametrize("engine", ["columnar", "fast", "pyshacl"])
def test_the_shared_requirement_and_obligation_bite_on_the_second_pathway(
    widened: Path, compliant: Path, tmp_path: Path, engine: str
) -> None:
    rows = read_rows(compliant)
    cases = sorted(
        {r["case_id"] for r in rows if r["pathway"] == "step-down-assessment" and r["activity"] == SHARED_STEP}
    )
    no_evidence, no_email = cases[0], cases[1]
    broken = []
    for row in rows:
        if row["case_id"] == no_evidence and row["activity"] == SHARED_STEP:
            row = {**row, "evidence": ";".join(k for k in row["evidence"].split(";") if k and k != SHARED_KEY)}
        if row["case_id"] == no_email and row["activity"] == SHARED_STEP:
            continue
        if row["case_id"] in (no_evidence, no_email):
            broken.append(row)
    found = findings(widened, write_rows(tmp_path / "broken.csv", broken), engine)
    by_case = {(f["case_id"], f["rule"]) for f in found}
    assert (no_evidence, "requirement:req-cin-l2-email-meeting-details") in by_case, found
    assert (no_email, "existence:ob-level-2-duty-email-both-routes") in by_case, found
    # each finding names the step of the case's own pathway and cites section 2's words
    for finding in found:
        assert finding["node"] == SHARED_STEP, finding
        assert finding["source"].endswith("§2"), finding
