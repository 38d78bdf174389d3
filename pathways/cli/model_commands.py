"""Commands that read the policy model: ``list``, ``show``, ``timescales``, ``export``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pathways.cli.app import emit, fail
from pathways.model import all_pathway_graphs, authority, pathway_summary, pathways, timescales
from pathways.model.summary import TIMESCALE_COLUMNS, timescale_row
from pathways.render import exports
from pathways.render.files import write_atomically
from pathways.render.tables import print_rows, to_json


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
    shapes = "shapes"


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
        for p in pathways()
    ]
    print_rows(rows, ["authority", "pathway", "title", "kind", "from", "to", "source"], "table")


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
        summary["obligations"],
        ["template", "target", "detail", "condition", "modality", "source", "id"],
        table_fmt,
        title="Obligations the audit checks (besides the timescales and the requirements)",
    )
    print_rows(
        summary["evidence_keys"],
        ["key", "step", "requirement", "modality", "source"],
        table_fmt,
        title="Evidence keys a record can carry",
    )
    print_rows(
        summary["routes"],
        ["route", "end", "handoffs", "shortest_working_days", "longest_working_days"],
        table_fmt,
        title="Routes from trigger to end",
    )


def list_timescales(
    authority_id: Annotated[str | None, typer.Option("--authority", "-a", help="Only this authority.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """List every timescale of the policies, one row each, with its paragraph."""
    if authority_id:
        authority(authority_id)
    rows = [timescale_row(t) for t in timescales(authority_id=authority_id)]
    columns = TIMESCALE_COLUMNS if fmt is not TableFormat.table else TIMESCALE_COLUMNS[:9]
    print_rows(rows, columns, fmt.value, title="Timescales")


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")] = ExportFormat.ttl,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: stdout); bpmn, mermaid, dot: or a folder."),
    ] = None,
    authority: Annotated[str | None, typer.Option("--authority", "-a", help="bpmn/mermaid: authority id.")] = None,
    pathway: Annotated[str | None, typer.Option("--pathway", "-p", help="bpmn/mermaid: pathway id.")] = None,
) -> None:
    """Export the whole model: Turtle, JSON-LD, GraphML (all pathway graphs), DOT (all flowcharts) or HTML
    (documentation of the vocabulary); or pathways as BPMN 2.0 XML (bpmn.io, Camunda Modeler) or Mermaid;
    or the SHACL shapes of the audit (shapes), to validate `validate --data-graph` output elsewhere.

    bpmn and mermaid: --authority A --pathway P writes that pathway to -o FILE or stdout; -o DIR (an
    existing folder, or a path with no file extension, created) writes every pathway (of --authority
    when given) as DIR/AUTHORITY--PATHWAY.bpmn or .mmd. dot: -o DIR writes one DIR/AUTHORITY--PATHWAY.dot
    per pathway.
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
        if fmt is ExportFormat.dot and output is not None and (output.is_dir() or not output.suffix):
            written = _flowchart_files(output)
            typer.echo(f"wrote {len(written)} files to {output}", err=True)
            return
        text = _flowcharts_dot() if fmt is ExportFormat.dot else exports.export_model(fmt.value)
    emit(text, output)


def _flowcharts_dot() -> str:
    """Every pathway's flowchart as DOT, one graph after another: drawn by ``viz``, which
    only the CLI composes with the core."""
    from viz.flowchart import flowchart

    return "\n".join(flowchart(g).source for g in all_pathway_graphs().values())


def _flowchart_files(directory: Path) -> list[Path]:
    """Every pathway's flowchart as DIRECTORY/AUTHORITY--PATHWAY.dot."""
    from viz.flowchart import flowchart

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for (authority_id, pathway_id), digraph in all_pathway_graphs().items():
        path = directory / f"{authority_id}--{pathway_id}.dot"
        write_atomically(path, flowchart(digraph).source)
        written.append(path)
    return written


def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Authority or alignment Turtle files (default: the shipped model)."),
    ] = None,
) -> None:
    """Check authority and alignment files against the vocabulary: one line per problem.

    Dangling transitions, unknown terms, units, modalities and kinds, pathways without one
    trigger or with a node that reaches no end, decisions without two labelled exits,
    uncited facts and quotes not found word for word in the policy text, roles outside
    their authority, malformed obligations, a policy without its issue date. Exit 0 when
    sound, 2 when a problem is found.
    """
    from pathways.model.checking import check_model

    for path in files or []:
        if not path.is_file():
            fail(f"{path}: no such file")
    problems = check_model(files or None)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(2)
    checked = len(files) if files else "the shipped model's"
    typer.echo(f"pathways: {checked} files checked: no problems", err=True)
