"""The drawing's own choices are marked as the model's, drawn as such, and never audited.

The flowcharts were rebuilt from prose, so they hold nodes, branches, owners and arrows the
text does not state. The model marks them (``pw:modelAdded``, ``pw:ownerModelAdded``,
``pw:orderDrawn``); these tests hold the rest of the project to the marks: no obligation
names a model-added node, no role obligation rests on an assumed owner, and every chart
draws the marks distinctly, with "model" where a paragraph would be.
"""

from __future__ import annotations

import pygraphviz
import pytest
from rdflib import RDF

from pathways.model.graph import pathway_graph
from pathways.model.loading import load_model
from pathways.model.policy import pathways
from pathways.model.vocabulary import PW
from viz.flowchart import flowchart

PATHWAYS = [(p.authority.id, p.id) for p in pathways()]

# Every link from an obligation (of any template) to a flow node.
NAMING = [
    PW.target,
    PW.dueBy,
    PW.follows,
    PW.precedes,
    PW.appliesIfStep,
    PW.unlessStep,
    PW.runsFrom,
    PW.runsTo,
    PW.appliesTo,
    PW.evidencedOn,
    PW.outOfHoursStep,
]


def _marked(predicate):
    model = load_model()
    return {s for s in model.subjects(predicate, None) if str(model.value(s, predicate)).lower() == "true"}


def test_the_model_marks_its_own_choices():
    model = load_model()
    added = _marked(PW.modelAdded)
    assert any((n, RDF.type, PW.EndState) in model for n in added), "end states added for a second exit"
    assert _marked(PW.ownerModelAdded) and _marked(PW.orderDrawn)


def test_no_obligation_names_a_node_the_text_does_not_state():
    model = load_model()
    added = _marked(PW.modelAdded)
    named = [(s, p, o) for p in NAMING for s, o in model.subject_objects(p) if o in added]
    assert named == []


def test_no_role_obligation_rests_on_an_owner_the_model_chose():
    model = load_model()
    assumed = _marked(PW.ownerModelAdded)
    for template in (PW.DecidedBy, PW.PerformedBy):
        for obligation in model.subjects(RDF.type, template):
            assert model.value(obligation, PW.target) not in assumed, obligation


def test_a_model_added_fact_cites_no_paragraph_and_says_why():
    model = load_model()
    for subject in _marked(PW.modelAdded):
        assert model.value(subject, PW.source) is None and model.value(subject, PW.quote) is None, subject
        assert model.value(subject, PW.ambiguity) is not None, subject


@pytest.mark.parametrize(("authority", "pathway"), PATHWAYS, ids=[f"{a}/{p}" for a, p in PATHWAYS])
def test_charts_draw_the_models_choices_distinctly(authority: str, pathway: str):
    digraph = pathway_graph(authority, pathway)
    agraph = pygraphviz.AGraph(string=flowchart(digraph).source)
    for node, data in digraph.nodes(data=True):
        drawn = agraph.get_node(node)
        lines = drawn.attr["label"].split("\n")
        if data["model_added"]:
            assert "dotted" in drawn.attr["style"] and "model" in lines, node
            assert not any(line.startswith("\u00a7") for line in lines), node
        if data["owner_model_added"] and data["kind"] != "end":
            assert "model's choice" in " ".join(lines), node
    for source, target, data in digraph.edges(data=True):
        edge = agraph.get_edge(source, target)
        if data["model_added"] or data["order_drawn"]:
            assert edge.attr["style"] == "dotted", (source, target)
            assert "model" in edge.attr["tooltip"], (source, target)
        else:
            assert edge.attr["style"] != "dotted", (source, target)
