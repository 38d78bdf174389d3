"""The explorer's own Streamlit components, each a folder of static files beside this module
(an ``index.html`` and the JavaScript it uses, vendored with its licence): Streamlit serves
them from this machine, nothing is built and nothing is fetched from the network.

:func:`flowchart_view` shows a flowchart's SVG with pan and zoom, and returns the node that
was last clicked. Where a component cannot run (Streamlit's AppTest harness, a browser that
blocks the frame), the page keeps ``st.graphviz_chart`` beside it as the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit.components.v1 as components

FLOWCHART_VIEW = Path(__file__).resolve().parent / "flowchart_view"

_flowchart_view = components.declare_component("flowchart_view", path=str(FLOWCHART_VIEW))


def flowchart_view(
    svg: str,
    nodes: Sequence[str],
    selected: str | None,
    key: str,
    on_click: Callable[[], None] | None = None,
    height: int | None = None,
) -> dict | None:
    """The chart ``svg`` (Graphviz's, its node groups titled with their ids) with pan and zoom;
    a click on one of ``nodes`` returns ``{"node": id, "at": milliseconds}`` and calls
    ``on_click`` first; ``selected`` is outlined (and brought into view when it changes).
    ``height`` is the frame's in pixels (by default three quarters of the window's)."""
    start = svg.find("<svg")
    return _flowchart_view(
        svg=svg[start:] if start >= 0 else svg,
        nodes=list(nodes),
        selected=selected,
        height=height,
        key=key,
        default=None,
        on_change=on_click,
    )
