"""The ``pathways`` command line.

Every command reads the policy model from ``ontology/``; unusable input ends with one
line on standard error naming what is wrong, and exit code 2.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import catalogue, exports
from .errors import InputError
from .graph import handoffs, pathway_graph, roles_of, route_bounds, routes
from .tables import print_rows, to_json

app = typer.Typer(
    help="Step Up / Step Down pathways of English children's social care, as a cited knowledge model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ShowFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


class ExportFormat(StrEnum):
    ttl = "ttl"
    jsonld = "jsonld"
    graphml = "graphml"
    dot = "dot"
    html = "html"
    bpmn = "bpmn"
    mermaid = "mermaid"


def fail(message: str, code: int = 2) -> None:
    """End the command with one line on stderr."""
    typer.echo(f"pathways: error: {message}", err=True)
    raise typer.Exit(code)


def run() -> None:
    """Entry point that turns input errors into one line and exit code 2."""
    try:
        app()
    except InputError as exc:
        typer.echo(f"pathways: error: {exc}", err=True)
        sys.exit(exc.exit_code)


@app.command("list")
def list_pathways() -> None:
    """List the authorities and their pathways (id, title, source sections)."""
    rows = [
        {
            "authority": p.authority.id,
            "pathway": p.id,
            "title": p.flowchart_title,
            "kind": p.kind,
            "from": p.from_levels,
            "to": p.to_levels,
            "source": p.source,
        }
        for p in catalogue.pathways()
    ]
    print_rows(rows, ["authority", "pathway", "title", "kind", "from", "to", "source"], "table")


def pathway_summary(authority_id: str, pathway_id: str) -> dict:
    """Everything a policy author reads about one pathway, as plain data."""
    plan = catalogue.pathway(authority_id, pathway_id)
    digraph = pathway_graph(authority_id, pathway_id)
    nodes = [
        {
            "id": node,
            "kind": data["kind"],
            "label": data["label"],
            "roles": roles_of(data),
            "involves": data["involves"],
            "modality": data["modality"],
            "wording": data["wording"],
            "optional": data["optional"],
            "documents": sorted(set(data["uses"]) | set(data["produces"])),
            "level": data["level"],
            "source": data["source"],
            "quote": data["quote"],
            "ambiguity": data["ambiguity"],
        }
        for node, data in digraph.nodes(data=True)
    ]
    order = {node: i for i, node in enumerate(_flow_order(digraph))}
    nodes.sort(key=lambda n: order.get(n["id"], len(order)))
    transitions = [
        {"from": a, "to": b, "condition": d["condition"], "source": d["source"]}
        for a, b, d in sorted(digraph.edges(data=True), key=lambda e: (order.get(e[0], 0), order.get(e[1], 0)))
    ]
    route_rows = []
    for route in routes(digraph):
        bounds = route_bounds(digraph, route)
        route_rows.append(
            {
                "route": route,
                "end": digraph.nodes[route[-1]]["label"],
                "handoffs": [
                    f"{' / '.join(h.from_roles)} -> {' / '.join(h.to_roles)} at {h.at}"
                    for h in handoffs(digraph, route)
                ],
                "shortest_working_days": bounds.shortest,
                "longest_working_days": bounds.longest,
            }
        )
    return {
        "authority": plan.authority.id,
        "pathway": plan.id,
        "title": plan.flowchart_title,
        "kind": plan.kind,
        "direction": plan.direction,
        "from_levels": list(plan.from_levels),
        "to_levels": list(plan.to_levels),
        "source": plan.source,
        "definition": plan.definition,
        "nodes": nodes,
        "transitions": transitions,
        "timescales": [_timescale_row(t) for t in digraph.graph["timescales"]],
        "routes": route_rows,
    }


def _flow_order(digraph) -> list[str]:
    import networkx as nx

    start = next((n for n, k in digraph.nodes(data="kind") if k == "trigger"), None)
    return list(nx.bfs_tree(digraph, start)) if start else list(digraph)


TIMESCALE_COLUMNS = [
    "authority",
    "pathway",
    "from_step",
    "to_step",
    "amount",
    "unit",
    "kind",
    "modality",
    "source",
    "weekday",
    "audit_unit",
    "label",
    "quote",
    "ambiguity",
]


def _timescale_row(row: catalogue.Timescale) -> dict:
    return {column: getattr(row, column) for column in TIMESCALE_COLUMNS}


@app.command()
def show(
    authority: Annotated[str, typer.Argument(help="Authority id, e.g. cheshire-east or knowsley.")],
    pathway: Annotated[str, typer.Argument(help="Pathway id, as listed by 'pathways list'.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
) -> None:
    """Show one pathway: steps, decisions, roles, timescales, routes and citations."""
    summary = pathway_summary(authority, pathway)
    if fmt is ShowFormat.json:
        print(to_json(summary), end="")
        return
    table_fmt = "md" if fmt is ShowFormat.md else "table"
    if fmt is ShowFormat.md:
        print(
            f"# {summary['title']}\n\n{summary['definition']}\n\n"
            f"From {', '.join(summary['from_levels'])} to {', '.join(summary['to_levels'])}. "
            f"Source: {summary['source']}.\n"
        )
    else:
        typer.echo(f"{summary['title']}  ({summary['authority']}/{summary['pathway']}, source {summary['source']})")
    print_rows(
        summary["nodes"],
        ["id", "kind", "label", "roles", "modality", "source", "quote"],
        table_fmt,
        title="Steps and decisions",
    )
    print_rows(summary["transitions"], ["from", "to", "condition", "source"], table_fmt, title="Transitions")
    print_rows(
        summary["timescales"],
        ["from_step", "to_step", "amount", "unit", "kind", "modality", "source"],
        table_fmt,
        title="Timescales",
    )
    print_rows(
        summary["routes"],
        ["route", "end", "handoffs", "shortest_working_days", "longest_working_days"],
        table_fmt,
        title="Routes from trigger to end",
    )


@app.command("timescales")
def list_timescales(
    authority: Annotated[str | None, typer.Option("--authority", "-a", help="Only this authority.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """List every timescale of the policies, one row each, with its paragraph."""
    if authority:
        catalogue.authority(authority)
    rows = [_timescale_row(t) for t in catalogue.timescales(authority_id=authority)]
    columns = TIMESCALE_COLUMNS if fmt is not TableFormat.table else TIMESCALE_COLUMNS[:9]
    print_rows(rows, columns, fmt.value, title="Timescales")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")] = ExportFormat.ttl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout); bpmn/mermaid: or a folder.")
    ] = None,
    authority: Annotated[str | None, typer.Option("--authority", "-a", help="bpmn/mermaid: authority id.")] = None,
    pathway: Annotated[str | None, typer.Option("--pathway", "-p", help="bpmn/mermaid: pathway id.")] = None,
) -> None:
    """Export the whole model: Turtle, JSON-LD, GraphML (all pathway graphs), DOT (all flowcharts) or HTML
    (documentation of the vocabulary); or pathways as BPMN 2.0 XML (bpmn.io, Camunda Modeler) or Mermaid.

    bpmn and mermaid: --authority A --pathway P writes that pathway to -o FILE or stdout; -o DIR (an
    existing folder, or a path with no file extension, created) writes every pathway (of --authority
    when given) as DIR/AUTHORITY--PATHWAY.bpmn or .mmd.
    """
    if fmt.value in exports.PATHWAY_FORMATS:
        if output is not None and (output.is_dir() or not output.suffix):
            written = exports.export_pathways(fmt.value, output, authority)
            typer.echo(f"wrote {len(written)} files to {output}", err=True)
            return
        if not (authority and pathway):
            fail(f"--format {fmt.value} needs --authority and --pathway, or -o FOLDER for every pathway")
        text = exports.export_model(fmt.value, authority, pathway)
    else:
        if authority or pathway:
            fail("--authority and --pathway apply to --format bpmn and mermaid only")
        text = exports.export_model(fmt.value)
    _emit(text, output)


class AuditFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"
    ttl = "ttl"


class Engine(StrEnum):
    fast = "fast"
    pyshacl = "pyshacl"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        exports.write_atomically(output, text)
        typer.echo(f"wrote {output}", err=True)


def _pseudonym_key(key_file: Path | None) -> bytes:
    import os

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


@app.command("validate")
def validate_cases(
    cases: Annotated[list[Path], typer.Argument(help="Case files: CSV event logs, Turtle (.ttl) or JSON-LD.")],
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="Report format.")] = AuditFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    engine: Annotated[Engine, typer.Option(help="fast (set-at-a-time) or pyshacl (case by case).")] = Engine.fast,
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
        int, typer.Option(min=0, help="Processes auditing side by side (0, the default: one per CPU core available).")
    ] = 0,
) -> None:
    """Audit case records against the policy: one finding per departure, each citing its paragraph.

    Exit code 0 when no case has a Violation, 1 when some case has one, 2 when some input
    could not be used (the usable cases are still audited and reported).
    """
    from .audit import FINDING_COLUMNS, audit, findings_rows, summary_rows
    from .cases import read_cases
    from .report import html_report

    started = time.perf_counter()
    batch = read_cases(cases)
    read_seconds = time.perf_counter() - started
    if pseudonymise:
        from .cases import pseudonymise as pseudonymise_batch

        batch = pseudonymise_batch(batch, _pseudonym_key(key_file))
    from .workers import available_cores

    started = time.perf_counter()
    result = audit(batch, progress=_progress_printer(), engine_name=engine.value, workers=workers or available_cores())
    audit_seconds = time.perf_counter() - started
    rows = findings_rows(result.findings)
    if fmt is AuditFormat.ttl:
        _emit(result.report_graph().serialize(format="turtle"), output)
    elif fmt is AuditFormat.html:
        _emit(html_report(result, sources=[str(c) for c in cases]), output)
    elif fmt is AuditFormat.json:
        _emit(
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
        from .tables import to_csv

        _emit(to_csv(rows, [*FINDING_COLUMNS, "quote"]), output)
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
    for rejection in result.rejected:
        typer.echo(f"pathways: rejected: {rejection.message}", err=True)
    if result.rejected:
        raise typer.Exit(2)
    raise typer.Exit(1 if result.has_violations else 0)


@app.command("trace")
def trace_command(
    cases: Annotated[list[Path], typer.Argument(help="Case files (CSV, Turtle or JSON-LD).")],
    case_id: Annotated[str, typer.Option("--case-id", help="The case to trace.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table or json.")] = ShowFormat.table,
) -> None:
    """Show the route a case took through its flowchart: steps in order, skipped, out of order."""
    from .cases import read_cases
    from .trace import trace_case

    record = read_cases(cases).case(case_id)
    trace = trace_case(record)
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
            "status": "done" if node in trace.visited else ("skipped" if node in trace.skipped else "passed"),
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
            title="Out of order (done before a step the policy puts first)",
        )
    if trace.unmatched:
        typer.echo("Events matching no step: " + ", ".join(trace.unmatched))


@app.command("synth")
def synth_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file for the cases.")],
    count: Annotated[int, typer.Option("--cases", "-n", min=1, max=1_000_000, help="How many cases.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same cases.")] = 1,
    authority: Annotated[str | None, typer.Option("--authority", "-a", help="Only this authority.")] = None,
    deviations: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of cases given a deviation.")] = 0.3,
    truth: Annotated[Path | None, typer.Option(help="Ground-truth CSV (default: OUTPUT with -truth.csv).")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="The shipped sample set (3 cases a pathway).")] = False,
) -> None:
    """Generate synthetic case records from the pathway graphs, with known injected deviations."""
    from .synth import cases_csv, sample_set, synthesise, truth_csv

    if authority:
        catalogue.authority(authority)
    cases, injected = sample_set() if sample else synthesise(count, seed, authority, deviations)
    count = len(cases)
    truth = truth or output.with_name(output.stem + "-truth.csv")
    exports.write_atomically(output, cases_csv(cases))
    exports.write_atomically(truth, truth_csv(injected))
    typer.echo(f"wrote {count} cases to {output} and {len(injected)} injected deviations to {truth}", err=True)


@app.command("render")
def render_command(
    authority: Annotated[str, typer.Argument(help="Authority id.")],
    pathway: Annotated[str, typer.Argument(help="Pathway id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.svg, .png, .pdf or .dot")],
    case: Annotated[Path | None, typer.Option("--case", help="Case file to draw on the flowchart.")] = None,
    case_id: Annotated[str | None, typer.Option("--case-id", help="Which case of the file.")] = None,
) -> None:
    """Draw a pathway's flowchart (optionally with one case's route and findings) to a file."""
    from viz.flowchart import flowchart, render

    suffix = output.suffix.lower().lstrip(".")
    if suffix not in {"svg", "png", "pdf", "dot", "gv"}:
        fail(f"{output}: use a .svg, .png, .pdf or .dot file name")
    digraph = pathway_graph(authority, pathway)
    overlay = None
    if case is not None:
        from viz.overlay import case_overlay

        from .audit import audit_cases_fast
        from .cases import read_cases
        from .trace import trace_case

        if not case_id:
            fail("--case needs --case-id")
        record = read_cases([case]).case(case_id)
        if (record.authority, record.pathway) != (authority, pathway):
            fail(f"case {case_id} follows {record.authority}/{record.pathway}, not {authority}/{pathway}")
        findings = audit_cases_fast([record])[0].findings
        overlay = case_overlay(record, trace_case(record, digraph), findings)
    render(flowchart(digraph, overlay), str(output))
    typer.echo(f"wrote {output}", err=True)


class CompareFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    html = "html"
    json = "json"


@app.command("compare")
def compare_command(
    authority_a: Annotated[str, typer.Argument(help="First authority id, e.g. cheshire-east.")],
    authority_b: Annotated[str, typer.Argument(help="Second authority id, e.g. knowsley.")],
    pathway_kind: Annotated[
        str | None,
        typer.Option("--pathway-kind", "-k", help="Only this kind, e.g. step-down-from-cin (see 'pathways list')."),
    ] = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Compare two authorities' pathways side by side, from the alignment in ontology/alignments/.

    For each aligned pair of pathways: trigger, steps and decisions (who decides), roles, hand-offs,
    documents, required contents, timescales, escalation, monitoring and what only one policy has, each
    row citing both policies' paragraphs; then summary metrics (steps, decisions, roles, hand-offs,
    routes, time bounds in working days).
    """
    from . import compare

    result = compare.compare(authority_a, authority_b, pathway_kind)
    if fmt is CompareFormat.table and output is None:
        compare.print_table(result)
        return
    if fmt is CompareFormat.json:
        text = to_json(compare.as_json(result))
    elif fmt is CompareFormat.html:
        text = compare.to_html(result)
    elif fmt is CompareFormat.csv:
        from .tables import to_csv

        text = to_csv(compare.flat_rows(result), compare.columns(result))
    else:
        text = compare.to_markdown(result)
    _emit(text, output)


if __name__ == "__main__":
    run()
