"""Exports of the whole model to formats other tools open."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import networkx as nx

from .graph import all_pathway_graphs
from .model import load_model
from .vocab import PREFIXES


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that a reader never sees half of it: temp file, then rename."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def combined_graph() -> nx.DiGraph:
    """All pathway graphs in one DiGraph, node ids qualified as authority/pathway/node.

    List-valued attributes are joined with '; ' and timescales summarised, since GraphML
    holds scalars only.
    """
    combined = nx.DiGraph()
    for (authority, pathway), digraph in all_pathway_graphs().items():
        prefix = f"{authority}/{pathway}/"
        for node, data in digraph.nodes(data=True):
            combined.add_node(prefix + node, authority=authority, pathway=pathway, **_scalars(data))
        for source, target, data in digraph.edges(data=True):
            combined.add_edge(prefix + source, prefix + target, **_scalars(data))
    return combined


def _scalars(data: dict) -> dict:
    flat = {}
    for key, value in data.items():
        if key == "timescales":
            flat[key] = "; ".join(
                f"{row.describe()} {row.kind} from {row.from_step} (\u00a7{row.source})" for row in value
            )
        elif isinstance(value, list | tuple | set):
            flat[key] = "; ".join(str(v) for v in value)
        elif isinstance(value, bool | int | float | str):
            flat[key] = value
        else:
            flat[key] = str(value)
    return flat


PATHWAY_FORMATS = {"bpmn": ".bpmn", "mermaid": ".mmd"}


def export_pathway(fmt: str, authority: str, pathway: str) -> str:
    """One pathway as BPMN 2.0 XML or as a Mermaid flowchart."""
    from .graph import pathway_graph

    digraph = pathway_graph(authority, pathway)
    if fmt == "bpmn":
        from .bpmn import pathway_bpmn

        return pathway_bpmn(digraph)
    if fmt == "mermaid":
        from .mermaid import pathway_mermaid

        return pathway_mermaid(digraph)
    raise ValueError(f"unknown pathway export format {fmt!r}")


def export_pathways(fmt: str, directory: Path, authority: str | None = None) -> list[Path]:
    """Every pathway (of one authority, when given) into ``directory``, one AUTHORITY--PATHWAY file each."""
    from . import catalogue

    if authority:
        catalogue.authority(authority)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for plan in catalogue.pathways(authority_id=authority):
        path = directory / f"{plan.authority.id}--{plan.id}{PATHWAY_FORMATS[fmt]}"
        write_atomically(path, export_pathway(fmt, plan.authority.id, plan.id))
        written.append(path)
    return written


def export_model(fmt: str, authority: str | None = None, pathway: str | None = None) -> str:
    """The whole model as text in ttl, jsonld, graphml, dot or html (vocabulary documentation);
    one pathway (``authority`` and ``pathway``) in bpmn or mermaid."""
    if fmt in PATHWAY_FORMATS:
        if not (authority and pathway):
            raise ValueError(f"{fmt} export is per pathway: give the authority and pathway ids")
        return export_pathway(fmt, authority, pathway)
    if fmt == "html":
        from .ontology_docs import vocabulary_html

        return vocabulary_html()
    if fmt == "ttl":
        return load_model().serialize(format="turtle")
    if fmt == "jsonld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return load_model().serialize(format="json-ld", context=context, indent=2)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(combined_graph(), prettyprint=True)) + "\n"
    if fmt == "dot":
        from viz.flowchart import flowchart

        return "\n".join(flowchart(g).source for g in all_pathway_graphs().values())
    raise ValueError(f"unknown export format {fmt!r}")
