"""A CSV with thousands of columns reads as the same file without them.

Columns the reader does not know are ignored, however many: 5,000 extra columns or a
header of 100,000 give the cases the narrow file gives, in about the time (the duplicate
check of the header was quadratic, minutes for 100,000 columns; a row is taken by the
columns read, not all of them). A duplicated column among 100,000 is still one line.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pathways.cases.csv_input import read_csv
from pathways.errors import InputError
from pathways.model.resources import EXAMPLES_DIR

SAMPLE = EXAMPLES_DIR / "sample-cases.csv"


def _widened(extra: int, header: list[str] | None = None) -> str:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    names = header if header is not None else [f"extra_{i}" for i in range(extra)]
    writer.writerow(rows[0][:3] + names[: extra // 2] + rows[0][3:] + names[extra // 2 :])
    for n, row in enumerate(rows[1:]):
        filler = [f"v{n}"] * extra
        writer.writerow(row[:3] + filler[: extra // 2] + row[3:] + filler[extra // 2 :])
    return out.getvalue()


def _cases(text: str) -> tuple[list, list]:
    batch = read_csv(text, "cases.csv")
    return batch.cases, [r.message for r in batch.rejected]


@pytest.mark.parametrize("extra", [5_000, 100_000])
def test_extra_columns_are_ignored(extra: int) -> None:
    narrow = _cases(SAMPLE.read_text(encoding="utf-8"))
    started = time.perf_counter()
    wide = _cases(_widened(extra))
    elapsed = time.perf_counter() - started
    assert wide == narrow
    assert narrow[0] and not narrow[1]
    assert elapsed < 120, f"{extra} columns took {elapsed:.0f} s"  # was over five minutes for 100,000


def test_a_duplicated_column_among_100_000_is_one_line() -> None:
    names = [f"extra_{i}" for i in range(100_000)]
    names[70_000] = "Role"
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"^cases\.csv: duplicate column\(s\) role in the header$"):
        read_csv(_widened(100_000, names), "cases.csv")
    assert time.perf_counter() - started < 120


def test_validate_reads_a_wide_file_as_the_narrow_one(tmp_path: Path) -> None:
    (tmp_path / "wide").mkdir()
    (tmp_path / "narrow").mkdir()
    (tmp_path / "wide" / "cases.csv").write_text(_widened(100_000), encoding="utf-8")
    (tmp_path / "narrow" / "cases.csv").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "COLUMNS": "200"}
    runs = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pathways",
                "validate",
                str(tmp_path / name / "cases.csv"),
                "--format",
                "csv",
                "-o",
                str(tmp_path / f"{name}.out.csv"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("wide", "narrow")
    }
    done = {name: (p.communicate(timeout=600), p.returncode) for name, p in runs.items()}
    (_, err), code = done["wide"]
    assert "Traceback" not in err
    assert code == done["narrow"][1] in (0, 1), err
    report = (tmp_path / "wide.out.csv").read_text(encoding="utf-8")
    assert report == (tmp_path / "narrow.out.csv").read_text(encoding="utf-8")
    assert "extra_" not in report
