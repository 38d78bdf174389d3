"""The colours of every drawing and report, named once.

Flowcharts (Graphviz), Mermaid and BPMN exports, the HTML audit report and the explorer
take their colours from here, so a severity or a role looks the same wherever it appears.

>>> SEVERITY_COLOURS["Violation"]
'#c0392b'
"""

from __future__ import annotations

from functools import lru_cache

import networkx as nx

from pathways.model.graph import roles_of

__all__ = [
    "MATCH_COLOURS",
    "ROLE_COLOURS",
    "SEVERITY_COLOURS",
    "SEVERITY_MARKDOWN_COLOURS",
    "SEVERITY_TEXT_COLOURS",
    "role_palette",
]

# Pastel fills, one per role of an authority, neighbours far apart, none the end states' grey.
ROLE_COLOURS = (
    "#cfe8fc",
    "#fde2c4",
    "#d5f0dd",
    "#f6d3e6",
    "#fff3b0",
    "#e1d8f5",
    "#c9f1f0",
    "#e8d5b7",
    "#c7d9a0",
    "#f5b7b1",
    "#a9cce3",
    "#f8c471",
    "#abebc6",
    "#d2b4de",
    "#f0b27a",
    "#aeb6bf",
)

# Fills for matched steps on the Compare page: 24 pastels far enough apart to tell a pair
# from its neighbours, all light enough for black text (ColorBrewer Set3 and Pastel1/2,
# Tableau 20's light half).
MATCH_COLOURS = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
    "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#e5d8bd", "#fddaec", "#b3e2cd",
)  # fmt: skip

# Severity as a border or a bar (flowcharts, charts) ...
SEVERITY_COLOURS = {"Violation": "#c0392b", "Warning": "#d68910", "Info": "#2e86c1"}
# ... as text on white (one shade darker, for contrast in the printed report) ...
SEVERITY_TEXT_COLOURS = {"Violation": "#a93226", "Warning": "#b9770e", "Info": "#2471a3"}
# ... and as the named colours Streamlit's Markdown accepts.
SEVERITY_MARKDOWN_COLOURS = {"Violation": "red", "Warning": "orange", "Info": "blue"}


def _roles(digraph: nx.DiGraph) -> set[str]:
    return {role for _, data in digraph.nodes(data=True) for role in roles_of(data)}


@lru_cache(maxsize=16)
def _authority_roles(authority_id: str) -> tuple[str, ...]:
    """Every accountable role of the authority's pathways, in a fixed order."""
    from pathways.model.graph import pathway_graph
    from pathways.model.policy import pathways

    found: set[str] = set()
    for plan in pathways(authority_id=authority_id):
        found |= _roles(pathway_graph(authority_id, plan.id))
    return tuple(sorted(found))


def role_palette(digraph: nx.DiGraph) -> dict[str, str]:
    """A fill colour for each accountable role of the pathway, the same for a role on every
    chart of its authority (a trainer moving between charts sees the social worker in one
    colour): the colours are dealt out over all the authority's roles, then this chart's
    are kept.

    >>> from pathways.model.graph import pathway_graph
    >>> a = role_palette(pathway_graph("knowsley", "step-down-cin"))
    >>> b = role_palette(pathway_graph("knowsley", "step-up-planned"))
    >>> a["Social Worker"] == b["Social Worker"]
    True
    """
    here = _roles(digraph)
    authority_id = digraph.graph.get("authority")
    everyone = _authority_roles(authority_id) if authority_id else tuple(sorted(here))
    if not here <= set(everyone):
        everyone = tuple(sorted(here))
    return {role: ROLE_COLOURS[i % len(ROLE_COLOURS)] for i, role in enumerate(everyone) if role in here}
