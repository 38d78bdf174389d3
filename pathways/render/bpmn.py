"""A pathway as BPMN 2.0 XML that bpmn.io and Camunda Modeler open.

The process is read from the pathway graph (itself derived from the RDF): one pool for the
pathway with one lane per accountable role, the trigger as a start event, steps as tasks,
decisions as exclusive gateways whose outgoing sequence flows carry the branch condition
(as a name and a condition expression), end states as end events. Each element's
documentation holds its paragraph, the policy's words and its modality; timescales are text
annotations on the step they constrain. The diagram interchange (BPMNDI) coordinates come
from a simple layered layout: columns by longest path from the trigger, rows by lane.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import networkx as nx

from pathways.model.graph import display_order, roles_of, trigger

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TARGET_NAMESPACE = "https://w3id.org/stepupdown/pathways/bpmn"

ELEMENT = {"trigger": "startEvent", "activity": "task", "decision": "exclusiveGateway", "end": "endEvent"}
SIZE = {"trigger": (36, 36), "activity": (130, 80), "decision": (50, 50), "end": (36, 36)}

POOL_X, POOL_Y = 100, 60
POOL_HEADER = 30  # the pool's name band
LANE_HEADER = 30  # each lane's name band
COLUMN = 190  # distance between layers
SLOT = 150  # height of one row within a lane: a timescale annotation above, the node below
MARGIN = 50

NAMESPACES = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI}


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def xml_id(prefix: str, value: str) -> str:
    """An xsd:ID (NCName) from a node or pathway id."""
    return prefix + "_" + re.sub(r"[^A-Za-z0-9_.-]", "_", value)


@dataclass
class _Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


def layers(digraph: nx.DiGraph) -> dict[str, int]:
    """Column of each node: the longest path from the trigger once back edges are set aside."""
    order = display_order(digraph)
    dag = nx.DiGraph()
    dag.add_nodes_from(order)
    back = {(u, v) for u, v, kind in nx.dfs_labeled_edges(digraph, trigger(digraph)) if kind == "nontree"}
    for u, v in digraph.edges:
        if (u, v) in back and nx.has_path(digraph, v, u):
            continue
        dag.add_edge(u, v)
    layer: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        layer[node] = max((layer[p] + 1 for p in dag.predecessors(node)), default=0)
    return layer


def lanes(digraph: nx.DiGraph) -> tuple[list[str], dict[str, str]]:
    """The lanes (accountable roles, in order of first appearance) and each node's lane.

    A node with no accountable role (an end state) joins the lane of its first predecessor.
    """
    order = display_order(digraph)
    names: list[str] = []
    lane_of: dict[str, str] = {}
    for node in order:
        roles = roles_of(digraph.nodes[node])
        if roles:
            lane_of[node] = roles[0]
            if roles[0] not in names:
                names.append(roles[0])
    for node in order:
        if node not in lane_of:
            previous = [p for p in digraph.predecessors(node) if p in lane_of]
            lane_of[node] = lane_of[previous[0]] if previous else (names[0] if names else "Pathway")
    if not names:
        names = ["Pathway"]
    return names, lane_of


def _documentation(data: dict) -> str:
    parts = [data["label"]]
    roles = roles_of(data)
    if roles:
        parts.append(("Decided by: " if data["kind"] == "decision" else "By: ") + ", ".join(roles))
    if data["involves"]:
        parts.append("Involves: " + ", ".join(data["involves"]))
    documents = sorted(set(data["uses"]) | set(data["produces"]))
    if documents:
        parts.append("Documents: " + ", ".join(documents))
    if data["modality"]:
        parts.append(f"Modality: {data['modality']}" + (f" ({data['wording']})" if data["wording"] else ""))
    if data["citation"]:
        parts.append(f"{data['citation']}: \u201c{data['quote']}\u201d" if data["quote"] else data["citation"])
    if data["ambiguity"]:
        parts.append(f"Note: {data['ambiguity']}")
    return "\n".join(parts)


def _timed(digraph: nx.DiGraph) -> dict[str, list]:
    """Each step's timescales: those it is regulated by (a notice on the step giving it)."""
    found: dict[str, list] = {}
    for row in digraph.graph.get("timescales", []):
        found.setdefault(row.regulated_step, []).append(row)
    return found


def _timescale_text(rows: list, labels: dict[str, str]) -> str:
    return "\n".join(f"{row.in_words(labels)} ({row.modality}, \u00a7{row.source})" for row in rows)


