"""A new authority works with no code change: the worked example in ``examples/new-authority/``.

The example (a fictional council, its short procedure and the Turtle encoding it) is what
the README's "Adding an authority" tells a newcomer to copy. Here it is added to a copy of
the model exactly as the README says (the Turtle under ``authorities/``, the text under
``sources/``) and every command is run against that copy through ``PATHWAYS_ONTOLOGY``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.model.resources import EXAMPLES_DIR, ONTOLOGY_DIR

EXAMPLE = EXAMPLES_DIR / "new-authority"
AUTHORITY = "example-borough"


@pytest.fixture(scope="module")
def ontology(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("with-example") / "ontology"
    shutil.copytree(ONTOLOGY_DIR, root)
    shutil.copy(EXAMPLE / "example-borough.ttl", root / "authorities")
    shutil.copy(EXAMPLE / "example-borough-step-up-step-down.txt", root / "sources")
    return root


def pathways(ontology: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATHWAYS_ONTOLOGY": str(ontology), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "pathways", *args], capture_output=True, text=True, env=env, timeout=600
    )


def test_the_example_passes_the_check(ontology: Path) -> None:
    done = pathways(ontology, "check", str(ontology / "authorities" / "example-borough.ttl"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert pathways(ontology, "check").returncode == 0


def test_list_show_and_timescales_pick_it_up(ontology: Path) -> None:
    listed = pathways(ontology, "list")
    assert listed.returncode == 0, listed.stderr
    ids = [line.split("│")[2].strip() for line in listed.stdout.splitlines() if f"│ {AUTHORITY} " in line]
    assert len(ids) == 2, listed.stdout
    for pathway in ids:
        shown = pathways(ontology, "show", AUTHORITY, pathway, "--format", "json")
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout)["nodes"], pathway
    timescales = pathways(ontology, "timescales", "-a", AUTHORITY, "--format", "csv")
    assert timescales.returncode == 0 and "working_days" in timescales.stdout, timescales.stderr


def test_render_and_export(ontology: Path, tmp_path: Path) -> None:
    listed = pathways(ontology, "show", AUTHORITY, "step-up-to-csc", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    chart = tmp_path / "chart.svg"
    drawn = pathways(ontology, "render", AUTHORITY, "step-up-to-csc", "-o", str(chart))
    assert drawn.returncode == 0, drawn.stderr
    assert "<svg" in chart.read_text(encoding="utf-8")
    exported = pathways(ontology, "export", "--format", "dot", "-o", str(tmp_path / "charts"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "charts" / f"{AUTHORITY}--step-up-to-csc.dot").is_file()


def test_synthetic_cases_are_audited_against_its_policy(ontology: Path, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    made = pathways(ontology, "synth", "-a", AUTHORITY, "-n", "120", "--seed", "5", "-o", str(cases))
    assert made.returncode == 0, made.stderr
    with (tmp_path / "cases-truth.csv").open(newline="", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert truth, "some cases carry an injected deviation"
    done = pathways(ontology, "validate", str(cases), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["cases_in"] == report["cases_audited"] == 120 and not report["rejected"]
    found = {(f["case_id"], f["rule"]) for f in report["findings"]}
    assert all((row["case_id"], row["expected_rule"]) in found for row in truth)
    deviant = {row["case_id"] for row in truth}
    assert {case for case, _ in found} <= deviant, "a compliant case got a finding"
    for finding in report["findings"]:
        assert finding["source"].startswith("Example Borough") and finding["quote"], finding


def test_compare_without_an_alignment_says_what_to_add(ontology: Path) -> None:
    done = pathways(ontology, "compare", AUTHORITY, "cheshire-east")
    assert done.returncode == 2
    assert "example-borough--cheshire-east.ttl" in done.stderr and "Traceback" not in done.stderr
