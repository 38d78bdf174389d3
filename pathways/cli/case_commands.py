"""Commands on case records: ``validate`` (the audit), ``trace`` and ``synth``."""

from __future__ import annotations

import os
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pathways.audit import (
    DEFAULT_ENGINE,
    ENGINES,
    FINDING_COLUMNS,
    AuditResult,
    audit_case,
    audit_cases,
    available_cores,
    data_graph,
    findings_rows,
    summary_rows,
)
from pathways.cases import (
    BATCH_BYTES,
    MAX_FILE_BYTES,
    load_activity_map,
    read_batches,
    read_cases,
    trace_case,
    unmapped_names,
)
from pathways.cases import pseudonymise as pseudonymise_batch
from pathways.cases.csv_columns import release_columns
from pathways.cases.resolving import fold
from pathways.cases.synth import cases_csv, sample_set, synthesise, truth_csv
from pathways.cases.xes import cases_xes
from pathways.cli.app import emit, fail
from pathways.cli.model_commands import ShowFormat
from pathways.model import authority, pathway_graph
from pathways.render.audit_report import html_report
from pathways.render.files import write_atomically
from pathways.render.tables import print_rows, to_csv, to_json, to_table_text


class AuditFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"
    ttl = "ttl"


# The engines the audit has (pathways.audit.engines), the default first.
Engine = StrEnum("Engine", {name: name for name in ENGINES})
DEFAULT = Engine(DEFAULT_ENGINE)
ENGINE_HELP = " or ".join(f"{e.name} ({e.description})" for e in ENGINES.values()) + "."


def _pseudonym_key(key_file: Path | None) -> bytes:
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            fail(f"{key_file}: cannot be read: {exc.strerror or exc}")
    else:
        key = os.environ.get("PATHWAYS_PSEUDONYM_KEY", "").encode("utf-8")
    if len(key) < 16:
        fail("--pseudonymise needs a key of at least 16 characters (--key-file or PATHWAYS_PSEUDONYM_KEY)")
    return key


def _progress_printer(every_seconds: float = 5.0):
    """A progress callback printing 'audited N of M cases' to stderr every few seconds
    (so short runs print nothing)."""
    started = last = time.monotonic()

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= every_seconds and done < total:
            last = now
            rate = done / (now - started)
            typer.echo(
                f"pathways: audited {done:,} of {total:,} cases ({rate:,.0f} cases/s, "
                f"about {(total - done) / rate:,.0f} s to go)",
                err=True,
            )

    return report


def validate_cases(
    cases: Annotated[list[Path], typer.Argument(help="Case files: CSV event logs, Turtle (.ttl) or JSON-LD.")],
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="Report format.")] = AuditFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    engine: Annotated[Engine, typer.Option(help=ENGINE_HELP)] = DEFAULT,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise",
            help="Replace case ids in the report by keyed hashes; the key comes from --key-file "
            "or the PATHWAYS_PSEUDONYM_KEY environment variable.",
        ),
    ] = False,
    key_file: Annotated[Path | None, typer.Option(help="File holding the pseudonymisation key.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Processes auditing side by side (0, the default: one per CPU core available); the columnar "
            "engine uses every core in one process.",
        ),
    ] = 0,
    activity_map: Annotated[Path | None, typer.Option("--activity-map", help=ACTIVITY_MAP_HELP)] = None,
    data_graph_file: Annotated[
        Path | None,
        typer.Option(
            "--data-graph",
            help="Also write the data graph the shapes validate (Turtle; .nt: N-Triples), to re-run the audit "
            "with another SHACL engine beside `pathways export --format shapes`.",
        ),
    ] = None,
    max_file_mb: Annotated[
        int, typer.Option("--max-file-mb", min=1, help="Refuse a file larger than this many MB, before reading it.")
    ] = MAX_FILE_BYTES // 2**20,
    batch_mb: Annotated[
        int,
        typer.Option(
            "--batch-mb",
            min=1,
            help="Read and audit a CSV file larger than this many MB in batches of whole cases of about this "
            "size (its rows must then be grouped by case).",
        ),
    ] = BATCH_BYTES // 2**20,
) -> None:
    """Audit case records against the policy: one finding per departure, each citing its paragraph.

    Exit code 0 when no case has a Violation, 1 when some case has one, 2 when some input
    could not be used (the usable cases are still audited and reported).
    """
    key = _pseudonym_key(key_file) if pseudonymise else None
    lookup = _lookup(activity_map)
    if data_graph_file is not None:  # the data graph is of every case at once: read whole
        batches = (read_cases(cases, lookup, max_file_mb * 2**20) for _ in range(1))  # read when first asked
    else:
        batches = read_batches(cases, lookup, max_bytes=max_file_mb * 2**20, batch_bytes=batch_mb * 2**20)
    result = AuditResult()
    read_seconds = audit_seconds = 0.0
    while True:
        started = time.perf_counter()
        batch = next(batches, None)
        read_seconds += time.perf_counter() - started
        if batch is None:
            break
        if key is not None:
            batch = pseudonymise_batch(batch, key)
        if data_graph_file is not None:
            fmt_name = "nt" if data_graph_file.suffix.lower() == ".nt" else "turtle"
            write_atomically(data_graph_file, data_graph(batch.cases).serialize(format=fmt_name))
            typer.echo(f"wrote the data graph of {len(batch.cases)} cases to {data_graph_file}", err=True)
        started = time.perf_counter()
        part = audit_cases(
            batch, progress=_progress_printer(), engine_name=engine.value, workers=workers or available_cores()
        )
        audit_seconds += time.perf_counter() - started
        release_columns(batch.cases)  # the report reads the findings, not the events: memory holds one batch
        result.results += part.results
        result.rejected += part.rejected
    rows = findings_rows(result.findings)
    if fmt is AuditFormat.ttl:
        emit(result.report_graph().serialize(format="turtle"), output)
    elif fmt is AuditFormat.html:
        emit(html_report(result, sources=[str(c) for c in cases]), output)
    elif fmt is AuditFormat.json:
        emit(
            to_json(
                {
                    "summary": summary_rows(result),
                    "findings": rows,
                    "rejected": [{"case_id": r.case_id, "message": r.message} for r in result.rejected],
                    "cases_in": result.cases_in,
                    "cases_audited": len(result.results),
                }
            ),
            output,
        )
    elif fmt is AuditFormat.csv:
        emit(to_csv(rows, [*FINDING_COLUMNS, "quote"]), output)
    elif output is not None:
        emit(to_table_text(rows, FINDING_COLUMNS, title="Findings"), output)
    else:
        print_rows(rows, FINDING_COLUMNS, "table", title="Findings")
        print_rows(summary_rows(result), ["rule", "severity", "findings"], "table", title="Findings by rule")
    counts = result.by_severity()
    typer.echo(
        f"cases in: {result.cases_in}; audited: {len(result.results)}; rejected: {len(result.rejected)}; "
        f"findings: {counts.get('Violation', 0)} violations, {counts.get('Warning', 0)} warnings, "
        f"{counts.get('Info', 0)} info; read in {read_seconds:.1f} s, audited in {audit_seconds:.1f} s",
        err=True,
    )
    report_rejections(result.rejected)
    if result.rejected:
        raise typer.Exit(2)
    raise typer.Exit(1 if result.has_violations else 0)