def pathway_bpmn(digraph: nx.DiGraph) -> str:
    """The BPMN 2.0 XML document (with diagram) of one pathway graph."""
    for prefix, uri in NAMESPACES.items():  # the prefixes ElementTree writes (a registry of its own)
        ET.register_namespace(prefix, uri)
    authority = digraph.graph.get("authority", "authority")
    pathway = digraph.graph.get("pathway", "pathway")
    title = digraph.graph.get("flowchart_title") or digraph.graph.get("title", pathway)
    order = display_order(digraph)
    ids = {node: xml_id("Node", node) for node in order}
    process_id = xml_id("Process", f"{authority}_{pathway}")
    participant_id = xml_id("Participant", f"{authority}_{pathway}")

    definitions = ET.Element(
        _q(BPMN, "definitions"),
        {
            "id": xml_id("Definitions", f"{authority}_{pathway}"),
            "name": title,
            "targetNamespace": TARGET_NAMESPACE,
            "exporter": "pathways (stepupdown-pathways)",
            "exporterVersion": "0.1.0",
        },
    )
    collaboration = ET.SubElement(definitions, _q(BPMN, "collaboration"), {"id": "Collaboration_1"})
    ET.SubElement(
        collaboration, _q(BPMN, "participant"), {"id": participant_id, "name": title, "processRef": process_id}
    )
    process = ET.SubElement(
        definitions, _q(BPMN, "process"), {"id": process_id, "name": title, "isExecutable": "false"}
    )
    documentation = ET.SubElement(process, _q(BPMN, "documentation"))
    documentation.text = f"{title} ({authority}/{pathway}). Source: {digraph.graph.get('source', '')}."

    lane_names, lane_of = lanes(digraph)
    lane_set = ET.SubElement(process, _q(BPMN, "laneSet"), {"id": "LaneSet_1"})
    lane_ids = {name: f"Lane_{i + 1}" for i, name in enumerate(lane_names)}
    for name in lane_names:
        lane = ET.SubElement(lane_set, _q(BPMN, "lane"), {"id": lane_ids[name], "name": name})
        for node in order:
            if lane_of[node] == name:
                ET.SubElement(lane, _q(BPMN, "flowNodeRef")).text = ids[node]

    edges = sorted(digraph.edges(data=True), key=lambda e: (order.index(e[0]), order.index(e[1])))
    flow_ids = {(u, v): f"Flow_{i + 1}" for i, (u, v, _) in enumerate(edges)}
    for node in order:
        data = digraph.nodes[node]
        element = ET.SubElement(process, _q(BPMN, ELEMENT[data["kind"]]), {"id": ids[node], "name": data["label"]})
        ET.SubElement(element, _q(BPMN, "documentation")).text = _documentation(data)
        for u, v, _ in edges:
            if v == node:
                ET.SubElement(element, _q(BPMN, "incoming")).text = flow_ids[u, v]
        for u, v, _ in edges:
            if u == node:
                ET.SubElement(element, _q(BPMN, "outgoing")).text = flow_ids[u, v]
    for u, v, data in edges:
        attributes = {"id": flow_ids[u, v], "sourceRef": ids[u], "targetRef": ids[v]}
        if data["condition"]:
            attributes["name"] = data["condition"]
        flow = ET.SubElement(process, _q(BPMN, "sequenceFlow"), attributes)
        if data.get("source"):
            ET.SubElement(flow, _q(BPMN, "documentation")).text = f"\u00a7{data['source']}"
        if data["condition"]:
            condition = ET.SubElement(
                flow, _q(BPMN, "conditionExpression"), {_q(XSI, "type"): "bpmn:tFormalExpression"}
            )
            condition.text = data["condition"]

    timed = _timed(digraph)
    labels = dict(digraph.nodes(data="label"))
    annotated = [node for node in order if timed.get(node)]
    for i, node in enumerate(annotated, start=1):
        annotation = ET.SubElement(process, _q(BPMN, "textAnnotation"), {"id": f"Annotation_{i}"})
        ET.SubElement(annotation, _q(BPMN, "text")).text = _timescale_text(timed[node], labels)
    for i, node in enumerate(annotated, start=1):
        ET.SubElement(
            process,
            _q(BPMN, "association"),
            {"id": f"Association_{i}", "sourceRef": ids[node], "targetRef": f"Annotation_{i}"},
        )

    _diagram(
        definitions, digraph, order, ids, lane_names, lane_ids, lane_of, edges, flow_ids, annotated, participant_id
    )
    ET.indent(definitions, space="  ")
    return ET.tostring(definitions, encoding="unicode", xml_declaration=True) + "\n"


