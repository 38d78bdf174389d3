"""Exports of the model to formats other tools open: Turtle, JSON-LD, GraphML, vocabulary
documentation (HTML), and one pathway as BPMN 2.0 or Mermaid."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from pathways.errors import UsageError
from pathways.model import policy as catalogue
from pathways.model.graph import all_pathway_graphs, pathway_graph
from pathways.model.loading import load_model
from pathways.model.vocabulary import PREFIXES
from pathways.render.bpmn import pathway_bpmn
from pathways.render.files import write_atomically
from pathways.render.mermaid import pathway_mermaid
from pathways.render.vocabulary_docs import vocabulary_html


def combined_graph() -> nx.DiGraph:
    """All pathway graphs in one DiGraph, node ids qualified as authority/pathway/node.

    List-valued attributes are joined with '; ' and timescales summarised, since GraphML
    holds scalars only.
    """
    combined = nx.DiGraph()
    for (authority, pathway), digraph in all_pathway_graphs().items():
        prefix = f"{authority}/{pathway}/"
        for node, data in digraph.nodes(data=True):
            # GraphML readers (igraph) take an attribute named "id" for the node's own id
            attributes = {("step_id" if k == "id" else k): v for k, v in _scalars(data).items()}
            combined.add_node(prefix + node, authority=authority, pathway=pathway, **attributes)
        for source, target, data in digraph.edges(data=True):
            combined.add_edge(prefix + source, prefix + target, label=data.get("condition", ""), **_scalars(data))
    return combined


def graphml() -> str:
    """Every pathway graph in one GraphML document (booleans written as GraphML's
    ``true``/``false``, which networkx writes as Python's ``True``/``False``)."""
    text = "\n".join(nx.generate_graphml(combined_graph(), prettyprint=True)) + "\n"
    booleans = re.findall(r'<key id="(d\d+)"[^>]*attr\.type="boolean"', text)
    if booleans:
        keys = "|".join(booleans)
        text = re.sub(rf'(<data key="(?:{keys})">)(True|False)(</data>)', lambda m: m[1] + m[2].lower() + m[3], text)
    return text


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
PROJECT_IRI = "https://w3id.org/stepupdown/"


def export_pathway(fmt: str, authority: str, pathway: str) -> str:
    """One pathway as BPMN 2.0 XML or as a Mermaid flowchart."""
    digraph = pathway_graph(authority, pathway)
    if fmt == "bpmn":
        return pathway_bpmn(digraph)
    if fmt == "mermaid":
        return pathway_mermaid(digraph)
    raise UsageError(f"unknown pathway export format {fmt!r}")


def export_pathways(fmt: str, directory: Path, authority: str | None = None) -> list[Path]:
    """Every pathway (of one authority, when given) into ``directory``, one AUTHORITY--PATHWAY file each."""
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
    """The whole model as text in ttl, jsonld, graphml or html (vocabulary documentation);
    one pathway (``authority`` and ``pathway``) in bpmn or mermaid. (DOT, the flowcharts'
    own format, is drawn by ``viz``: the CLI composes it.)"""
    if fmt in PATHWAY_FORMATS:
        if not (authority and pathway):
            raise UsageError(f"{fmt} export is per pathway: give the authority and pathway ids")
        return export_pathway(fmt, authority, pathway)
    if fmt == "html":
        return vocabulary_html()
    if fmt == "ttl":
        return load_model().serialize(format="turtle")
    if fmt == "jsonld":
        model = load_model()
        # the project's prefixes and those the authority and alignment files bind (ce:, kn:, al: ...)
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        context |= {
            str(prefix): str(namespace)
            for prefix, namespace in model.namespaces()
            if str(namespace).startswith(PROJECT_IRI) and prefix
        }
        return model.serialize(format="json-ld", context=context, indent=2)
    if fmt == "graphml":
        return graphml()
    if fmt == "shapes":
        from pathways.audit.portable import portable_shapes
        from pathways.audit.rules import shapes_graph

        return portable_shapes(shapes_graph()).serialize(format="turtle")
    raise UsageError(f"unknown export format {fmt!r}")
