"""Exports that other tools open: BPMN 2.0 XML valid against the OMG BPMN 2.0 XSD (as shipped
by SpiffWorkflow) with lanes, gateways, conditions and diagram coordinates; GraphML that loads
back into NetworkX unchanged; Mermaid flowcharts that parse; JSON-LD that parses back; HTML
documentation of the vocabulary. No network at test time."""

from __future__ import annotations

import importlib.resources
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest
import xmlschema
from rdflib import Graph
from typer.testing import CliRunner

from pathways.cli import app
from pathways.model import policy as catalogue
from pathways.model.graph import pathway_graph
from pathways.model.loading import load_model
from pathways.model.resources import ONTOLOGY_DIR
from pathways.model.vocabulary import OWL, PW, RDF, RDFS
from pathways.render.bpmn import BPMN, BPMNDI, DC, DI
from pathways.render.exports import combined_graph, export_model, export_pathway
from pathways.render.mermaid import mermaid_id, pathway_mermaid

PATHWAYS = [(p.authority.id, p.id) for p in catalogue.pathways()]
NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI}


@pytest.fixture(scope="module")
def bpmn_schema() -> xmlschema.XMLSchema:
    """The BPMN 2.0 XSD set (BPMN20, Semantic, BPMNDI, DC, DI) shipped by SpiffWorkflow, loaded from disk."""
    folder = importlib.resources.files("SpiffWorkflow") / "bpmn" / "parser" / "schema"
    for name in ("BPMN20.xsd", "Semantic.xsd", "BPMNDI.xsd", "DC.xsd", "DI.xsd"):
        assert (folder / name).is_file(), name
    return xmlschema.XMLSchema(str(folder / "BPMN20.xsd"))


# ---------------------------------------------------------------- BPMN 2.0


@pytest.mark.parametrize("key", PATHWAYS, ids="/".join)
def test_bpmn_validates_against_the_bpmn_20_xsd(bpmn_schema, key, no_network):
    text = export_pathway("bpmn", *key)
    errors = list(bpmn_schema.iter_errors(text))
    assert errors == [], errors[:3]


def test_the_xsd_check_is_real(bpmn_schema):
    text = export_pathway("bpmn", "knowsley", "step-up-unplanned")
    assert bpmn_schema.is_valid(text)
    broken = text.replace("</bpmn:laneSet>", "</bpmn:laneSet><bpmn:tusk />", 1)
    assert not bpmn_schema.is_valid(broken)
    dangling = re.sub(r'sourceRef="[^"]+"', 'sourceRef="Node_nowhere"', text, count=1)
    assert not bpmn_schema.is_valid(dangling)  # sourceRef is an IDREF: it must name an element


# The BPMN's gateways, lanes, names and diagram are checked in tests/test_bpmn_tools.py.


def test_bpmn_documents_citations_and_timescales():
    text = export_pathway("bpmn", "knowsley", "step-up-planned")
    root = ET.fromstring(text)
    notes = [t.text for t in root.iter(f"{{{BPMN}}}text")]
    assert any("on a Wednesday" in n and "\u00a74" in n for n in notes)
    task = root.find(".//bpmn:task[@id='Node_complete-step-up-form']", NS)
    assert "Knowsley Metropolitan Borough Council \u00a74" in task.find("bpmn:documentation", NS).text


# ---------------------------------------------------------------- GraphML


def test_graphml_loads_back_into_networkx_with_the_same_nodes_and_edges(no_network):
    loaded = nx.read_graphml(_as_file(export_model("graphml")))
    expected = combined_graph()
    assert set(loaded.nodes) == set(expected.nodes)
    assert set(loaded.edges) == set(expected.edges)
    assert len(loaded) == sum(len(pathway_graph(*key)) for key in PATHWAYS)
    for node, data in expected.nodes(data=True):
        assert loaded.nodes[node]["label"] == data["label"]
        assert loaded.nodes[node]["kind"] == data["kind"]
    for source, target, data in expected.edges(data=True):
        assert loaded.edges[source, target].get("condition", "") == data["condition"]


