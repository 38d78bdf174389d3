"""Drawing a flowchart: ``render`` (optionally with one case's route and findings).

The drawing is ``viz``'s; this is the one place that composes it with the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pathways.audit import audit_case
from pathways.cases import read_cases, trace_case
from pathways.cli.app import fail
from pathways.model import pathway_graph


def render_command(
    authority: Annotated[str, typer.Argument(help="Authority id.")],
    pathway: Annotated[str, typer.Argument(help="Pathway id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.svg, .png, .pdf or .dot")],
    case: Annotated[Path | None, typer.Option("--case", help="Case file to draw on the flowchart.")] = None,
    case_id: Annotated[str | None, typer.Option("--case-id", help="Which case of the file.")] = None,
) -> None:
    """Draw a pathway's flowchart (optionally with one case's route and findings) to a file."""
    from viz.flowchart import flowchart, render
    from viz.overlay import case_overlay

    suffix = output.suffix.lower().lstrip(".")
    if suffix not in {"svg", "png", "pdf", "dot", "gv"}:
        fail(f"{output}: use a .svg, .png, .pdf or .dot file name")
    digraph = pathway_graph(authority, pathway)
    overlay = None
    if case is not None:
        if not case_id:
            fail("--case needs --case-id")
        record = read_cases([case]).case(case_id)
        if (record.authority, record.pathway) != (authority, pathway):
            fail(f"case {case_id} follows {record.authority}/{record.pathway}, not {authority}/{pathway}")
        findings = audit_case(record).findings
        overlay = case_overlay(record, trace_case(record, digraph, findings), findings)
    render(flowchart(digraph, overlay), str(output))
    typer.echo(f"wrote {output}", err=True)
