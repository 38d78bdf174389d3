"""The model as a whole: it loads offline, parses in two RDF parsers, documents every term,
and derives well-formed pathway graphs that answer a policy author's questions."""

from __future__ import annotations

import socket
from decimal import Decimal

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph

from pathways.errors import ModelError
from pathways.model import policy as catalogue
from pathways.model.graph import (
    all_pathway_graphs,
    end_states,
    handoffs,
    pathway_graph,
    responsibilities,
    route_bounds,
    routes,
    trigger,
)
from pathways.model.loading import load_graph, load_model, model_files, parse_turtle
from pathways.model.resources import ONTOLOGY_DIR, SHAPES_DIR
from pathways.model.vocabulary import OWL, PW, RDF, RDFS, SH, SKOS

GRAPHS = all_pathway_graphs()


def test_model_loads_with_the_network_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the model tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    graph = load_graph(model_files())
    assert len(graph) > 4000
    assert not list(graph.triples((None, OWL.imports, None)))


def test_owl_imports_is_refused_not_followed(tmp_path):
    path = tmp_path / "imports.ttl"
    path.write_text("<urn:x> <http://www.w3.org/2002/07/owl#imports> <https://example.org/remote.ttl> .\n")
    with pytest.raises(ModelError, match=r"imports.ttl: owl:imports is not followed"):
        parse_turtle(path)


def test_malformed_turtle_names_the_file(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix pw: <https://w3id.org/stepupdown/pathways#> .\npw:a pw:b .\n")
    with pytest.raises(ModelError, match=r"broken.ttl: not valid Turtle"):
        parse_turtle(path)


@pytest.mark.parametrize("path", model_files() + sorted(SHAPES_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_parses_alike_in_rdflib_and_oxigraph(path):
    graph = Graph().parse(path, format="turtle")
    round_trip = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    assert len(round_trip) == len(graph)
    oxigraph_triples = list(pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(oxigraph_triples) == len(graph)


def test_every_vocabulary_term_is_labelled_and_defined():
    vocabulary = Graph().parse(ONTOLOGY_DIR / "vocabulary.ttl")
    terms = {s for s in vocabulary.subjects(RDF.type, None) if str(s).startswith(str(PW))}
    terms -= set(vocabulary.subjects(RDF.type, PW.Modality)) - set()
    undocumented = sorted(
        str(t)
        for t in terms
        if not vocabulary.value(t, RDFS.label)
        or ((t, RDF.type, OWL.Class) in vocabulary and not vocabulary.value(t, SKOS.definition))
    )
    assert undocumented == []
    classes = set(vocabulary.subjects(RDF.type, OWL.Class))
    assert {PW.Pathway, PW.Activity, PW.Decision, PW.Role, PW.LevelOfNeed, PW.Timescale, PW.Requirement} <= classes


def test_each_authority_has_the_pathways_its_documents_describe(expected_pathways, tabled_authorities):
    found = {(p.authority.id, p.id) for p in catalogue.pathways()}
    assert {(a, p) for a, p in found if a in tabled_authorities} == expected_pathways
    titles = {p.flowchart_title for p in catalogue.pathways(authority_id="cheshire-east")}
    assert {t.split(" - ")[0] for t in titles} == {"Appendix 3", "Appendix 4", "Appendix 5", "Appendix 6"}


@pytest.mark.parametrize("key", sorted(GRAPHS), ids="/".join)
def test_pathway_graph_is_well_formed(key):
    digraph = GRAPHS[key]
    start = trigger(digraph)
    ends = end_states(digraph)
    assert [n for n, k in digraph.nodes(data="kind") if k == "trigger"] == [start]
    assert ends
    reachable = nx.descendants(digraph, start) | {start}
    assert reachable == set(digraph)
    for node in digraph:
        if digraph.nodes[node]["kind"] != "end":
            assert any(nx.has_path(digraph, node, end) for end in ends), node
    for node, data in digraph.nodes(data=True):
        if data["kind"] == "decision":
            conditions = [c for _, _, d in digraph.out_edges(node, data=True) for c in d["conditions"]]
            assert len(conditions) >= 2 and all(conditions), node
            assert data["decided_by"], node
        if data["kind"] in {"activity", "decision", "trigger"}:
            assert data["performed_by"] or data["decided_by"], node
        if data["kind"] != "end":
            assert data["source"] and data["quote"], node
        if data["kind"] in {"activity", "decision"}:
            assert data["modality"] in {"must", "should", "best practice"}, node


def test_every_pathway_moves_between_levels_of_need():
    for plan in catalogue.pathways():
        assert plan.from_levels and plan.to_levels, plan.id
        assert set(plan.from_levels) != set(plan.to_levels), plan.id


def test_routes_handoffs_and_responsibilities_of_the_cheshire_east_step_down():
    digraph = pathway_graph("cheshire-east", "step-down-assessment")
    all_routes = routes(digraph)
    assert len(all_routes) > 5
    ehm_route = next(r for r in all_routes if "complete-ehm-form" in r)
    assert ehm_route[0] == "need-reduced"
    assert ehm_route.index("team-manager-agrees-step-down") < ehm_route.index("complete-ehm-form")
    passes = [(h.from_roles, h.to_roles) for h in handoffs(digraph, ehm_route)]
    assert (("Family",), ("Team Manager",)) in passes
    assert "team-manager-agrees-step-down" in responsibilities(digraph, "team manager")
    assert "complete-ehm-form" in responsibilities(digraph, "Social Worker")


def test_route_bounds_add_up_minimums_and_leave_open_routes_unbounded():
    digraph = pathway_graph("knowsley", "step-up-planned")
    route = next(r for r in routes(digraph) if "step-up-taf-meeting" in r)
    bounds = route_bounds(digraph, route)
    assert bounds.shortest == Decimal(5)  # the 5 working days' notice of the step up TAF meeting (§4)
    assert bounds.longest is None  # no limit on, e.g., the C&F Assessment in §4
    three_months = pathway_graph("cheshire-east", "step-up-early-help")
    route = next(r for r in routes(three_months) if "phone-checs" in r)
    assert route_bounds(three_months, route).shortest == Decimal(60)  # 3 months >= 60 working days (§7.1)


def test_every_timescale_runs_between_nodes_of_its_own_pathway():
    for row in catalogue.timescales():
        digraph = GRAPHS[row.authority, row.pathway]
        assert row.from_step in digraph and row.to_step in digraph, row.label
        assert row.unit in {"hours", "days", "working_days", "weeks", "months", "weekday", "same_day"}
        assert row.source and row.quote and row.modality


def test_shapes_state_a_message_for_every_policy_rule():
    shapes = load_graph([SHAPES_DIR / "policy.ttl"])
    constraints = set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    named = {c for c in constraints if shapes.value(c, RDFS.label)}
    assert len(named) == 6  # one rule per obligation template family
    for constraint in named:
        assert shapes.value(constraint, SH.message), constraint
        severities = {shapes.value(s, SH.severity) for s in shapes.subjects(SH.sparql, constraint)}
        assert severities == {SH.Violation, SH.Warning, SH.Info}, constraint


def test_loading_is_cached_and_model_is_shared():
    assert load_model() is load_model()
