"""The ``pathways`` command line, in process (typer's CliRunner) and as the installed console script.

Exit codes: 0 success (validate: no Violation), 1 validate found a Violation, 2 unusable input,
which ends with one line on stderr and never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner

from pathways import cli
from pathways.cases import read_cases
from pathways.cli import app
from pathways.model.graph import all_pathway_graphs, pathway_graph
from pathways.model.loading import load_model
from pathways.model.policy import authorities, obligations, pathways
from pathways.model.vocabulary import PW

KNOWN_AUTHORITIES = ", ".join(a.id for a in authorities())

PATHWAYS_SCRIPT = Path(sys.executable).with_name("pathways")
TIMESCALE_HEADER = "authority,pathway,from_step,to_step,amount,unit,kind,modality,source"
FINDINGS_HEADER = "case_id,severity,rule,message,source,focus_event,evidence"
UNITS = {"hours", "days", "working_days", "weeks", "months", "weekday", "same_day"}

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def script(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script, as a user would."""
    assert PATHWAYS_SCRIPT.exists(), f"console script not installed at {PATHWAYS_SCRIPT}"
    return subprocess.run(
        [str(PATHWAYS_SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=60, cwd=cwd, check=False
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("pathways: error: ")
    return lines[0]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def compliant_csv(tmp_path_factory, sample_csv: Path, sample_truth) -> Path:
    """The sample cases that the truth file lists no deviation for."""
    deviant = {row["case_id"] for row in sample_truth}
    rows = list(csv.reader(sample_csv.open(newline="", encoding="utf-8")))
    kept = [rows[0], *(r for r in rows[1:] if r and r[0] not in deviant)]
    assert {"CE-001", "CE-004", "K-001", "K-004"} <= {r[0] for r in kept[1:]}
    path = tmp_path_factory.mktemp("compliant") / "compliant.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(kept)
    return path


@pytest.fixture(scope="module")
def with_bad_row(tmp_path_factory, sample_csv: Path) -> Path:
    """The sample plus one case whose only row names an activity no pathway has."""
    path = tmp_path_factory.mktemp("badrow") / "with-bad-row.csv"
    text = sample_csv.read_text(encoding="utf-8")
    text += (
        "" if text.endswith("\n") else "\n"
    ) + "ZZ-BAD,cheshire-east,step-down-cin,make-tea,2025-03-03,Family,,,,\n"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- help, list, show


@pytest.mark.parametrize(
    "command", ["", "list", "show", "timescales", "export", "validate", "trace", "synth", "render"]
)
def test_help(command: str) -> None:
    result = invoke(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
    assert "Traceback" not in result.output


def test_list_shows_every_pathway(expected_pathways, tabled_authorities) -> None:
    result = invoke("list")
    assert result.exit_code == 0, result.output
    rows = re.findall(r"^│ ([a-z0-9-]+)\s+│ ([a-z0-9-]+)\s+│", result.stdout, flags=re.MULTILINE)
    assert {(a, p) for a, p in rows if a in tabled_authorities} == expected_pathways
    assert {(p.authority.id, p.id) for p in pathways()} == set(rows)
    assert len(rows) == len(set(rows))


def test_show_json() -> None:
    result = invoke("show", "cheshire-east", "step-down-assessment", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["authority"], summary["pathway"]) == ("cheshire-east", "step-down-assessment")
    nodes = {n["id"]: n for n in summary["nodes"]}
    assert {"need-reduced", "complete-cf-assessment", "family-consents", "team-manager-agrees-step-down"} <= set(nodes)
    (trigger,) = [n for n, data in nodes.items() if data["kind"] == "trigger"]
    assert summary["nodes"][0]["id"] == trigger  # nodes in flow order
    # every node cites its paragraph, except what the model added (which says so)
    assert all((n["source"] or n["model_added"]) and n["label"] for n in summary["nodes"])
    assert any(n["model_added"] and not n["source"] for n in summary["nodes"])
    assert summary["transitions"]
    assert all(t["from"] in nodes and t["to"] in nodes for t in summary["transitions"])
    five_days = [
        t
        for t in summary["timescales"]
        if (t["amount"], t["unit"], t["source"]) == (5, "working_days", "3.1") and t["kind"] == "deadline"
    ]
    assert len(five_days) == 1, summary["timescales"]
    assert five_days[0]["from_step"] == "team-manager-agrees-step-down"
    assert summary["routes"]
    for route in summary["routes"]:
        assert route["route"][0] == trigger
        assert nodes[route["route"][-1]]["kind"] == "end"


def test_show_markdown_and_table() -> None:
    md = invoke("show", "knowsley", "step-down-cin", "-f", "md")
    assert md.exit_code == 0 and md.stdout.startswith("# ")
    table = invoke("show", "knowsley", "step-down-cin")
    assert table.exit_code == 0 and "knowsley/step-down-cin" in table.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["show", "nowhere", "step-down-cin"], "unknown authority 'nowhere'; known: " + KNOWN_AUTHORITIES),
        (["show", "cheshire-east", "step-sideways"], "unknown pathway 'step-sideways' for cheshire-east"),
    ],
)
def test_show_unknown_is_one_line_and_exit_2(args: list[str], expected: str) -> None:
    result = script(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert expected in one_error_line(result.stderr)


def test_run_turns_input_errors_into_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["pathways", "timescales", "--authority", "nowhere"])
    with pytest.raises(SystemExit) as caught:
        cli.run()
    assert caught.value.code == 2
    assert "unknown authority 'nowhere'" in one_error_line(capsys.readouterr().err)


# ---------------------------------------------------------------- timescales


EXPECTED_TIMESCALES = [
    # (authority, amount, unit, source, kind or None)
    ("cheshire-east", "5", "working_days", "3.1", None),
    ("cheshire-east", "2", "hours", "6.6", None),
    ("cheshire-east", None, "same_day", "6.6", "same_day"),
    ("cheshire-east", "24", "hours", "7.2", None),
    ("cheshire-east", "45", "days", "7.3", None),
    ("cheshire-east", "4", "weeks", "4.3", "lookback"),
    ("cheshire-east", "3", "months", "7.1", None),
    ("knowsley", "10", "working_days", "2", None),
    ("knowsley", "10", "days", "2", None),
    ("knowsley", "6", "weeks", "2", None),
    ("knowsley", None, "weekday", "4", "weekday"),
    ("knowsley", "20", "days", "4", None),
    ("knowsley", "5", "working_days", "4", None),
]


@pytest.fixture(scope="module")
def timescale_csv() -> tuple[str, list[dict[str, str]]]:
    result = invoke("timescales", "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout, csv_rows(result.stdout)


def test_timescales_csv_header(timescale_csv) -> None:
    text, _rows = timescale_csv
    assert text.splitlines()[0].split(",")[:9] == TIMESCALE_HEADER.split(",")


@pytest.mark.parametrize(("authority", "amount", "unit", "source", "kind"), EXPECTED_TIMESCALES)
def test_timescales_csv_has_row(timescale_csv, authority, amount, unit, source, kind) -> None:
    _text, rows = timescale_csv
    found = [
        r
        for r in rows
        if r["authority"] == authority
        and r["unit"] == unit
        and r["source"] == source
        and (amount is None or r["amount"] == amount)
        and (kind is None or r["kind"] == kind)
    ]
    assert found, f"no {amount} {unit} timescale citing {authority} §{source}"
    if unit == "weekday":
        assert found[0]["weekday"] == "Wednesday"


def test_timescales_csv_has_every_timescale_of_every_document(timescale_csv) -> None:
    _text, rows = timescale_csv
    model = load_model()
    in_model = {
        t
        for t in model.subjects(RDF.type, PW.Timescale)
        if (model.value(t, PW.onPathway), RDF.type, PW.Pathway) in model
    }
    assert len(rows) == len(in_model)
    with_timescales = {model.value(model.value(t, PW.onPathway), PW.authority) for t in in_model}
    assert {r["authority"] for r in rows} == {a.id for a in authorities() if a.iri in with_timescales}
    assert {r["unit"] for r in rows} <= UNITS
    for row in rows:
        assert row["from_step"] and row["to_step"] and row["kind"] and row["modality"] and row["source"], row
        assert row["amount"] or row["unit"] == "weekday", row


def test_timescales_json_for_one_authority() -> None:
    result = invoke("timescales", "--authority", "knowsley", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["authority"] for r in rows} == {"knowsley"}
    assert any((r["amount"], r["unit"], r["source"]) == (10, "working_days", "2") for r in rows)
    assert {r["unit"] for r in rows} <= UNITS


# ---------------------------------------------------------------- export


def test_export_ttl(tmp_path: Path) -> None:
    out = tmp_path / "model.ttl"
    result = invoke("export", "--format", "ttl", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    graph = Graph().parse(out, format="turtle")
    assert len(graph) == len(load_model())
    assert len(set(graph.subjects(RDF.type, PW.Pathway))) == len(pathways())


def test_export_jsonld(tmp_path: Path, no_network) -> None:
    out = tmp_path / "model.jsonld"
    result = invoke("export", "--format", "jsonld", "-o", out)
    assert result.exit_code == 0, result.output
    json.loads(out.read_text(encoding="utf-8"))
    graph = Graph().parse(out, format="json-ld")
    assert len(graph) == len(load_model())
    assert len(set(graph.subjects(RDF.type, PW.Pathway))) == len(pathways())


def test_export_graphml(tmp_path: Path) -> None:
    out = tmp_path / "model.graphml"
    result = invoke("export", "--format", "graphml", "-o", out)
    assert result.exit_code == 0, result.output
    combined = nx.read_graphml(out)
    graphs = all_pathway_graphs()
    assert len(graphs) == len(pathways())
    assert combined.number_of_nodes() == sum(g.number_of_nodes() for g in graphs.values())
    assert combined.number_of_edges() == sum(g.number_of_edges() for g in graphs.values())


def test_export_dot(tmp_path: Path) -> None:
    out = tmp_path / "model.dot"
    result = invoke("export", "--format", "dot", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "digraph" in text
    assert len(re.findall(r"^digraph ", text, flags=re.MULTILINE)) == len(pathways())


# ---------------------------------------------------------------- validate


def test_validate_sample_table_exits_1(sample_csv: Path) -> None:
    result = invoke("validate", sample_csv)
    assert result.exit_code == 1, result.output
    assert "Findings" in result.stdout
    assert "cases in: 24; audited: 24; rejected: 0" in result.stderr


def test_validate_sample_csv(sample_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    result = invoke("validate", sample_csv, "--format", "csv", "-o", out)
    assert result.exit_code == 1, result.output
    text = out.read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert header.split(",")[:7] == FINDINGS_HEADER.split(",")
    rows = csv_rows(text)
    assert any(r["severity"] == "Violation" for r in rows)
    sample_ids = {c.case_id for c in read_cases([sample_csv]).cases}
    assert {r["case_id"] for r in rows} <= sample_ids
    assert all(r["rule"] and r["message"] and r["source"] for r in rows)


def test_validate_sample_json(sample_csv: Path, sample_truth) -> None:
    result = invoke("validate", sample_csv, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["cases_in"] == 24 and report["cases_audited"] == 24
    assert report["rejected"] == []
    flagged = {f["case_id"] for f in report["findings"] if f["severity"] == "Violation"}
    assert flagged
    assert flagged <= {row["case_id"] for row in sample_truth}  # compliant cases are not flagged
    assert sum(s["findings"] for s in report["summary"]) == len(report["findings"])


def test_validate_sample_html(sample_csv: Path) -> None:
    result = invoke("validate", sample_csv, "--format", "html")
    assert result.exit_code == 1, result.output
    page = result.stdout
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "</html>" in page.lower()
    assert "§" in page
    assert "CE-002" in page


def test_validate_sample_ttl(sample_csv: Path) -> None:
    result = invoke("validate", sample_csv, "--format", "ttl")
    assert result.exit_code == 1, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    results = set(graph.subjects(RDF.type, SH.ValidationResult))
    assert results
    assert all(graph.value(r, SH.resultSeverity) is not None for r in results)


def test_validate_compliant_cases_exit_0(compliant_csv: Path, sample_truth) -> None:
    result = invoke("validate", compliant_csv, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["cases_audited"] == report["cases_in"] == 24 - len({row["case_id"] for row in sample_truth})
    assert not [f for f in report["findings"] if f["severity"] == "Violation"]


def test_validate_bad_row_exits_2_and_reports_the_good_cases(with_bad_row: Path, sample_csv: Path) -> None:
    result = invoke("validate", with_bad_row, "--format", "json")
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["cases_in"] == 25
    assert report["cases_audited"] == 24
    assert [r["case_id"] for r in report["rejected"]] == ["ZZ-BAD"]
    assert report["findings"] and "ZZ-BAD" not in {f["case_id"] for f in report["findings"]}
    rejected = [line for line in result.stderr.splitlines() if line.startswith("pathways: rejected: ")]
    assert len(rejected) == 1
    bad_row = len(sample_csv.read_text(encoding="utf-8").splitlines()) + 1
    assert f"{with_bad_row}, case ZZ-BAD, row {bad_row}: " in rejected[0]
    assert "'make-tea' is not a step of cheshire-east/step-down-cin" in rejected[0]


def test_validate_bad_row_via_console_script(with_bad_row: Path) -> None:
    result = script("validate", with_bad_row, "--format", "csv")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("cases in: 25; audited: 24; rejected: 1;")
    assert len(lines) == 2 and lines[1].startswith("pathways: rejected: ")
    assert str(with_bad_row) in lines[1]
    assert csv_rows(result.stdout), "the good cases are still reported"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"case_id;authority;pathway;activity;timestamp;role\nA;b;c;d;e;f\n", "missing column(s)"),
        (b"case_id,authority,pathway,activity,timestamp,role\nA,cheshire-east,x,\xff,2025-01-01,y\n", "not UTF-8"),
    ],
    ids=["empty", "semicolons", "not-utf8"],
)
def test_validate_unusable_file_via_console_script(content: bytes, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(content)
    result = script("validate", path)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert str(path) in line and expected in line


def test_validate_missing_file_exit_2(tmp_path: Path) -> None:
    result = script("validate", tmp_path / "missing.csv")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- trace


def skipped_target(row: dict) -> str:
    """The step a skip-step deviation removed: the target of the existence obligation named."""
    obligation_id = row["expected_rule"].removeprefix("existence:")
    return next(o.target for plan in pathways() for o in obligations(None, plan) if o.id == obligation_id)


def test_trace_of_a_case_with_a_skipped_step(sample_csv: Path, sample_truth) -> None:
    truth = next(row for row in sample_truth if row["deviation"] == "skip-step")
    result = invoke("trace", sample_csv, "--case-id", truth["case_id"], "--format", "json")
    assert result.exit_code == 0, result.output
    trace = json.loads(result.stdout)
    digraph = pathway_graph(trace["authority"], trace["pathway"])
    assert digraph.nodes[trace["route"][0]]["kind"] == "trigger"
    skipped_step = skipped_target(truth)
    assert skipped_step in trace["skipped"]
    assert skipped_step in trace["route"] and skipped_step not in trace["visited"]


def test_trace_every_skip_step_of_the_truth_file(sample_csv: Path, sample_truth) -> None:
    skips = [row for row in sample_truth if row["deviation"] == "skip-step"]
    assert skips
    for row in skips:
        result = invoke("trace", sample_csv, "--case-id", row["case_id"], "--format", "json")
        assert result.exit_code == 0, result.output
        trace = json.loads(result.stdout)
        assert skipped_target(row) in trace["skipped"], (row, trace)


def test_trace_table(sample_csv: Path, sample_truth) -> None:
    truth = next(row for row in sample_truth if row["deviation"] == "skip-step")
    result = invoke("trace", sample_csv, "--case-id", truth["case_id"])
    assert result.exit_code == 0, result.output
    assert f"Case {truth['case_id']}: " in result.stdout
    assert "skipped" in result.stdout


def test_trace_unknown_case_is_one_line(sample_csv: Path) -> None:
    result = script("trace", sample_csv, "--case-id", "NOPE-1")
    assert result.returncode == 2
    assert "no case 'NOPE-1'" in one_error_line(result.stderr)


# ---------------------------------------------------------------- synth


def test_synth_is_reproducible(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for path, seed in [(first, 7), (again, 7), (other, 8)]:
        result = invoke("synth", "--cases", 20, "--seed", seed, "-o", path)
        assert result.exit_code == 0, result.output
        assert f"wrote 20 cases to {path}" in result.stderr
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    truth = tmp_path / "a-truth.csv"
    assert truth.exists()
    assert truth.read_bytes() == (tmp_path / "b-truth.csv").read_bytes()
    truth_rows = csv_rows(truth.read_text(encoding="utf-8"))
    assert truth.read_text(encoding="utf-8").startswith("case_id,deviation,expected_rule,expected_severity")
    batch = read_cases([first])
    assert not batch.rejected, [r.message for r in batch.rejected]
    assert len(batch.cases) == 20
    assert {r["case_id"] for r in truth_rows} <= {c.case_id for c in batch.cases}


def test_synth_truth_option(tmp_path: Path) -> None:
    cases, truth = tmp_path / "cases.csv", tmp_path / "elsewhere" / "t.csv"
    truth.parent.mkdir()
    result = invoke("synth", "-n", 5, "--seed", 3, "-o", cases, "--truth", truth, "--authority", "knowsley")
    assert result.exit_code == 0, result.output
    assert truth.exists() and not (tmp_path / "cases-truth.csv").exists()
    assert {c.authority for c in read_cases([cases]).cases} == {"knowsley"}


# ---------------------------------------------------------------- render


def test_render_svg(tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    result = invoke("render", "cheshire-east", "step-down-cin", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text and "</svg>" in text


def test_render_case_overlay_dot(tmp_path: Path, sample_csv: Path) -> None:
    import pygraphviz

    batch = read_cases([sample_csv])
    record = next(c for c in batch.cases if (c.authority, c.pathway) == ("cheshire-east", "step-down-cin"))
    out = tmp_path / "x.dot"
    result = invoke(
        "render", "cheshire-east", "step-down-cin", "--case", sample_csv, "--case-id", record.case_id, "-o", out
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("digraph")
    drawn = pygraphviz.AGraph(string=text)
    visited = {str(n) for n in drawn.nodes() if n.attr.get("class") == "visited"}
    assert visited == {e.node for e in record.events}


def test_render_refuses_unknown_suffix_and_wrong_pathway(tmp_path: Path, sample_csv: Path) -> None:
    bad_suffix = invoke("render", "cheshire-east", "step-down-cin", "-o", tmp_path / "x.txt")
    assert bad_suffix.exit_code == 2
    assert "use a .svg, .png, .pdf or .dot file name" in bad_suffix.stderr
    wrong = invoke(
        "render", "knowsley", "step-down-cin", "--case", sample_csv, "--case-id", "CE-004", "-o", tmp_path / "y.dot"
    )
    assert wrong.exit_code == 2
    assert "follows cheshire-east/step-down-cin, not knowsley/step-down-cin" in wrong.stderr
    assert not (tmp_path / "y.dot").exists()


def test_findings_csv_cannot_smuggle_a_spreadsheet_formula(tmp_path: Path, sample_csv: Path) -> None:
    """OWASP CSV injection: a case id read from a file is text in every CSV the project writes."""
    formula = '=HYPERLINK("http://example.org/x","open")'
    rows = list(csv.DictReader(sample_csv.open(encoding="utf-8")))
    target = next(r["case_id"] for r in rows if r["case_id"] == "CE-002")
    for row in rows:
        if row["case_id"] == target:
            row["case_id"] = formula
    cases = tmp_path / "cases.csv"
    with cases.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = tmp_path / "findings.csv"
    invoke("validate", str(cases), "--format", "csv", "-o", str(report))
    cells = [cell for row in csv.reader(report.open(encoding="utf-8")) for cell in row]
    assert "'" + formula in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_export_dot_names_each_graph_by_authority_and_can_write_one_file_each(tmp_path: Path) -> None:
    result = invoke("export", "--format", "dot")
    assert result.exit_code == 0, result.output
    names = re.findall(r"^digraph \"?([^\" ]+)\"? \{", result.stdout, flags=re.M)
    assert len(names) == len(set(names)) == len(pathways()) and "knowsley--step-down-cin" in names
    result = invoke("export", "--format", "dot", "-o", tmp_path / "charts")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert len(files) == len(pathways()) and "cheshire-east--step-up-immediate.dot" in files


def test_validate_table_with_output_writes_the_table_to_the_file(tmp_path: Path, sample_csv: Path) -> None:
    out = tmp_path / "findings.txt"
    result = invoke("validate", sample_csv, "--format", "table", "-o", out)
    assert result.exit_code == 1, result.output  # the sample has violations on purpose
    text = out.read_text(encoding="utf-8")
    assert "Findings" in text and "CE-002" in text and "\x1b[" not in text
