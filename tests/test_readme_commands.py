"""Every `pathways` command line in the README works when pasted (from the checkout's root).

Each line of a ``sh`` block that starts with ``pathways`` is run as written (its comment
dropped) in a scratch directory holding the shipped examples; it must exit 0, or 1 for a
`validate` whose cases include a Violation (the sample set does, on purpose).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)
LINES = [line.split("  #")[0].strip() for block in BLOCKS for line in block.splitlines()]
COMMANDS = [line for line in LINES if line.startswith("pathways ")]


def test_the_readme_shows_commands():
    assert len(COMMANDS) >= 12


@pytest.mark.parametrize("line", COMMANDS)
def test_a_readme_command_works_when_pasted(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, shlex.split(line)[1:])
    allowed = {0, 1} if line.startswith("pathways validate") else {0}
    assert result.exit_code in allowed, f"{line}\n{result.output}"
