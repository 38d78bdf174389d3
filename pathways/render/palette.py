"""The colours of every drawing and report, named once.

Flowcharts (Graphviz), Mermaid and BPMN exports, the HTML audit report and the explorer
take their colours from here, so a severity or a role looks the same wherever it appears.

>>> SEVERITY_COLOURS["Violation"]
'#c0392b'
"""

from __future__ import annotations

import networkx as nx

from pathways.model.graph import roles_of

__all__ = [
    "ROLE_COLOURS",
    "SEVERITY_COLOURS",
    "SEVERITY_MARKDOWN_COLOURS",
    "SEVERITY_TEXT_COLOURS",
    "role_palette",
]

# Colour-blind-safe pastel fills (Okabe-Ito inspired, lightened), one per role.
ROLE_COLOURS = (
    "#cfe8fc",
    "#fde2c4",
    "#d5f0dd",
    "#f6d3e6",
    "#fff3b0",
    "#e1d8f5",
    "#c9f1f0",
    "#f3e0d0",
    "#e6e6e6",
    "#dfeccd",
    "#fbd1d1",
    "#d6e2f5",
)

# Severity as a border or a bar (flowcharts, charts) ...
SEVERITY_COLOURS = {"Violation": "#c0392b", "Warning": "#d68910", "Info": "#2e86c1"}
# ... as text on white (one shade darker, for contrast in the printed report) ...
SEVERITY_TEXT_COLOURS = {"Violation": "#a93226", "Warning": "#b9770e", "Info": "#2471a3"}
# ... and as the named colours Streamlit's Markdown accepts.
SEVERITY_MARKDOWN_COLOURS = {"Violation": "red", "Warning": "orange", "Info": "blue"}


def role_palette(digraph: nx.DiGraph) -> dict[str, str]:
    """A fill colour for each accountable role of the pathway, stable by role name."""
    roles = sorted({role for _, data in digraph.nodes(data=True) for role in roles_of(data)})
    return {role: ROLE_COLOURS[i % len(ROLE_COLOURS)] for i, role in enumerate(roles)}
