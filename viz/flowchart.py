"""Drawing a pathway graph as a Graphviz flowchart, optionally with one case's route on it.

The chart is built from the NetworkX pathway graph (itself derived from the RDF), so a
change to the policy model redraws every flowchart. Conventions, close to the policy's
own hand-drawn charts: top to bottom; the trigger as a rounded green box, steps as boxes
filled with the colour of the accountable role, decisions as diamonds, end states as
grey rounded boxes with a double border; branch labels and timescales on the arrows;
the paragraph and its words in each node's tooltip.

What the drawing adds to the text is drawn as the model's, never as the policy's: a node
or branch the text does not state has a dotted border and reads "model" where a paragraph
would be; an owner the text does not name reads "(role, model's choice)"; an arrow whose
order the text does not state is dotted grey. The audit reads none of these.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import graphviz
import networkx as nx

from pathways.model.graph import display_order, roles_of
from pathways.render.palette import SEVERITY_COLOURS, role_palette

VISITED_BORDER = "#1b4f72"
REACHED_END = "#aed6f1"
MUTED = "#b3b3b3"
DRAWN_ONLY = "#8c8c8c"
# What the drawing adds to the text reads as the model's, in place of a paragraph.
MODEL_MARK = "model"
MODEL_OWNER = ", model's choice"


@dataclass
class Overlay:
    """One case drawn on a flowchart: what was done, in what order, and what was found.

    ``visited`` maps node id to the dates it was carried out on; ``route`` is the node
    order the case took; ``skipped`` are required nodes the case passed by; ``findings``
    maps node id to (severity, message) pairs; ``reached`` is the end state the route came to.
    """

    case_id: str
    route: list[str] = field(default_factory=list)
    visited: dict[str, list[str]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    findings: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    reached: str = ""  # the end state the case's route reached, if any

    def traversed(self) -> set[tuple[str, str]]:
        return set(zip(self.route, self.route[1:], strict=False))

    def worst(self, node: str) -> str | None:
        order = ["Violation", "Warning", "Info"]
        severities = [s for s, _ in self.findings.get(node, [])]
        return next((s for s in order if s in severities), None)


def _wrap(value: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(value, width)) or value


def _tooltip(data: dict) -> str:
    parts = [data["label"]]
    if data["citation"]:
        parts.append(f"{data['citation']}: \u201c{data['quote']}\u201d" if data["quote"] else data["citation"])
    if data["modality"]:
        parts.append(f"Modality: {data['modality']} ({data['wording']})" if data["wording"] else data["modality"])
        if data.get("modality_reading"):
            parts.append(f"The model's reading: {data['modality_reading']}")
    if data.get("model_added"):
        parts.append("Added by the model: the text does not state this.")
    if data.get("owner_model_added"):
        parts.append("Owner chosen by the model: the text does not name one.")
    if data["ambiguity"]:
        parts.append(f"Note: {data['ambiguity']}")
    return "\n".join(parts)


def _edge_tooltip(data: dict) -> str:
    if data.get("model_added"):
        return "Branch added by the model: the text does not state it."
    if data.get("order_drawn"):
        where = f" (both steps: \u00a7{data['source']})" if data.get("source") else ""
        return f"Order drawn by the model: the text does not state it{where}. Not audited."
    return f"Order stated in \u00a7{data['source']}" if data.get("source") else ""


def _node_label(data: dict, overlay: Overlay | None, node: str, timed: list, labels: dict[str, str]) -> str:
    lines = [_wrap(data["label"])]
    roles = roles_of(data)
    if roles and data["kind"] != "end":
        owner = ", ".join(roles) + (MODEL_OWNER if data.get("owner_model_added") else "")
        lines.append(_wrap(f"({owner})", 30))
    # each timescale once, on the step it regulates, in the words of its kind
    for row in timed:
        lines.append(_wrap(f"{row.in_words(labels)} ({row.modality})", 34))
    if data.get("model_added"):
        lines.append(MODEL_MARK)
    elif data["source"]:
        lines.append(f"\u00a7{data['source']}" if data["source"][:1].isdigit() else data["source"])
    if overlay is not None:
        dates = overlay.visited.get(node)
        if dates:
            lines.append("\u2714 " + ", ".join(dates))
        if node in overlay.skipped:
            lines.append("\u2718 skipped")
        for severity, message in overlay.findings.get(node, []):
            lines.append(_wrap(f"{severity}: {message}", 34))
    return "\n".join(lines)


def _node_style(data: dict, palette: dict[str, str]) -> dict[str, str]:
    kind = data["kind"]
    if kind == "trigger":
        return {"shape": "box", "style": _model_style("rounded,filled,bold", data), "fillcolor": "#b8e0b8"}
    if kind == "end":
        return {
            "shape": "box",
            "style": _model_style("rounded,filled", data),
            "fillcolor": "#e8e8e8",
            "peripheries": "2",
        }
    roles = roles_of(data)
    fill = palette.get(roles[0], "#ffffff") if roles else "#ffffff"
    # an optional step has a dashed border, an escalation step cut corners: never one style for two meanings
    style = "filled,diagonals" if data["escalation"] else "filled,dashed" if data["optional"] else "filled"
    shape = "diamond" if kind == "decision" else "box"
    return {"shape": shape, "style": _model_style(style, data), "fillcolor": fill}


def _model_style(style: str, data: dict) -> str:
    """A node the text does not state gets a dotted border, whatever else it is."""
    if not data.get("model_added"):
        return style
    return ",".join([part for part in style.split(",") if part not in {"dashed", "solid"}] + ["dotted"])


HEAT_SHADES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6")


def _heat_node(attrs: dict[str, str], counts, cases: int) -> str:
    """A step coloured by the share of cases that reached it; its departures as a line."""
    share = counts.reached / cases if cases else 0.0
    attrs.update(fillcolor=HEAT_SHADES[min(int(share * len(HEAT_SHADES)), len(HEAT_SHADES) - 1)])
    problems = counts.skipped + counts.late + counts.other_role
    if problems:
        attrs.update(color=SEVERITY_COLOURS["Violation"], penwidth="3", **{"class": "heat-departure"})
    parts = [f"reached {counts.reached} of {cases}"]
    parts += [f"{n} {what}" for n, what in ((counts.skipped, "missing"), (counts.late, "late"),
                                            (counts.other_role, "by another role")) if n]  # fmt: skip
    return _wrap(" · ".join(parts), 30)


def flowchart(
    digraph: nx.DiGraph,
    overlay: Overlay | None = None,
    legend: bool = True,
    heat=None,
    badges: dict[str, str] | None = None,
    lanes: bool = False,
) -> graphviz.Digraph:
    """The Graphviz flowchart of a pathway graph, with a case overlay when given, or, with
    ``heat`` (:class:`pathways.audit.conformance.PathwayHeat`), a batch's counts on it: each
    step shaded by how many cases reached it and outlined where some departed from it, each
    arrow labelled with how many cases took it. ``badges`` puts a word on the first line of a
    node's box (the Compare page's match numbers: inside the box, so they never drift).
    ``lanes`` draws one lane per role (a column headed by the role, bordered in its colour):
    each step and decision in the lane of the role who does it (the first named, for a
    shared one); the trigger, the end states and anything with no role stay outside.

    >>> from pathways.model import graph
    >>> g = graph.pathway_graph("cheshire-east", "step-up-early-help")
    >>> "cluster_lane_1" in flowchart(g, lanes=True).source
    True
    """
    title = digraph.graph.get("flowchart_title") or digraph.graph.get("title", "")
    if overlay is not None:
        title = f"{title}\nCase {overlay.case_id}"
    # the authority in the graph's name: several flowcharts in one DOT file stay apart
    name = "--".join(p for p in (digraph.graph.get("authority"), digraph.graph.get("pathway")) if p)
    dot = graphviz.Digraph(name=name or "pathway")
    dot.attr(
        rankdir="TB",
        label=title,
        labelloc="t",
        fontsize="18",
        fontname="Helvetica",
        nodesep="0.35",
        ranksep="0.45",
        splines="spline",
        newrank="true",
    )
    dot.attr("node", fontname="Helvetica", fontsize="10", margin="0.12,0.06")
    dot.attr("edge", fontname="Helvetica", fontsize="9", color="#555555")
    palette = role_palette(digraph)
    traversed = overlay.traversed() if overlay else set()
    order = display_order(digraph)
    labels = {node: label for node, label in digraph.nodes(data="label")}
    timed: dict[str, list] = {}
    for row in digraph.graph.get("timescales", []):
        timed.setdefault(row.regulated_step, []).append(row)
    lane_nodes: dict[str, list[tuple[str, str, dict]]] = {}
    for node in order:
        data = digraph.nodes[node]
        attrs = _node_style(data, palette)
        attrs["tooltip"] = _tooltip(data)
        if overlay is not None and overlay.notes.get(node):
            attrs["tooltip"] += "\n\n" + "\n".join(overlay.notes[node])
        attrs["id"] = f"node-{node}"
        if overlay is not None:
            _overlay_node(attrs, node, overlay)
        text = _node_label(data, overlay, node, timed.get(node, []), labels)
        if badges and node in badges:
            text = f"{badges[node]}\n{text}"
        if heat is not None and node in heat.steps:
            text += "\n" + _heat_node(attrs, heat.steps[node], heat.cases)
        lane = _lane(data) if lanes else None
        if lane is None:
            dot.node(node, text, **attrs)
        else:
            lane_nodes.setdefault(lane, []).append((node, text, attrs))
    for number, (role, members) in enumerate(lane_nodes.items(), start=1):
        with dot.subgraph(name=f"cluster_lane_{number}") as lane:
            lane.attr(label=role, labelloc="t", fontsize="14", style="rounded,filled", fillcolor="#fbfbfb",
                      color=palette.get(role, "#cccccc"), penwidth="3")  # fmt: skip
            for node, text, attrs in members:
                lane.node(node, text, **attrs)
    for source, target, data in sorted(digraph.edges(data=True), key=lambda e: (order.index(e[0]), order.index(e[1]))):
        label_lines = [_wrap(data["condition"], 24)] if data["condition"] else []
        if data.get("model_added"):
            label_lines.append(f"({MODEL_MARK})")
        attrs = {"label": "\n".join(label_lines), "id": f"edge-{source}--{target}", "tooltip": _edge_tooltip(data)}
        if data.get("model_added") or data.get("order_drawn"):
            attrs.update(style="dotted", color=DRAWN_ONLY)
        elif data["escalation"]:
            attrs["style"] = "dashed"
        if heat is not None:
            taken = heat.transitions.get((source, target), 0)
            attrs["label"] = "\n".join([*label_lines, f"{taken} case{'s' if taken != 1 else ''}"])
            attrs["penwidth"] = str(1 + 4 * taken / max(heat.cases, 1))
        if overlay is not None:
            if (source, target) in traversed:
                attrs.update(penwidth="3", color=VISITED_BORDER, fontcolor=VISITED_BORDER, **{"class": "on-route"})
            else:
                attrs.update(color=MUTED, fontcolor=MUTED)
        dot.edge(source, target, **attrs)
    if legend and palette:
        _legend(dot, palette, overlay is not None)
    return dot


def _lane(data: dict) -> str | None:
    """The role whose lane a node is drawn in (None: outside every lane)."""
    roles = roles_of(data)
    return roles[0] if roles and data["kind"] not in {"trigger", "end"} else None


def _overlay_node(attrs: dict[str, str], node: str, overlay: Overlay) -> None:
    severity = overlay.worst(node)
    if node == overlay.reached:  # where the family ended up, never greyed out
        attrs.update(penwidth="4", color=VISITED_BORDER, fillcolor=REACHED_END, **{"class": "reached-end"})
    elif node in overlay.visited:
        attrs.update(penwidth="3", color=VISITED_BORDER, **{"class": "visited"})
    elif node in overlay.skipped:
        attrs.update(style="filled,dashed", fillcolor="#ffffff", penwidth="3", **{"class": "skipped"})
    else:
        attrs.update(fillcolor="#f4f4f4", color=MUTED, fontcolor="#8c8c8c", **{"class": "muted"})
    if severity:
        attrs.update(color=SEVERITY_COLOURS[severity], penwidth="4")
        attrs["class"] = attrs.get("class", "") + f" finding-{severity.lower()}"


def _legend(dot: graphviz.Digraph, palette: dict[str, str], with_overlay: bool) -> None:
    rows = "".join(
        f'<TR><TD BGCOLOR="{colour}" WIDTH="18"></TD><TD ALIGN="LEFT">{_escape(role)}</TD></TR>'
        for role, colour in palette.items()
    )

    def swatch(text: str, **cell: str) -> str:
        attributes = " ".join(f'{k.upper()}="{v}"' for k, v in {"border": "1", "width": "18", **cell}.items())
        return f'<TR><TD {attributes}></TD><TD ALIGN="LEFT">{text}</TD></TR>'

    extra = (
        '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Shapes</B></TD></TR>'
        + swatch("trigger: how the pathway starts", bgcolor="#b8e0b8", style="rounded")
        + swatch("end state (double border): where the family ends up", bgcolor="#e8e8e8")
        + '<TR><TD COLSPAN="2" ALIGN="LEFT">diamond: a decision; each way out is labelled</TD></TR>'
        + swatch("dashed border: an optional step", style="dashed")
        + '<TR><TD COLSPAN="2" ALIGN="LEFT">cut corners: an escalation step; dashed arrow: escalation</TD></TR>'
        + swatch(f'dotted border, "{MODEL_MARK}": not in the text, added by the model', style="dotted")
        + f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT COLOR="{DRAWN_ONLY}">dotted grey arrow: order drawn, not stated'
        " (not audited)</FONT></TD></TR>"
        + '<TR><TD COLSPAN="2" ALIGN="LEFT">(must), (should), (best practice): the policy\'s word</TD></TR>'
        + '<TR><TD COLSPAN="2" ALIGN="LEFT">\u00a7: the paragraph it comes from</TD></TR>'
    )
    if with_overlay:
        extra += (
            swatch("the end state the case reached", bgcolor=REACHED_END)
            + f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT COLOR="{VISITED_BORDER}">bold: route taken</FONT>; '
            f'<FONT COLOR="{SEVERITY_COLOURS["Violation"]}">violation</FONT>, '
            f'<FONT COLOR="{SEVERITY_COLOURS["Warning"]}">warning</FONT>, '
            f'<FONT COLOR="{SEVERITY_COLOURS["Info"]}">info</FONT></TD></TR>'
        )
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(label="Key: fill colour = the role who does it", fontsize="11", color="#cccccc", rank="sink")
        legend.node(
            "legend",
            label=f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">{rows}{extra}</TABLE>>',
            shape="plaintext",
            fontsize="9",
        )


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FORMATS = ("dot", "svg", "png", "pdf")
PNG_DPI = 144  # 1.5 times Graphviz's 96: sharp on a high-density screen and in a document


def render_bytes(dot: graphviz.Digraph, fmt: str, **graph_attr: str) -> bytes:
    """A flowchart as the bytes of a .dot, .svg, .png or .pdf file, laid out in-process by
    pygraphviz (which bundles Graphviz: no program is run, no file is written). ``graph_attr``
    are Graphviz graph attributes for this drawing only (``margin``, ``dpi``...). The PDF is one
    page the size of the drawing; :func:`viz.printing.a4_pdf` lays it out on A4 pages."""
    fmt = fmt.lower()
    if fmt in {"dot", "gv"}:
        return dot.source.encode("utf-8")
    if fmt not in FORMATS:
        raise ValueError(f"cannot draw a flowchart as {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "png":
        graph_attr = {"dpi": str(PNG_DPI), **graph_attr}
    return _agraph(dot, graph_attr).draw(format=fmt, prog="dot")


def laid_out(dot: graphviz.Digraph, **graph_attr: str):
    """The pygraphviz graph of a flowchart with its dot layout read back: the same positions, in
    points from the bottom left, as :func:`render_bytes` draws with the same attributes (dot lays
    out the same source the same way every time)."""
    agraph = _agraph(dot, graph_attr)
    agraph.layout(prog="dot")
    return agraph


def _agraph(dot: graphviz.Digraph, graph_attr: dict[str, str]):
    import pygraphviz

    agraph = pygraphviz.AGraph(string=dot.source)
    agraph.graph_attr.update(graph_attr)
    return agraph


def render(dot: graphviz.Digraph, path: str) -> None:
    """Write a flowchart to .dot, .svg, .png or .pdf (layout in-process with pygraphviz)."""
    data = render_bytes(dot, path.rsplit(".", 1)[-1])
    with open(path, "wb") as handle:
        handle.write(data)
