"""The ``pathways`` command line.

Every command reads the policy model from ``ontology/``; unusable input ends with one
line on standard error naming what is wrong, and exit code 2.
"""

from __future__ import annotations

import sys
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
        for a, b, d in sorted(
            digraph.edges(data=True), key=lambda e: (order.get(e[0], 0), order.get(e[1], 0))
        )
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
        typer.echo(
            f"{summary['title']}  ({summary['authority']}/{summary['pathway']}, source {summary['source']})"
        )
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
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the whole model: Turtle, JSON-LD, GraphML (all pathway graphs) or DOT (all flowcharts)."""
    text = exports.export_model(fmt.value)
    if output is None:
        sys.stdout.write(text)
    else:
        exports.write_atomically(output, text)
        typer.echo(f"wrote {output}", err=True)


if __name__ == "__main__":
    run()
