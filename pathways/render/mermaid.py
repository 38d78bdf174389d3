"""A pathway as a Mermaid flowchart (for Markdown pages, GitHub, mermaid.live).

Read from the pathway graph: the trigger as a stadium, steps as boxes, decisions as
rhombuses, end states as subroutine boxes; branch conditions and timescales on the arrows,
escalation arrows dotted; each node filled with the colour of its accountable role (the
same palette as the Graphviz flowcharts), optional and escalation steps outlined dashed.
"""

from __future__ import annotations

import re

import networkx as nx

from pathways.model.graph import display_order, roles_of
from pathways.render.palette import role_palette

SHAPES = {"trigger": ('(["', '"])'), "activity": ('["', '"]'), "decision": ('{"', '"}'), "end": ('[["', '"]]')}


def mermaid_id(node: str) -> str:
    """A Mermaid node id: letters, digits and underscores, never a keyword such as 'end'."""
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", node)


def escape(value: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for '#' and '"', line breaks as <br/>."""
    value = value.replace("#", "#35;").replace('"', "#quot;")
    value = value.replace("<", "#lt;").replace(">", "#gt;")
    return value.replace("\n", "<br/>")


def _label(data: dict) -> str:
    lines = [data["label"]]
    roles = roles_of(data)
    if roles and data["kind"] != "end":
        lines.append("(" + ", ".join(roles) + ")")
    if data["source"]:
        lines.append(f"\u00a7{data['source']}" if data["source"][:1].isdigit() else data["source"])
    return "\n".join(lines)


def pathway_mermaid(digraph: nx.DiGraph) -> str:
    """The Mermaid ``flowchart TD`` text of one pathway graph."""
    order = display_order(digraph)
    ids: dict[str, str] = {}
    for node in order:
        candidate = mermaid_id(node)
        while candidate in ids.values():
            candidate += "_"
        ids[node] = candidate
    title = digraph.graph.get("flowchart_title") or digraph.graph.get("title", "")
    lines = [
        f"%% {title} ({digraph.graph.get('authority', '')}/{digraph.graph.get('pathway', '')})",
        f"%% Source: {digraph.graph.get('source', '')}; generated from the Pathways policy model",
        "flowchart TD",
    ]
    for node in order:
        data = digraph.nodes[node]
        opening, closing = SHAPES[data["kind"]]
        lines.append(f"    {ids[node]}{opening}{escape(_label(data))}{closing}")
    edges = sorted(digraph.edges(data=True), key=lambda e: (order.index(e[0]), order.index(e[1])))
    labels = dict(digraph.nodes(data="label"))
    for source, target, data in edges:
        words = [data["condition"]] if data["condition"] else []
        words += [row.in_words(labels) for row in data["timescales"]]
        arrow = "-.->" if data["escalation"] else "-->"
        text = f'|"{escape(chr(10).join(words))}"|' if words else ""
        lines.append(f"    {ids[source]} {arrow}{text} {ids[target]}")

    palette = role_palette(digraph)
    lines.append("    classDef trigger fill:#b8e0b8,stroke:#333,stroke-width:2px")
    lines.append("    classDef endstate fill:#e8e8e8,stroke:#333")
    lines.append("    classDef dashed stroke-dasharray:5 4")
    for i, colour in enumerate(palette.values()):
        lines.append(f"    classDef role{i} fill:{colour},stroke:#555")
    role_class = {role: f"role{i}" for i, role in enumerate(palette)}
    groups: dict[str, list[str]] = {}
    for node in order:
        data = digraph.nodes[node]
        if data["kind"] == "trigger":
            groups.setdefault("trigger", []).append(ids[node])
        elif data["kind"] == "end":
            groups.setdefault("endstate", []).append(ids[node])
        elif roles_of(data):
            groups.setdefault(role_class[roles_of(data)[0]], []).append(ids[node])
        if data["optional"] or data["escalation"]:
            groups.setdefault("dashed", []).append(ids[node])
    for name, members in groups.items():
        lines.append(f"    class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"
