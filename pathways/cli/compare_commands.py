"""Comparing two authorities: ``compare``, from the alignment files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pathways.cli.app import emit
from pathways.compare import compare_authorities
from pathways.render import comparison
from pathways.render.tables import to_csv, to_json


class CompareFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    html = "html"
    json = "json"


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
    result = compare_authorities(authority_a, authority_b, pathway_kind)
    if fmt is CompareFormat.table and output is None:
        comparison.print_table(result)
        return
    if fmt is CompareFormat.json:
        text = to_json(comparison.as_json(result))
    elif fmt is CompareFormat.html:
        text = comparison.to_html(result)
    elif fmt is CompareFormat.csv:
        text = to_csv(comparison.flat_rows(result), comparison.columns(result))
    else:
        text = comparison.to_markdown(result)
    emit(text, output)
