"""Data protection: pseudonymised reports, the explorer's settings, and no case data kept."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cases import MAX_FILE_BYTES, read_cases
from pathways.cli import app
from pathways.errors import InputError

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = ROOT / "examples" / "sample-cases.csv"
KEY = "a-test-key-of-enough-length"


def validate(*args: str, key: str | None = KEY):
    env = {"PATHWAYS_PSEUDONYM_KEY": key} if key is not None else {"PATHWAYS_PSEUDONYM_KEY": ""}
    return CliRunner().invoke(app, ["validate", str(SAMPLE), *args], env=env)


def test_pseudonymised_reports_carry_no_case_id():
    ids = {line.split(",")[0] for line in SAMPLE.read_text().splitlines()[1:]}
    for fmt in ("csv", "json", "html", "ttl"):
        result = validate("--pseudonymise", "--format", fmt)
        assert result.exit_code == 1, result.output
        assert not any(re.search(rf"\b{re.escape(i)}\b", result.stdout) for i in ids), fmt
        assert "P-" in result.stdout


def test_pseudonyms_are_stable_for_a_key_and_change_with_it():
    first = validate("--pseudonymise", "--format", "csv").stdout
    assert first == validate("--pseudonymise", "--format", "csv").stdout
    assert first != validate("--pseudonymise", "--format", "csv", key="another-key-of-enough-length").stdout


def test_pseudonymising_without_a_key_is_refused():
    result = validate("--pseudonymise", key=None)
    assert result.exit_code == 2
    assert "needs a key" in result.output


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:  # sparse: takes no disk space
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputError, match=rf"huge.csv: file is larger than {MAX_FILE_BYTES // 2**20:,} MB"):
        read_cases([path])


def test_explorer_settings_send_nothing_and_show_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] not in ("full", True)
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 200
    assert config["server"]["address"] == "127.0.0.1", "the explorer listens on loopback unless told otherwise"


def test_no_case_data_is_cached_on_disk():
    sources = [*ROOT.glob("app.py"), *(ROOT / "explorer").glob("*.py"), *(ROOT / "pathways").rglob("*.py")]
    assert sources
    for path in sources:
        assert 'persist="disk"' not in path.read_text() and "persist='disk'" not in path.read_text(), path


def test_a_report_interrupted_while_written_leaves_no_half_file(tmp_path, monkeypatch):
    import os

    from pathways.render import files

    target = tmp_path / "audit.html"
    target.write_text("the previous report")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(target, "<html>" + "x" * 100_000)
    assert target.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.html"]


def test_the_whole_audit_runs_with_the_network_blocked(tmp_path, no_network):
    lines = SAMPLE.read_text().splitlines()
    two_cases = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in {"CE-001", "CE-002"}]
    path = tmp_path / "two.csv"
    path.write_text("\n".join(two_cases) + "\n")
    for engine in ("pyshacl", "fast", "columnar"):
        result = CliRunner().invoke(app, ["validate", str(path), "--engine", engine, "--format", "json"])
        assert result.exit_code == 1, result.output
        assert '"cases_audited": 2' in result.stdout
