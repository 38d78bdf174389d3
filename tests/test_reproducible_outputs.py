"""Every output is the same in every run: a policy author diffs two exports to see what a
model change did, so nothing may depend on Python's hash seed (the order of a set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.model.resources import SAMPLE_CASES

COMMANDS = {
    "graphml": ["export", "--format", "graphml"],
    "ttl": ["export", "--format", "ttl"],
    "bpmn": ["export", "--format", "bpmn", "-o", "{out}"],
    "mermaid": ["export", "--format", "mermaid", "-o", "{out}"],
    "show": ["show", "cheshire-east", "step-down-cin", "--format", "json"],
    "compare": ["compare", "cheshire-east", "knowsley", "--format", "json"],
    "render": ["render", "knowsley", "step-down-cin", "-o", "{out}/chart.dot"],
    "validate": ["validate", str(SAMPLE_CASES), "--format", "csv"],
}


def run(args: list[str], seed: str, out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONHASHSEED": seed, "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "pathways", *[a.format(out=out) for a in args]],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    files = "".join(f"== {p.name}\n{p.read_text(encoding='utf-8')}" for p in sorted(out.rglob("*")) if p.is_file())
    return done.stdout + files


@pytest.mark.parametrize("name", COMMANDS)
def test_the_output_does_not_depend_on_the_hash_seed(name: str, tmp_path: Path) -> None:
    first = run(COMMANDS[name], "1", tmp_path / "1")
    assert first.strip()
    assert run(COMMANDS[name], "2", tmp_path / "2") == first
