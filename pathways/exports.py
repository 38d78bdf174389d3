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


def export_model(fmt: str) -> str:
    """The whole model as text in ttl, jsonld, graphml or dot."""
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