def _as_file(text: str):
    import io

    return io.BytesIO(text.encode("utf-8"))


# ---------------------------------------------------------------- Mermaid

NODE_LINE = re.compile(r'^    (n_\w+)(\(\["|\[\["|\{"|\[")(.*?)("\]\)|"\]\]|"\}|"\])$')
EDGE_LINE = re.compile(r'^    (n_\w+) (-->|-\.->)(\|"([^"]*)"\|)? (n_\w+)$')
SHAPE_PAIRS = {'(["': '"])', '[["': '"]]', '{"': '"}', '["': '"]'}


def parse_mermaid(text: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """A small parser of the Mermaid subset we write: nodes (id -> shape, label) and edges."""
    lines = text.splitlines()
    header = [i for i, line in enumerate(lines) if line == "flowchart TD"]
    assert header and all(line.startswith("%% ") for line in lines[: header[0]])
    nodes: dict[str, tuple[str, str]] = {}
    edges: list[tuple[str, str, str]] = []
    classes: set[str] = set()
    for line in lines[header[0] + 1 :]:
        if match := NODE_LINE.match(line):
            name, opening, label, closing = match.groups()
            assert SHAPE_PAIRS[opening] == closing, line
            assert name not in nodes, f"duplicate node {name}"
            assert '"' not in label, line
            nodes[name] = (opening, label)
        elif match := EDGE_LINE.match(line):
            source, _, _, label, target = match.groups()
            edges.append((source, target, label or ""))
        elif match := re.match(r"^    classDef (\w+) [\w#:.,-]+( ?[\w#:.,-]+)*$", line):
            classes.add(match.group(1))
        elif match := re.match(r"^    class (n_\w+(,n_\w+)*) (\w+)$", line):
            assert match.group(3) in classes, line
            assert all(n in nodes for n in match.group(1).split(",")), line
        else:
            raise AssertionError(f"not Mermaid we write: {line!r}")
    for source, target, _ in edges:
        assert source in nodes and target in nodes
    return nodes, edges


@pytest.mark.parametrize("key", PATHWAYS, ids="/".join)
def test_mermaid_parses_with_one_node_per_graph_node(key):
    digraph = pathway_graph(*key)
    nodes, edges = parse_mermaid(pathway_mermaid(digraph))
    assert len(nodes) == digraph.number_of_nodes()
    assert set(nodes) == {mermaid_id(n) for n in digraph}
    assert {(s, t) for s, t, _ in edges} == {(mermaid_id(s), mermaid_id(t)) for s, t in digraph.edges}
    shapes = {"trigger": '(["', "activity": '["', "decision": '{"', "end": '[["'}
    for node, data in digraph.nodes(data=True):
        shape, label = nodes[mermaid_id(node)]
        assert shape == shapes[data["kind"]]
        assert label.split("<br/>")[0] == data["label"].replace("#", "#35;").replace('"', "#quot;")
    for source, target, data in digraph.edges(data=True):
        label = next(lab for s, t, lab in edges if (s, t) == (mermaid_id(source), mermaid_id(target)))
        if data["condition"]:
            assert label.startswith(data["condition"].replace('"', "#quot;")[:20])


def test_mermaid_escapes_quotes_and_never_uses_a_keyword_as_id():
    from pathways.render.mermaid import escape

    assert escape('a "b" #1 <c>\nd') == "a #quot;b#quot; #35;1 #lt;c#gt;<br/>d"
    assert mermaid_id("end") == "n_end" and mermaid_id("step-down.x") == "n_step_down_x"


# ---------------------------------------------------------------- JSON-LD and HTML documentation


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_parses_back_to_the_same_triples(no_network):
    graph = Graph().parse(data=export_model("jsonld"), format="json-ld")
    assert len(graph) == len(load_model())


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: set[str] = set()
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and values.get("href", "").startswith("#"):
            self.links.add(values["href"][1:])
        if tag not in {"meta", "link", "br", "img", "input"}:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()


def test_html_documents_every_vocabulary_term(no_network):
    page = export_model("html")
    parser = _Anchors()
    parser.feed(page)
    assert parser.open == [] and parser.links <= parser.ids
    vocabulary = Graph().parse(ONTOLOGY_DIR / "vocabulary.ttl")
    terms = {
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in vocabulary.subjects(RDF.type, kind)
        if str(t).startswith(str(PW))
    }
    assert len(terms) > 60
    for term in terms:
        anchor = "term-" + str(term).rsplit("#", 1)[-1]
        assert anchor in parser.ids, term
        assert str(vocabulary.value(term, RDFS.label)) in page
    for term in ("Correspondence", "noCounterpart", "Must", "StepDownFromCINPlan"):
        assert f"term-{term}" in parser.ids


# ---------------------------------------------------------------- the export command


def test_export_command_writes_bpmn_and_mermaid_files(tmp_path, bpmn_schema):
    runner = CliRunner()
    folder = tmp_path / "bpmn"
    result = runner.invoke(app, ["export", "--format", "bpmn", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"{a}--{p}.bpmn" for a, p in PATHWAYS)
    assert all(bpmn_schema.is_valid(str(folder / name)) for name in written)

    result = runner.invoke(app, ["export", "-f", "mermaid", "-o", str(tmp_path / "mmd"), "--authority", "knowsley"])
    assert result.exit_code == 0
    assert len(list((tmp_path / "mmd").glob("knowsley--*.mmd"))) == 4

    result = runner.invoke(app, ["export", "-f", "mermaid", "-a", "cheshire-east", "-p", "step-down-cin"])
    assert result.exit_code == 0 and "flowchart TD" in result.stdout

    single = tmp_path / "one.bpmn"
    result = runner.invoke(app, ["export", "-f", "bpmn", "-a", "knowsley", "-p", "step-up-planned", "-o", str(single)])
    assert result.exit_code == 0 and bpmn_schema.is_valid(str(single))

    result = runner.invoke(app, ["export", "-f", "html", "-o", str(tmp_path / "vocabulary.html")])
    assert result.exit_code == 0 and (tmp_path / "vocabulary.html").read_text().startswith("<!DOCTYPE html>")


def test_export_command_input_errors():
    runner = CliRunner()
    result = runner.invoke(app, ["export", "-f", "bpmn"])
    assert result.exit_code == 2 and "needs --authority and --pathway" in result.output
    result = runner.invoke(app, ["export", "-f", "ttl", "-a", "knowsley"])
    assert result.exit_code == 2 and "bpmn and mermaid only" in result.output
    help_text = runner.invoke(app, ["export", "--help"]).stdout
    assert "bpmn" in help_text and "mermaid" in help_text and "--pathway" in help_text


def test_graphml_keeps_step_ids_edge_labels_and_real_booleans():
    text = export_model("graphml")
    loaded = nx.read_graphml(_as_file(text))
    node = loaded.nodes["knowsley/step-down-cin/final-cin-meeting"]
    assert node["step_id"] == "final-cin-meeting" and node["authority"] == "knowsley"
    assert node["optional"] is False  # a GraphML boolean, read back as one
    assert ">True</data>" not in text and ">False</data>" not in text
    decisions = [d for _, _, d in loaded.edges(data=True) if d.get("condition")]
    assert decisions and all(d["label"] == d["condition"] for d in decisions)


def test_jsonld_context_has_the_project_and_authority_prefixes():
    context = json.loads(export_model("jsonld"))["@context"]
    assert {"pw", "ce", "kn", "al"} <= set(context)
    assert context["kn"] == "https://w3id.org/stepupdown/knowsley/"


def test_exports_follow_the_users_umask(tmp_path, monkeypatch):
    import os

    from pathways.render.files import write_atomically

    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "out.ttl", "x")
    finally:
        os.umask(previous)
    assert (tmp_path / "out.ttl").stat().st_mode & 0o777 == 0o640