ACTIVITY_MAP_HELP = (
    "CSV of a case-management system's own names: local_name,authority,pathway,step,role "
    "(a step with its pathway, or a role, per row)."
)


def _lookup(activity_map: Path | None):
    """The name resolver: the model's names, plus an activity map's when one is given."""
    return load_activity_map(activity_map).apply() if activity_map is not None else None


def report_rejections(rejected) -> None:
    """One line per rejected case; a name the model (and activity map) does not know that
    rejects several cases is one line, with the count, not one per case."""
    repeated = {(kind, fold(name), where): (name, n) for kind, name, where, n in unmapped_names(rejected) if n > 1}
    for rejection in rejected:
        unknown = rejection.unknown
        if unknown is None or (unknown[0], fold(unknown[1]), unknown[2]) not in repeated:
            typer.echo(f"pathways: rejected: {rejection.message}", err=True)
    for (kind, _, where), (name, n) in repeated.items():
        typer.echo(
            f"pathways: rejected: {n} cases name the {kind} {name!r}, which is not in {where} "
            "(map it with --activity-map)",
            err=True,
        )


def trace_command(
    cases: Annotated[list[Path], typer.Argument(help="Case files (CSV, Turtle or JSON-LD).")],
    case_id: Annotated[str, typer.Option("--case-id", help="The case to trace.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table or json.")] = ShowFormat.table,
    activity_map: Annotated[Path | None, typer.Option("--activity-map", help=ACTIVITY_MAP_HELP)] = None,
) -> None:
    """Show the route a case took through its flowchart: steps in order, skipped, out of order.

    "skipped" is what the audit reports missing (the same as `validate`); a step the drawn
    route passes with no record is "not recorded", which is not a finding.
    """
    record = read_cases(cases, _lookup(activity_map)).case(case_id)
    trace = trace_case(record, findings=audit_case(record).findings)
    if fmt is ShowFormat.json:
        print(to_json(trace.as_dict()), end="")
        return
    digraph = pathway_graph(record.authority, record.pathway)
    rows = [
        {
            "step": node,
            "label": digraph.nodes[node]["label"],
            "kind": digraph.nodes[node]["kind"],
            "dates": trace.visited.get(node, []),
            "status": _status(node, trace),
        }
        for node in trace.route
    ]
    typer.echo(f"Case {record.case_id}: {record.authority}/{record.pathway}")
    print_rows(rows, ["step", "label", "kind", "dates", "status"], "table", title="Route")
    if trace.out_of_order:
        print_rows(
            [{"step": a, "before": b} for a, b in trace.out_of_order],
            ["step", "before"],
            "table",
            title="Out of the drawn order (audited only where the text states the order: see validate)",
        )
    if trace.unmatched:
        typer.echo("Events matching no step: " + ", ".join(trace.unmatched))


def _status(node: str, trace) -> str:
    if node in trace.visited:
        return "done"
    if node in trace.skipped:
        return "skipped"
    return "not recorded" if node in trace.not_recorded else "passed"


def synth_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File for the cases: a CSV event log, or an XES log (.xes).")
    ],
    count: Annotated[int, typer.Option("--cases", "-n", min=1, max=1_000_000, help="How many cases.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same cases.")] = 1,
    authority_id: Annotated[str | None, typer.Option("--authority", "-a", help="Only this authority.")] = None,
    deviations: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of cases given a deviation.")] = 0.3,
    truth: Annotated[Path | None, typer.Option(help="Ground-truth CSV (default: OUTPUT with -truth.csv).")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="The shipped sample set (3 cases a pathway).")] = False,
) -> None:
    """Generate synthetic case records from the pathway graphs, with known injected deviations."""
    if authority_id:
        authority(authority_id)
    cases, injected = sample_set() if sample else synthesise(count, seed, authority_id, deviations)
    count = len(cases)
    truth = truth or output.with_name(output.stem + "-truth.csv")
    write_atomically(output, cases_xes(cases) if output.suffix.lower() == ".xes" else cases_csv(cases))
    write_atomically(truth, truth_csv(injected))
    typer.echo(f"wrote {count} cases to {output} and {len(injected)} injected deviations to {truth}", err=True)
