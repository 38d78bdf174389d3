"""Activity maps: an export that names steps and roles its own way is audited as it is.

The export here is the shipped sample with every activity and role renamed the way a
case-management system might ("SYS-07 Final CIN meeting", "SW"): with the map the audit
must give exactly the sample's findings; without it, each unknown name is reported once
with the number of cases it stopped, not once per case.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from csv_rows import read_rows, write_rows
from typer.testing import CliRunner

from pathways.cases import read_activity_map, read_cases, resolver
from pathways.cli import app
from pathways.errors import InputError
from pathways.model.resources import SAMPLE_CASES

runner = CliRunner()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample renamed as a system would, and the map back to the model."""
    folder = tmp_path_factory.mktemp("export")
    rows = read_rows(SAMPLE_CASES)
    activities = sorted({(r["authority"], r["pathway"], r["activity"]) for r in rows})
    roles = sorted({(r["authority"], r["role"]) for r in rows})
    local_activity = {key: f"SYS-{i:02d} {key[2].replace('-', ' ').upper()}" for i, key in enumerate(activities)}
    local_role = {key: f"R{i:02d}" for i, key in enumerate(roles)}
    renamed = [
        {
            **r,
            "activity": local_activity[r["authority"], r["pathway"], r["activity"]],
            "role": local_role[r["authority"], r["role"]],
        }
        for r in rows
    ]
    mapping = [
        {"local_name": local, "authority": a, "pathway": p, "step": step, "role": ""}
        for (a, p, step), local in local_activity.items()
    ] + [
        {"local_name": local, "authority": a, "pathway": "", "step": "", "role": role}
        for (a, role), local in local_role.items()
    ]
    return write_rows(folder / "export.csv", renamed), write_rows(folder / "map.csv", mapping)


def findings(*args: str) -> tuple[int, dict, str]:
    result = runner.invoke(app, ["validate", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_with_the_map_the_export_gets_the_samples_findings(export: tuple[Path, Path]) -> None:
    renamed, mapping = export
    code, mapped, _ = findings(str(renamed), "--activity-map", str(mapping))
    expected_code, original, _ = findings(str(SAMPLE_CASES))
    assert code == expected_code
    assert mapped["cases_audited"] == original["cases_audited"] == 24 and mapped["rejected"] == []
    assert mapped["findings"] == original["findings"]


def test_without_the_map_each_unknown_name_is_one_line_with_its_count(export: tuple[Path, Path]) -> None:
    renamed, _ = export
    code, report, stderr = findings(str(renamed))
    assert code == 2 and report["cases_audited"] == 0 and len(report["rejected"]) == 24
    lines = [line for line in stderr.splitlines() if line.startswith("pathways: rejected:")]
    grouped = [line for line in lines if " cases name the " in line]
    assert grouped, stderr
    assert all("--activity-map" in line for line in grouped)
    assert len(lines) < 24, "one line per unknown name, not one per case"
    counted = sum(int(line.split("rejected: ")[1].split(" ")[0]) for line in grouped)
    assert counted + (len(lines) - len(grouped)) == 24


def test_trace_takes_the_map_too(export: tuple[Path, Path]) -> None:
    renamed, mapping = export
    result = runner.invoke(app, ["trace", str(renamed), "--case-id", "K-002", "--activity-map", str(mapping)])
    assert result.exit_code == 0, result.output


def test_local_and_model_names_may_be_mixed(export: tuple[Path, Path], tmp_path: Path) -> None:
    renamed, mapping = export
    rows = read_rows(renamed)
    original = read_rows(SAMPLE_CASES)
    mixed = [o if i % 2 else r for i, (r, o) in enumerate(zip(rows, original, strict=True))]
    batch = read_cases(
        [write_rows(tmp_path / "mixed.csv", mixed)], read_activity_map(mapping.read_text(), "map.csv").apply()
    )
    assert not batch.rejected and len(batch.cases) == 24


HEADER = "local_name,authority,pathway,step,role\n"
BAD_MAPS = {
    "unknown step": (
        "Closure,knowsley,step-down-cin,final-meeting,\n",
        "map.csv, row 2: step 'final-meeting' is not in the model",
    ),
    "unknown role": ("SW,knowsley,,,Social Wrker\n", "map.csv, row 2: role 'Social Wrker' is not in the model"),
    "both": (
        "X,knowsley,step-down-cin,final-cin-meeting,Social Worker\n",
        "map.csv, row 2: give a step (with its pathway) or a role, not both and not neither",
    ),
    "unknown authority": ("X,wirral,,,Social Worker\n", "map.csv, row 2: unknown authority 'wirral'"),
    "unknown pathway": ("X,knowsley,step-down,final-cin-meeting,\n", "map.csv, row 2: unknown pathway 'step-down'"),
    "a model name of another step": (
        "need-reduced,knowsley,step-down-cin,final-cin-meeting,\n",
        "map.csv, row 2: 'need-reduced' is already the model's name of another step",
    ),
    "one name, two steps": (
        "Meeting,knowsley,step-down-cin,final-cin-meeting,\nMeeting,knowsley,step-down-cin,first-taf-review,\n",
        "map.csv, row 3: 'Meeting' is mapped to two steps (see row 2)",
    ),
    "missing column": (None, "map.csv: missing column(s) role"),
}


@pytest.mark.parametrize("problem", BAD_MAPS)
def test_a_bad_map_is_one_line_naming_the_row(problem: str, tmp_path: Path) -> None:
    rows, expected = BAD_MAPS[problem]
    text = HEADER + rows if rows is not None else "local_name,authority,pathway,step\nX,knowsley,p,s\n"
    with pytest.raises(InputError) as caught:
        read_activity_map(text, "map.csv").apply(resolver())
    assert str(caught.value).startswith(expected), str(caught.value)
    path = tmp_path / "map.csv"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pathways", "validate", str(SAMPLE_CASES), "--activity-map", str(path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == f"pathways: error: {path}{str(caught.value).removeprefix('map.csv')}"


def test_the_csv_module_reads_the_map_the_way_a_spreadsheet_writes_it(tmp_path: Path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            ["local_name", "authority", "pathway", "step", "role"],
            ["CIN, final", "knowsley", "step-down-cin", "final-cin-meeting", ""],
        ]
    )
    mapped = read_activity_map("\ufeff" + buffer.getvalue(), "map.csv").apply()
    assert "cin, final" in mapped.steps("knowsley", "step-down-cin")


def test_rows_are_numbered_as_the_file_numbers_them_and_empty_rows_are_skipped() -> None:
    text = "Local_Name,Authority,Pathway,Step,Role\n\n\nX,Knowsley,step-down-cin,nope,\n,,,,\n"
    with pytest.raises(InputError) as caught:
        read_activity_map(text, "map.csv").apply()
    assert str(caught.value).startswith("map.csv, row 4: step 'nope' is not in the model")
    good = "Local_Name,Authority,Pathway,Step,Role\nSW,Knowsley,,,Social Worker\n,,,,\n"
    assert "sw" in read_activity_map(good, "map.csv").apply().roles("knowsley")
