"""A large CSV file is read and audited in batches of whole cases, with the same result.

Cutting a file into blocks must not change a case, a row number, a rejection or a finding:
each test reads a file whole and in small batches and compares. A file whose cases'
rows are not together cannot be cut into whole cases and is refused with one line.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pathways.cases import BATCH_BYTES, MAX_FILE_BYTES, read_batches, read_cases
from pathways.cases.synth import cases_csv, synthesise
from pathways.errors import InputError
from pathways.model.resources import SAMPLE_CASES


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    cases, _ = synthesise(400, seed=11, deviation_share=0.4, today=date(2026, 6, 1))
    path = tmp_path_factory.mktemp("batches") / "cases.csv"
    text = cases_csv(cases)
    # a few rows the reader rejects, spread through the file, so rejections cross blocks
    lines = text.splitlines(keepends=True)
    for at in (len(lines) // 3, 2 * len(lines) // 3):
        fields = next(csv.reader([lines[at]]))
        fields[3] = "not-a-step"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(fields)
        lines[at] = out.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _read(path: Path, batch_bytes: int):
    batches = list(read_batches([path], batch_bytes=batch_bytes))
    return batches, [c for b in batches for c in b.cases], [r.message for b in batches for r in b.rejected]


@pytest.mark.parametrize("batch_bytes", [20_000, 111_111])
def test_a_file_read_in_batches_gives_the_cases_and_rejections_of_the_whole_file(synthetic, batch_bytes):
    whole = read_cases([synthetic])
    batches, cases, rejected = _read(synthetic, batch_bytes)
    assert len(batches) > 3
    assert cases == whole.cases  # every field and every event, its row number included
    assert sorted(rejected) == sorted(r.message for r in whole.rejected)
    assert len(rejected) == 2 and all("not-a-step" in m for m in rejected)


def test_validate_in_batches_writes_the_report_of_the_whole_file(synthetic, tmp_path):
    def run(*extra: str) -> tuple[int, bytes]:
        out = tmp_path / f"report{len(extra)}.csv"
        done = subprocess.run(
            [sys.executable, "-m", "pathways", "validate", str(synthetic), "--format", "csv", "-o", str(out), *extra],
            capture_output=True,
            text=True,
            timeout=600,
        )
        return done.returncode, out.read_bytes()

    whole = run("--batch-mb", "4096")
    batched = run("--batch-mb", "1", "--workers", "1")
    assert whole == batched
    assert whole[0] == 2  # the two rejected cases
    assert whole[1].count(b"\n") > 50


def test_a_case_whose_rows_are_apart_in_a_large_file_is_refused_in_one_line(tmp_path):
    text = SAMPLE_CASES.read_text(encoding="utf-8")
    header, *rows = text.splitlines(keepends=True)
    moved = [r for r in rows if r.startswith("CE-001,")]
    rest = [r for r in rows if not r.startswith("CE-001,")]
    path = tmp_path / "apart.csv"
    path.write_text(header + moved[0] + "".join(rest) + "".join(moved[1:]), encoding="utf-8")
    assert len(read_cases([path]).cases) == 24  # read whole, the order does not matter
    with pytest.raises(InputError) as refused:
        list(read_batches([path], batch_bytes=5_000))
    message = str(refused.value)
    assert "\n" not in message
    assert "apart.csv, row" in message and "'CE-001'" in message and "sort the file by case_id" in message


def test_the_limits_say_what_they_are():
    assert MAX_FILE_BYTES >= 4 * 1024**3  # well above 1 GB: a million synthetic cases is about 1.7 GB
    assert BATCH_BYTES < MAX_FILE_BYTES


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:  # sparse: takes no disk space
        handle.truncate(3 * 2**20)
    with pytest.raises(InputError, match=r"huge.csv: file is larger than 2 MB"):
        list(read_batches([path], max_bytes=2 * 2**20))


def test_validate_refuses_a_file_over_its_max_file_mb_in_one_line(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(SAMPLE_CASES.read_bytes())
    with open(path, "ab") as handle:  # past 1 MB, sparse
        handle.truncate(2**20 + 1)
    done = subprocess.run(
        [sys.executable, "-m", "pathways", "validate", str(path), "--max-file-mb", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [f"pathways: error: {path}: file is larger than 1 MB (the limit: raise it with --max-file-mb)"]
