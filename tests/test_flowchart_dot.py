"""Golden tests on the structure of every flowchart's DOT (not its pixels).

For each pathway of every authority, the node ids with their shapes and the edges with
their labels are compared with ``tests/golden/<authority>--<pathway>.json``. After a
deliberate change to the model or to viz/flowchart.py, or for a new authority, rewrite
the golden files with

    make golden        # = UPDATE_GOLDEN=1 python -m pytest tests/test_flowchart_dot.py

and review the diff. Also checked: Cheshire East's charts carry the policy's appendix titles
(Appendix 3 to 6, as printed in the source document), and every node's tooltip carries its
paragraph citation.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pygraphviz
import pytest
from rdflib import URIRef

from pathways.model.citations import citation
from pathways.model.graph import pathway_graph
from pathways.model.loading import load_model
from pathways.model.policy import pathways
from pathways.model.resources import SOURCES_DIR
from viz.flowchart import flowchart

GOLDEN = Path(__file__).resolve().parent / "golden"
LEGEND = "legend"
PATHWAYS = [(p.authority.id, p.id) for p in pathways()]
CHESHIRE_EAST_APPENDICES = {
    "step-down-assessment": "Appendix 3",
    "step-down-cin": "Appendix 4",
    "step-up-immediate": "Appendix 5",
    "step-up-early-help": "Appendix 6",
}


def parsed(authority_id: str, pathway_id: str) -> pygraphviz.AGraph:
    return pygraphviz.AGraph(string=flowchart(pathway_graph(authority_id, pathway_id)).source)


def structure(authority_id: str, pathway_id: str) -> dict:
    """What the golden file records: title, node ids with shapes, edges with labels."""
    chart = parsed(authority_id, pathway_id)
    return {
        "authority": authority_id,
        "pathway": pathway_id,
        "title": chart.graph_attr["label"],
        "nodes": {str(n): n.attr["shape"] for n in sorted(chart.nodes(), key=str) if str(n) != LEGEND},
        "edges": sorted([str(e[0]), str(e[1]), e.attr["label"] or ""] for e in chart.edges()),
    }


def golden_path(authority_id: str, pathway_id: str) -> Path:
    return GOLDEN / f"{authority_id}--{pathway_id}.json"


def write_golden() -> None:
    """Rewrite every golden file from the current model and flowchart code."""
    GOLDEN.mkdir(exist_ok=True)
    for authority_id, pathway_id in PATHWAYS:
        text = json.dumps(structure(authority_id, pathway_id), indent=2, ensure_ascii=False)
        golden_path(authority_id, pathway_id).write_text(text + "\n", encoding="utf-8")


if os.environ.get("UPDATE_GOLDEN") == "1":
    write_golden()


def test_every_pathway_of_a_tabled_authority_has_a_golden_file_and_none_is_stale(expected_pathways):
    """The shipped authorities' charts are all pinned; a golden file for a pathway that no
    longer exists is an error. A new authority's pathways have none until ``make golden``."""
    golden = {p.name for p in GOLDEN.glob("*.json")}
    assert {golden_path(*key).name for key in expected_pathways} <= golden
    assert golden <= {golden_path(*key).name for key in PATHWAYS}


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=["/".join(key) for key in PATHWAYS])
def test_dot_structure_matches_golden(authority_id, pathway_id):
    if not golden_path(authority_id, pathway_id).is_file():
        pytest.skip(f"no golden file for {authority_id}/{pathway_id} yet: `make golden` writes it (review it)")
    expected = json.loads(golden_path(authority_id, pathway_id).read_text(encoding="utf-8"))
    actual = structure(authority_id, pathway_id)
    assert actual["title"] == expected["title"]
    assert actual["nodes"] == expected["nodes"]
    assert actual["edges"] == expected["edges"]


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=["/".join(key) for key in PATHWAYS])
def test_shapes_follow_node_kinds(authority_id, pathway_id):
    digraph = pathway_graph(authority_id, pathway_id)
    shapes = structure(authority_id, pathway_id)["nodes"]
    assert set(shapes) == set(digraph)
    for node, kind in digraph.nodes(data="kind"):
        assert shapes[node] == ("diamond" if kind == "decision" else "box"), node


