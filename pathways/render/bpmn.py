"""A pathway as BPMN 2.0 XML that a modeller (bpmn.io, Camunda Modeler) and a process-mining
tool (PM4Py) accept.

The process is read from the pathway graph (itself derived from the RDF): one pool for the
pathway with one lane per accountable role. Every split and join is an explicit gateway, so a
task has one incoming and one outgoing sequence flow:

- the trigger is a start event followed by a task for the recorded trigger activity;
- a step is a task; an optional step sits between an exclusive gateway and an exclusive
  join, with a flow that bypasses it;
- a decision is a task (the decision being recorded) followed by an exclusive gateway
  named by the decision, whose outgoing flows are named by the branch conditions (the
  policy's words, as names: no condition expressions, since the conditions are prose);
- a step the text lets go more than one way is followed by an exclusive gateway;
- a node reached from more than one place is preceded by an exclusive join;
- end states are end events.

The model states no parallel or inclusive branching, so every gateway is exclusive.

A task's name is the step id: the activity name case records carry (``pathways synth``
writes it in the ``activity`` column), so a process-mining tool matches log events to tasks
as they are. The step's label, who does it, the policy's words and its modality are the
first lines of the task's documentation; start and end events and gateways carry labels.
Timescales are text annotations on the step they constrain.

The diagram (BPMNDI) is laid out by Graphviz: its columns (ranks) and the order of the
nodes in a column, then snapped to a grid of columns and lane rows. Sequence flows run
only in the free channels between columns and the free corridors between rows, so no flow
passes through a shape it does not connect. Gateways and events carry their labels above
them; a flow's name sits in the channel before its target, names sharing a channel pushed
apart, so no label covers a shape or another label.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import networkx as nx

from pathways.model.graph import display_order, roles_of

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TARGET_NAMESPACE = "https://w3id.org/stepupdown/pathways/bpmn"

SIZE = {"startEvent": (36, 36), "task": (130, 80), "exclusiveGateway": (50, 50), "endEvent": (36, 36)}

POOL_X, POOL_Y = 100, 60
POOL_HEADER = 30  # the pool's name band
LANE_HEADER = 30  # each lane's name band
GAP = 80  # the channel between two columns, where flows run up and down
NODE_BAND = 80  # the height of a row's nodes
CORRIDOR = 44  # the free band under a row's nodes, where flows run across
TOP = 24  # the least space above a row's nodes (its annotations go there)
ANNOTATION_WIDTH = 170
TRACKS = 6  # parallel tracks in a channel or corridor, so flows sharing one stay apart
LABEL_WIDTH = 90  # the width bpmn.io wraps an external label to (a gateway's, an event's, a flow's)
LABEL_GAP = GAP + LABEL_WIDTH + 20  # a channel with the names of the flows entering the next column

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

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass
class _Element:
    """One BPMN flow node: the graph node it stands for and the lane it is drawn in."""

    id: str
    tag: str
    name: str
    node: str
    lane: str
    documentation: str = ""
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str = ""
    documentation: str = ""


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
    if data["optional"]:
        parts.append("Optional: a case may go without it.")
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


def _flow_documentation(data: dict) -> str:
    parts = [f"If {data['condition']}."] if data["condition"] else []
    if data.get("source"):
        parts.append(f"\u00a7{data['source']}")
    if data.get("order_drawn"):
        parts.append("The text does not state this order; the drawing adds it.")
    return " ".join(parts)


def process_elements(digraph: nx.DiGraph) -> tuple[dict[str, _Element], list[_Flow], dict[str, str]]:
    """The BPMN flow nodes and sequence flows of a pathway graph, and the element that
    stands for each graph node (its task, or its event)."""
    order = display_order(digraph)
    _, lane_of = lanes(digraph)
    elements: dict[str, _Element] = {}
    flows: list[_Flow] = []
    entry: dict[str, str] = {}
    exit_: dict[str, str] = {}
    main: dict[str, str] = {}

    def add(element_id: str, tag: str, name: str, node: str, documentation: str = "") -> str:
        elements[element_id] = _Element(element_id, tag, name, node, lane_of[node], documentation)
        return element_id

    def connect(source: str, target: str, name: str = "", documentation: str = "") -> None:
        flow = _Flow(f"Flow_{len(flows) + 1}", source, target, name, documentation)
        flows.append(flow)
        elements[source].outgoing.append(flow.id)
        elements[target].incoming.append(flow.id)

    for node in order:
        data = digraph.nodes[node]
        kind, label = data["kind"], data["label"]
        chain: list[str] = []
        if digraph.in_degree(node) > 1:
            chain.append(add(xml_id("Join", node), "exclusiveGateway", "", node, f"Paths meet before: {label}"))
        if kind == "trigger":
            if roles_of(data):
                chain.append(add(xml_id("Start", node), "startEvent", label, node, _documentation(data)))
                main[node] = add(xml_id("Node", node), "task", node, node, _documentation(data))
            else:
                main[node] = add(xml_id("Node", node), "startEvent", label, node, _documentation(data))
            chain.append(main[node])
        elif kind == "end":
            main[node] = add(xml_id("Node", node), "endEvent", label, node, _documentation(data))
            chain.append(main[node])
        else:
            optional = data["optional"] and kind == "activity"
            if optional:
                chain.append(add(xml_id("Optional", node), "exclusiveGateway", f"{label}?", node, "An optional step."))
            main[node] = add(xml_id("Node", node), "task", node, node, _documentation(data))
            chain.append(main[node])
            if optional:
                chain.append(add(xml_id("Done", node), "exclusiveGateway", "", node, f"After: {label}"))
        if digraph.out_degree(node) > 1:
            name = label if kind == "decision" else f"Which way after: {label}?"
            chain.append(add(xml_id("Split", node), "exclusiveGateway", name, node, f"The branches of: {label}"))
        for source, target in itertools.pairwise(chain):
            if source.startswith("Optional_"):
                connect(source, target, "carried out")
            else:
                connect(source, target)
        if data["optional"] and kind == "activity":
            connect(xml_id("Optional", node), xml_id("Done", node), "skipped")
        entry[node], exit_[node] = chain[0], chain[-1]

    edges = sorted(digraph.edges(data=True), key=lambda e: (order.index(e[0]), order.index(e[1])))
    for u, v, data in edges:
        source = exit_[u]
        forking = source.startswith("Split_")
        name = (data["condition"] or "otherwise") if forking else ""
        connect(source, entry[v], name, _flow_documentation(data))
    return elements, flows, main


def pathway_bpmn(digraph: nx.DiGraph) -> str:
    """The BPMN 2.0 XML document (with diagram) of one pathway graph."""
    for prefix, uri in NAMESPACES.items():  # the prefixes ElementTree writes (a registry of its own)
        ET.register_namespace(prefix, uri)
    authority = digraph.graph.get("authority", "authority")
    pathway = digraph.graph.get("pathway", "pathway")
    title = digraph.graph.get("flowchart_title") or digraph.graph.get("title", pathway)
    process_id = xml_id("Process", f"{authority}_{pathway}")
    participant_id = xml_id("Participant", f"{authority}_{pathway}")

    definitions = ET.Element(
        _q(BPMN, "definitions"),
        {
            "id": xml_id("Definitions", f"{authority}_{pathway}"),
            "name": title,
            "targetNamespace": TARGET_NAMESPACE,
            "exporter": "pathways (stepupdown-pathways)",
            "exporterVersion": "0.2.0",
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
    documentation.text = (
        f"{title} ({authority}/{pathway}). Source: {digraph.graph.get('source', '')}. "
        "Task names are the step ids case records carry; each task's documentation begins with its label."
    )

    elements, flows, main = process_elements(digraph)
    lane_names, _ = lanes(digraph)
    lane_set = ET.SubElement(process, _q(BPMN, "laneSet"), {"id": "LaneSet_1"})
    lane_ids = {name: f"Lane_{i + 1}" for i, name in enumerate(lane_names)}
    for name in lane_names:
        lane = ET.SubElement(lane_set, _q(BPMN, "lane"), {"id": lane_ids[name], "name": name})
        for element in elements.values():
            if element.lane == name:
                ET.SubElement(lane, _q(BPMN, "flowNodeRef")).text = element.id

    for element in elements.values():
        attributes = {"id": element.id}
        if element.name:
            attributes["name"] = element.name
        node = ET.SubElement(process, _q(BPMN, element.tag), attributes)
        if element.documentation:
            ET.SubElement(node, _q(BPMN, "documentation")).text = element.documentation
        for flow_id in element.incoming:
            ET.SubElement(node, _q(BPMN, "incoming")).text = flow_id
        for flow_id in element.outgoing:
            ET.SubElement(node, _q(BPMN, "outgoing")).text = flow_id
    for flow in flows:
        attributes = {"id": flow.id, "sourceRef": flow.source, "targetRef": flow.target}
        if flow.name:
            attributes["name"] = flow.name
        element = ET.SubElement(process, _q(BPMN, "sequenceFlow"), attributes)
        if flow.documentation:
            ET.SubElement(element, _q(BPMN, "documentation")).text = flow.documentation

    timed = _timed(digraph)
    labels = dict(digraph.nodes(data="label"))
    notes = {main[node]: _timescale_text(rows, labels) for node, rows in timed.items() if node in main}
    annotated = [element_id for element_id in elements if element_id in notes]
    for i, element_id in enumerate(annotated, start=1):
        annotation = ET.SubElement(process, _q(BPMN, "textAnnotation"), {"id": f"Annotation_{i}"})
        ET.SubElement(annotation, _q(BPMN, "text")).text = notes[element_id]
    for i, element_id in enumerate(annotated, start=1):
        ET.SubElement(
            process,
            _q(BPMN, "association"),
            {"id": f"Association_{i}", "sourceRef": element_id, "targetRef": f"Annotation_{i}"},
        )

    _diagram(definitions, elements, flows, lane_names, lane_ids, annotated, notes, participant_id)
    ET.indent(definitions, space="  ")
    return ET.tostring(definitions, encoding="unicode", xml_declaration=True) + "\n"


# ---------------------------------------------------------------- layout


def _back_edges(elements: dict[str, _Element], flows: list[_Flow]) -> set[tuple[str, str]]:
    graph = nx.DiGraph()
    graph.add_nodes_from(elements)
    graph.add_edges_from((f.source, f.target) for f in flows)
    starts = [e.id for e in elements.values() if e.tag == "startEvent"] or list(elements)[:1]
    back: set[tuple[str, str]] = set()
    for start in starts:
        for u, v, kind in nx.dfs_labeled_edges(graph, start):
            if kind == "nontree" and nx.has_path(graph, v, u):
                back.add((u, v))
    return back


def _graphviz_grid(
    elements: dict[str, _Element], flows: list[_Flow], lane_names: list[str]
) -> tuple[dict[str, int], dict[str, float]]:
    """Each element's column (its Graphviz rank, left to right) and its Graphviz height
    (for the order of elements sharing a column in a lane)."""
    import pygraphviz

    back = _back_edges(elements, flows)
    graph = pygraphviz.AGraph(directed=True, strict=False, rankdir="LR", newrank="true", nodesep="0.4", ranksep="0.5")
    for element in elements.values():
        width, height = SIZE[element.tag]
        graph.add_node(element.id, shape="box", fixedsize="true", width=width / 72, height=height / 72, label="")
    for i, name in enumerate(lane_names):
        members = [e.id for e in elements.values() if e.lane == name]
        if members:
            graph.add_subgraph(members, name=f"cluster_{i}")
    for flow in flows:
        if (flow.source, flow.target) in back:
            graph.add_edge(flow.target, flow.source)  # drawn backwards, so it ranks like a forward edge
        else:
            graph.add_edge(flow.source, flow.target)
    graph.layout(prog="dot")
    x: dict[str, float] = {}
    y: dict[str, float] = {}
    for element_id in elements:
        px, py = (float(v) for v in graph.get_node(element_id).attr["pos"].split(","))
        x[element_id], y[element_id] = px, py
    ranks = sorted({round(v) for v in x.values()})
    column = {element_id: ranks.index(round(v)) for element_id, v in x.items()}
    return column, y


def _annotation_height(text: str, width: float) -> float:
    lines = sum(max(1, math.ceil(len(line) * 6.2 / (width - 10))) for line in text.split("\n"))
    return 12 + 15 * lines


def _label_height(text: str) -> float:
    """The height of an external label: its words wrapped greedily to the label width."""
    lines, used = 1, 0.0
    for word in text.split():
        needed = len(word) * 6.2
        if used and used + 3.5 + needed > LABEL_WIDTH:
            lines, used = lines + 1, needed
        else:
            used += (3.5 if used else 0) + needed
        while used > LABEL_WIDTH:  # a word longer than a line
            lines, used = lines + 1, used - LABEL_WIDTH
    return 6 + 14 * lines


def _diagram(definitions, elements, flows, lane_names, lane_ids, annotated, notes, participant_id):
    column, height = _graphviz_grid(elements, flows, lane_names)
    by_id = {f"Annotation_{i}": element_id for i, element_id in enumerate(annotated, start=1)}
    note_of = {element_id: annotation for annotation, element_id in by_id.items()}

    # rows: within a lane and column, elements in Graphviz's order, top to bottom
    cells: dict[tuple[str, int], list[str]] = {}
    for element_id in sorted(elements, key=lambda e: -height[e]):
        cells.setdefault((elements[element_id].lane, column[element_id]), []).append(element_id)
    row = {element_id: i for members in cells.values() for i, element_id in enumerate(members)}
    rows_in = {name: max((len(m) for (lane, _), m in cells.items() if lane == name), default=1) for name in lane_names}

    # external labels: above a gateway or event; a flow's name in the channel before its target
    labelled = {e: _label_height(elements[e].name) for e in elements if elements[e].name and elements[e].tag != "task"}
    named_flows = [f for f in flows if f.name]
    columns = max(column.values(), default=0) + 1
    width = [0.0] * columns
    for element_id, element in elements.items():
        wanted = ANNOTATION_WIDTH if element_id in note_of else SIZE[element.tag][0]
        if element_id in labelled:
            wanted = max(wanted, LABEL_WIDTH)
        width[column[element_id]] = max(width[column[element_id]], wanted)
    gap = [GAP] * (columns + 1)  # gap[c]: the channel left of column c
    for flow in named_flows:
        gap[column[flow.target]] = LABEL_GAP
    left = [0.0] * (columns + 1)
    x = POOL_X + POOL_HEADER + LANE_HEADER
    for c in range(columns):
        left[c] = x + gap[c]
        x = left[c] + width[c]
    left[columns] = x + gap[columns]  # the channel right of the last column
    x = left[columns]
    lane_x = POOL_X + POOL_HEADER
    lane_width = x - lane_x

    note_height = {element_id: _annotation_height(notes[element_id], ANNOTATION_WIDTH) for element_id in note_of}
    lane_boxes: dict[str, _Box] = {}
    row_top: dict[tuple[str, int], float] = {}
    row_space: dict[tuple[str, int], float] = {}
    y = POOL_Y
    for name in lane_names:
        start = y
        for r in range(rows_in[name]):
            members = [e for e in elements if elements[e].lane == name and row[e] == r]
            space = max(
                [TOP]
                + [note_height[e] + 16 for e in members if e in note_height]
                + [labelled[e] + 8 - (NODE_BAND - SIZE[elements[e].tag][1]) / 2 for e in members if e in labelled]
            )
            row_top[name, r], row_space[name, r] = y, space
            y += space + NODE_BAND + CORRIDOR
        lane_boxes[name] = _Box(lane_x, start, lane_width, y - start)
    pool = _Box(POOL_X, POOL_Y, POOL_HEADER + lane_width, y - POOL_Y)
    global_row = {key: i for i, key in enumerate(sorted(row_top, key=lambda k: row_top[k]))}

    boxes: dict[str, _Box] = {}
    for element_id, element in elements.items():
        w, h = SIZE[element.tag]
        key = (element.lane, row[element_id])
        cx = left[column[element_id]] + width[column[element_id]] / 2
        cy = row_top[key] + row_space[key] + NODE_BAND / 2
        boxes[element_id] = _Box(cx - w / 2, cy - h / 2, w, h)

    channel_use: dict[int, int] = {}
    corridor_use: dict[tuple[str, int], int] = {}

    def channel(c: int) -> float:
        """A track in the channel left of column c."""
        n = channel_use.get(c, 0)
        channel_use[c] = n + 1
        return left[c] - gap[c] + 14 + (n % TRACKS) * (GAP - 28) / (TRACKS - 1)

    def corridor(key: tuple[str, int]) -> float:
        """A track in the corridor under a row."""
        n = corridor_use.get(key, 0)
        corridor_use[key] = n + 1
        bottom = row_top[key] + row_space[key] + NODE_BAND
        return bottom + 8 + (n % TRACKS) * (CORRIDOR - 16) / (TRACKS - 1)

    occupied = {(elements[e].lane, row[e], column[e]) for e in elements}

    def route(flow: _Flow) -> list[tuple[float, float]]:
        s, t = boxes[flow.source], boxes[flow.target]
        cs, ct = column[flow.source], column[flow.target]
        ks = (elements[flow.source].lane, row[flow.source])
        kt = (elements[flow.target].lane, row[flow.target])
        start, end = (s.right, s.cy), (t.x, t.cy)
        if ct > cs and ks == kt and all((*ks, c) not in occupied for c in range(cs + 1, ct)):
            return [start, end]
        if ct == cs + 1:
            middle = channel(ct)
            return [start, (middle, s.cy), (middle, t.cy), end]
        across = corridor(ks if global_row[kt] >= global_row[ks] else kt)
        out, into = channel(cs + 1), channel(ct)
        return [start, (out, s.cy), (out, across), (into, across), (into, t.cy), end]

    diagram = ET.SubElement(definitions, _q(BPMNDI, "BPMNDiagram"), {"id": "BPMNDiagram_1"})
    plane = ET.SubElement(diagram, _q(BPMNDI, "BPMNPlane"), {"id": "BPMNPlane_1", "bpmnElement": "Collaboration_1"})
    _shape(plane, participant_id, pool, isHorizontal="true")
    for name in lane_names:
        _shape(plane, lane_ids[name], lane_boxes[name], isHorizontal="true")
    for element_id, element in elements.items():
        extra = {"isMarkerVisible": "true"} if element.tag == "exclusiveGateway" else {}
        _shape(plane, element_id, boxes[element_id], **extra)
    for element_id, label_height in labelled.items():
        shape = plane.find(f"bpmndi:BPMNShape[@bpmnElement='{element_id}']", NAMESPACES)
        box = boxes[element_id]
        _label(shape, _Box(box.cx - LABEL_WIDTH / 2, box.y - 4 - label_height, LABEL_WIDTH, label_height))
    flow_labels = _flow_labels(named_flows, boxes, column, left, pool)
    for flow in flows:
        edge = ET.SubElement(plane, _q(BPMNDI, "BPMNEdge"), {"id": f"{flow.id}_di", "bpmnElement": flow.id})
        for px, py in _simplify(route(flow)):
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": _n(px), "y": _n(py)})
        if flow.id in flow_labels:
            _label(edge, flow_labels[flow.id])
    for annotation, element_id in by_id.items():
        target = boxes[element_id]
        c = column[element_id]
        key = (elements[element_id].lane, row[element_id])
        note = _Box(
            left[c] + (width[c] - ANNOTATION_WIDTH) / 2, row_top[key] + 6, ANNOTATION_WIDTH, note_height[element_id]
        )
        _shape(plane, annotation, note)
        number = annotation.removeprefix("Annotation_")
        edge = ET.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), {"id": f"Association_{number}_di", "bpmnElement": f"Association_{number}"}
        )
        for px, py in ((target.cx, target.y), (target.cx, note.y + note.height)):
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": _n(px), "y": _n(py)})


def _flow_labels(named_flows, boxes, column, left, pool: _Box) -> dict[str, _Box]:
    """Each named flow's label: in the channel before its target, just above the run into
    it; labels sharing a channel pushed apart (down, then up from the pool's foot)."""
    by_channel: dict[int, list] = {}
    for flow in named_flows:
        target, height = boxes[flow.target], _label_height(flow.name)
        by_channel.setdefault(column[flow.target], []).append([target.cy - 4 - height, height, flow.id])
    found: dict[str, _Box] = {}
    for c, labels in by_channel.items():
        labels.sort()
        for previous, label in itertools.pairwise(labels):
            label[0] = max(label[0], previous[0] + previous[1] + 4)
        floor = pool.y + pool.height - 4
        for label in reversed(labels):
            label[0] = min(label[0], floor - label[1])
            floor = label[0] - 4
        for top, height, flow_id in labels:
            found[flow_id] = _Box(left[c] - 8 - LABEL_WIDTH, top, LABEL_WIDTH, height)
    return found


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The route without repeated points or points in the middle of a straight run."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and abs(kept[-1][0] - point[0]) < 0.01 and abs(kept[-1][1] - point[1]) < 0.01:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (abs(ax - bx) < 0.01 and abs(bx - point[0]) < 0.01) or (
                abs(ay - by) < 0.01 and abs(by - point[1]) < 0.01
            ):
                kept[-1] = point
                continue
        kept.append(point)
    return kept


def _label(parent: ET.Element, box: _Box) -> None:
    label = ET.SubElement(parent, _q(BPMNDI, "BPMNLabel"))
    ET.SubElement(
        label, _q(DC, "Bounds"), {"x": _n(box.x), "y": _n(box.y), "width": _n(box.width), "height": _n(box.height)}
    )


def _shape(plane: ET.Element, element: str, box: _Box, **attributes: str) -> None:
    shape = ET.SubElement(plane, _q(BPMNDI, "BPMNShape"), {"id": f"{element}_di", "bpmnElement": element, **attributes})
    ET.SubElement(
        shape, _q(DC, "Bounds"), {"x": _n(box.x), "y": _n(box.y), "width": _n(box.width), "height": _n(box.height)}
    )


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
