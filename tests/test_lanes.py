"""The flowchart's "lanes by role" layout: each step in the lane of the role who does it."""

from __future__ import annotations

from pathlib import Path

import pygraphviz
from streamlit.testing.v1 import AppTest

from pathways.model import graph
from pathways.model.graph import roles_of
from viz.flowchart import flowchart

APP = Path(__file__).resolve().parents[1] / "app.py"


def lanes_of(spec: str) -> dict[str, str]:
    """Each node drawn in a lane, and the lane's label (its role)."""
    chart = pygraphviz.AGraph(string=spec)
    return {str(n): sub.graph_attr["label"] for sub in chart.subgraphs() if sub.name.startswith("cluster_lane_")
            for n in sub.nodes()}  # fmt: skip


def test_every_step_and_decision_is_in_the_lane_of_its_first_role():
    for authority, pathway in (("cheshire-east", "step-up-immediate"), ("knowsley", "step-down-cin")):
        g = graph.pathway_graph(authority, pathway)
        lanes = lanes_of(flowchart(g, lanes=True).source)
        for node, data in g.nodes(data=True):
            roles = roles_of(data)
            if data["kind"] in {"trigger", "end"} or not roles:
                assert node not in lanes, node
            else:
                assert lanes[node] == roles[0], node
        assert len(set(lanes.values())) >= 3


def test_the_top_down_layout_has_no_lanes():
    assert lanes_of(flowchart(graph.pathway_graph("cheshire-east", "step-down-cin")).source) == {}


def test_the_flowcharts_page_offers_lanes_by_role_beside_top_down():
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, at.exception
    layout = at.segmented_control(key="fc-layout")
    assert layout.value == "Top down"
    assert "cluster_lane_" not in at.get("graphviz_chart")[0].proto.spec
    layout.set_value("Lanes by role").run()
    assert not at.exception, at.exception
    assert lanes_of(at.get("graphviz_chart")[0].proto.spec)