@pytest.mark.parametrize("pathway_id", sorted(CHESHIRE_EAST_APPENDICES))
def test_cheshire_east_titles_are_the_policys_appendix_titles(pathway_id):
    chart = parsed("cheshire-east", pathway_id)  # keep the graph alive while reading its attributes
    title = chart.graph_attr["label"]
    assert title.startswith(CHESHIRE_EAST_APPENDICES[pathway_id] + " - ")
    source = (SOURCES_DIR / "cheshire-east-step-up-step-down-2024.txt").read_text(encoding="utf-8")
    printed = [line.rstrip(" .:\t0123456789") for line in source.splitlines() if line.startswith("Appendix")]
    assert title in printed


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=["/".join(key) for key in PATHWAYS])
def test_every_node_tooltip_cites_its_paragraph(authority_id, pathway_id):
    model = load_model()
    digraph = pathway_graph(authority_id, pathway_id)
    chart = parsed(authority_id, pathway_id)
    for node, iri in digraph.nodes(data="iri"):
        cited = citation(model, URIRef(iri))
        tooltip = chart.get_node(node).attr["tooltip"]
        if digraph.nodes[node]["model_added"]:
            # the text does not state it: no paragraph, and the tooltip says so
            assert cited is None and "Added by the model" in tooltip, node
            continue
        assert cited is not None, f"{node} has no citation"
        assert str(cited) in tooltip, node
        numbered = [s for s in cited.section.split(", ") if s[:1].isdigit()]
        if numbered:
            assert "\u00a7" + numbered[0] in tooltip, node


# Each timescale reads as its kind and sits on the step the text regulates: a notice on the
# step that gives it, a look-back on the step that must be recent (written from the texts).
TIMESCALE_WORDS = [
    # Knowsley §2: "At least 5 working days before the final CIN meeting ... contact the Level 2 service"
    ("knowsley", "step-down-cin", "contact-level-2-service", "at least 5 working days before"),
    # Knowsley §4: "please arrange any step up TAF meeting on a Wednesday"
    ("knowsley", "step-up-planned", "step-up-taf-meeting", "on a Wednesday"),
    # Knowsley §4: "Please allow at least 5 working days' notice"
    ("knowsley", "step-up-planned", "send-step-up-request-to-mash", "at least 5 working days before"),
    # Cheshire East 4.3: "Plan has been reviewed and updated within the last 4 weeks"
    ("cheshire-east", "step-down-cin", "review-and-update-plan", "in the 4 weeks before"),
    # Cheshire East 7.1: "Ideally, but not always, Early Help intervention ... at least three months"
    ("cheshire-east", "step-up-early-help", "phone-checs", "at least 3 months after"),
    # Cheshire East 3.1: "within 5 working days of the supervision decision"
    ("cheshire-east", "step-down-assessment", "complete-ehm-form", "within 5 working days of"),
]


@pytest.mark.parametrize(("authority_id", "pathway_id", "node", "words"), TIMESCALE_WORDS)
def test_a_timescale_reads_as_its_kind_on_the_step_it_regulates(authority_id, pathway_id, node, words):
    chart = parsed(authority_id, pathway_id)
    label = " ".join(chart.get_node(node).attr["label"].split())
    assert words in label, label


@pytest.mark.parametrize(("authority_id", "pathway_id"), PATHWAYS, ids=["/".join(key) for key in PATHWAYS])
def test_each_timescale_is_drawn_on_its_step_not_on_an_arrow(authority_id, pathway_id):
    digraph = pathway_graph(authority_id, pathway_id)
    chart = parsed(authority_id, pathway_id)
    text = " ".join(" ".join(str(item.attr["label"] or "").split()) for item in [*chart.nodes(), *chart.edges()])
    labels = dict(digraph.nodes(data="label"))
    for row in digraph.graph["timescales"]:
        words = " ".join(row.in_words(labels).split())
        assert text.count(words) >= 1, words
        assert not any(" ".join(str(e.attr["label"] or "").split()).count(row.describe()) for e in chart.edges())


@pytest.mark.parametrize("authority_id", sorted({a for a, _ in PATHWAYS}))
def test_a_role_has_one_colour_on_every_chart_of_its_authority(authority_id):
    seen: dict[str, set[str]] = {}
    for a, pathway_id in PATHWAYS:
        if a != authority_id:
            continue
        digraph = pathway_graph(a, pathway_id)
        chart = parsed(a, pathway_id)
        for node, data in digraph.nodes(data=True):
            roles = [*data["performed_by"], *data["decided_by"]]
            if data["kind"] in {"activity", "decision"} and roles:
                seen.setdefault(roles[0], set()).add(chart.get_node(node).attr["fillcolor"])
    assert seen
    assert {role: colours for role, colours in seen.items() if len(colours) > 1} == {}
    firsts = {next(iter(c)) for c in seen.values()}
    assert len(firsts) == len(seen), "two roles of one authority share a colour"