def _diagram(
    definitions, digraph, order, ids, lane_names, lane_ids, lane_of, edges, flow_ids, annotated, participant_id
):
    column = layers(digraph)
    width_layers = max(column.values(), default=0) + 1
    slots: dict[tuple[str, int], int] = {}
    slot_of: dict[str, int] = {}
    for node in order:
        key = (lane_of[node], column[node])
        slot_of[node] = slots.get(key, 0)
        slots[key] = slot_of[node] + 1
    rows_in = {name: max([n for (lane, _), n in slots.items() if lane == name], default=1) for name in lane_names}

    lane_x = POOL_X + POOL_HEADER
    lane_width = LANE_HEADER + MARGIN + width_layers * COLUMN
    lane_boxes: dict[str, _Box] = {}
    y = POOL_Y
    for name in lane_names:
        lane_boxes[name] = _Box(lane_x, y, lane_width, rows_in[name] * SLOT)
        y += rows_in[name] * SLOT
    pool = _Box(POOL_X, POOL_Y, POOL_HEADER + lane_width, y - POOL_Y)

    boxes: dict[str, _Box] = {}
    for node in order:
        width, height = SIZE[digraph.nodes[node]["kind"]]
        lane = lane_boxes[lane_of[node]]
        cx = lane.x + LANE_HEADER + MARGIN + column[node] * COLUMN + SIZE["activity"][0] / 2
        cy = lane.y + slot_of[node] * SLOT + 95
        boxes[node] = _Box(cx - width / 2, cy - height / 2, width, height)

    diagram = ET.SubElement(definitions, _q(BPMNDI, "BPMNDiagram"), {"id": "BPMNDiagram_1"})
    plane = ET.SubElement(diagram, _q(BPMNDI, "BPMNPlane"), {"id": "BPMNPlane_1", "bpmnElement": "Collaboration_1"})
    _shape(plane, participant_id, pool, isHorizontal="true")
    for name in lane_names:
        _shape(plane, lane_ids[name], lane_boxes[name], isHorizontal="true")
    for node in order:
        extra = {"isMarkerVisible": "true"} if digraph.nodes[node]["kind"] == "decision" else {}
        _shape(plane, ids[node], boxes[node], **extra)
    for u, v, _ in edges:
        edge = ET.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), {"id": f"{flow_ids[u, v]}_di", "bpmnElement": flow_ids[u, v]}
        )
        for x, y in _waypoints(boxes[u], boxes[v], column[v] > column[u]):
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": _n(x), "y": _n(y)})
    for i, node in enumerate(annotated, start=1):
        target = boxes[node]
        lines = len(_timed(digraph)[node])
        note = _Box(target.cx + 10, target.cy - 95 + 6, 200, min(18 + 14 * lines, 46))
        _shape(plane, f"Annotation_{i}", note)
        edge = ET.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), {"id": f"Association_{i}_di", "bpmnElement": f"Association_{i}"}
        )
        for x, y in ((target.cx, target.y), (note.x, note.y + note.height)):
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": _n(x), "y": _n(y)})


def _shape(plane: ET.Element, element: str, box: _Box, **attributes: str) -> None:
    shape = ET.SubElement(plane, _q(BPMNDI, "BPMNShape"), {"id": f"{element}_di", "bpmnElement": element, **attributes})
    ET.SubElement(
        shape, _q(DC, "Bounds"), {"x": _n(box.x), "y": _n(box.y), "width": _n(box.width), "height": _n(box.height)}
    )


def _waypoints(source: _Box, target: _Box, forward: bool) -> list[tuple[float, float]]:
    """Orthogonal route: right side to left side going forward, under both boxes going back."""
    if forward:
        start, end = (source.x + source.width, source.cy), (target.x, target.cy)
        if abs(start[1] - end[1]) < 1:
            return [start, end]
        middle = end[0] - 25
        return [start, (middle, start[1]), (middle, end[1]), end]
    low = max(source.y + source.height, target.y + target.height) + 22
    return [
        (source.cx, source.y + source.height),
        (source.cx, low),
        (target.cx, low),
        (target.cx, target.y + target.height),
    ]


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
