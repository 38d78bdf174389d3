"""The pathway graph: one NetworkX DiGraph per pathway, derived from the RDF.

Nodes are the flow nodes (trigger, steps, decisions, end states) keyed by node id;
edges are the transitions, carrying the branch condition (two branches of a decision that
lead to the same step are one edge with both conditions). Timescales are attached to
the node they constrain (``runsTo``) and, where both ends are adjacent, to that edge.
Nothing here states a policy fact: the graph is a view of ``ontology/``. What the drawing
adds to the text is carried along so that it can be drawn as the model's: ``model_added``
on nodes and edges the text does not state, ``owner_model_added`` on nodes whose owner is
assumed, ``order_drawn`` on arrows whose order the text does not state.

The questions a policy author asks of a pathway are answered here: which routes run
from the trigger to an end state, who hands over to whom on a route, how long a route
may take at most and at least, and which steps a role is responsible for.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import networkx as nx
from rdflib import Graph, URIRef

from pathways.model.loading import load_model
from pathways.model.policy import (
    Pathway,
    citation,
    label,
    node_id,
    pathway,
    pathways,
    text,
    timescales,
)
from pathways.model.terms import flag
from pathways.model.vocabulary import PPLAN, PW, RDF, SKOS

NODE_KINDS = {PW.Trigger: "trigger", PW.Activity: "activity", PW.Decision: "decision", PW.EndState: "end"}


def _labels(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted(label(graph, value) for value in graph.objects(subject, predicate))


def _node_attributes(graph: Graph, plan: Pathway, node: URIRef) -> dict:
    kind = next((name for cls, name in NODE_KINDS.items() if (node, RDF.type, cls) in graph), "activity")
    cited = citation(graph, node)
    modality = graph.value(node, PW.modality)
    return {
        "iri": str(node),
        "id": node_id(plan.iri, node),
        "kind": kind,
        "label": label(graph, node),
        "aliases": sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
        "definition": text(graph, node, SKOS.definition),
        "performed_by": _labels(graph, node, PW.performedBy),
        "decided_by": _labels(graph, node, PW.decidedBy),
        "involves": _labels(graph, node, PW.involves),
        "uses": _labels(graph, node, PW.uses),
        "produces": _labels(graph, node, PW.produces),
        "modality": label(graph, modality) if modality is not None else "",
        "wording": text(graph, node, PW.wording),
        "modality_reading": text(graph, node, PW.modalityReading),
        "optional": flag(graph, node, PW.isOptional),
        "escalation": flag(graph, node, PW.isEscalation),
        "model_added": flag(graph, node, PW.modelAdded),
        "owner_model_added": flag(graph, node, PW.ownerModelAdded),
        "urgency": text(graph, node, PW.urgency),
        "ambiguity": text(graph, node, PW.ambiguity),
        "level": label(graph, graph.value(node, PW.level)) if graph.value(node, PW.level) else "",
        "source": cited.section if cited else "",
        "citation": str(cited) if cited else "",
        "quote": cited.quote if cited else "",
        "timescales": [],
    }


def roles_of(attributes: dict) -> list[str]:
    """The roles accountable for a node: who performs it, or who decides it."""
    return attributes["performed_by"] or attributes["decided_by"]


@lru_cache(maxsize=64)
def _cached_graph(authority_id: str, pathway_id: str) -> nx.DiGraph:
    return build_pathway_graph(load_model(), authority_id, pathway_id)


def pathway_graph(authority_id: str, pathway_id: str, graph: Graph | None = None) -> nx.DiGraph:
    """The DiGraph of one pathway (cached for the packaged model)."""
    if graph is None:
        return _cached_graph(authority_id, pathway_id)
    return build_pathway_graph(graph, authority_id, pathway_id)


def build_pathway_graph(graph: Graph, authority_id: str, pathway_id: str) -> nx.DiGraph:
    """Derive the DiGraph of one pathway from the RDF model."""
    plan = pathway(authority_id, pathway_id, graph)
    digraph = nx.DiGraph(
        authority=authority_id,
        pathway=pathway_id,
        title=plan.title,
        flowchart_title=plan.flowchart_title,
        iri=str(plan.iri),
        source=plan.source,
        timescales=[],
    )
    # sorted, so the graph (and every export and drawing made from it) is the same in
    # every process: a set's order changes with Python's hash seed
    members = set(graph.subjects(PPLAN.isStepOfPlan, plan.iri))
    for node in sorted(members):
        attributes = _node_attributes(graph, plan, node)
        digraph.add_node(attributes["id"], **attributes)
    for node in sorted(members):
        transitions = graph.objects(node, PW.next)
        for transition in sorted(transitions, key=lambda t: (str(graph.value(t, PW.to)), text(graph, t, PW.condition))):
            target = graph.value(transition, PW.to)
            if target not in members:
                continue
            source, target_id = node_id(plan.iri, node), node_id(plan.iri, target)
            condition = text(graph, transition, PW.condition)
            if digraph.has_edge(source, target_id):
                # two branches of a decision leading to the same step: one arrow, both labels
                edge = digraph.edges[source, target_id]
                edge["conditions"].append(condition)
                edge["condition"] = " or ".join(c for c in edge["conditions"] if c)
                edge["model_added"] = edge["model_added"] and flag(graph, transition, PW.modelAdded)
                continue
            cited = citation(graph, transition)
            digraph.add_edge(
                source,
                target_id,
                condition=condition,
                conditions=[condition],
                escalation=flag(graph, transition, PW.isEscalation),
                model_added=flag(graph, transition, PW.modelAdded),
                order_drawn=flag(graph, transition, PW.orderDrawn),
                source=cited.section if cited else "",
                timescales=[],
            )
    for row in timescales(graph, authority_id):
        if row.pathway != pathway_id:
            continue
        digraph.graph["timescales"].append(row)
        if row.to_step in digraph:
            digraph.nodes[row.to_step]["timescales"].append(row)
        if digraph.has_edge(row.from_step, row.to_step):
            digraph.edges[row.from_step, row.to_step]["timescales"].append(row)
    return digraph


def all_pathway_graphs(graph: Graph | None = None) -> dict[tuple[str, str], nx.DiGraph]:
    """Every pathway's DiGraph, keyed by (authority id, pathway id)."""
    model = graph if graph is not None else load_model()
    return {(p.authority.id, p.id): pathway_graph(p.authority.id, p.id, graph) for p in pathways(model)}


def trigger(digraph: nx.DiGraph) -> str:
    """The pathway's trigger node id.

    >>> trigger(pathway_graph("knowsley", "step-up-planned"))
    'needs-increasing'
    """
    return next(n for n, kind in digraph.nodes(data="kind") if kind == "trigger")


def display_order(digraph: nx.DiGraph) -> list[str]:
    """Node ids breadth-first from the trigger, then any others by id: the order a
    flowchart reads, top to bottom, used by every drawing, table and export.

    >>> display_order(pathway_graph("knowsley", "step-up-planned"))[0]
    'needs-increasing'
    """
    starts = [n for n, kind in digraph.nodes(data="kind") if kind == "trigger"]
    if not starts:  # a part of a pathway (a walkthrough's close-up): from the nodes nothing leads to
        starts = sorted(n for n in digraph if digraph.in_degree(n) == 0) or sorted(digraph)[:1]
    seen: list[str] = []
    for start in starts:
        seen += [n for n in nx.bfs_tree(digraph, start) if n not in seen]
    return seen + sorted(set(digraph) - set(seen))


def end_states(digraph: nx.DiGraph) -> list[str]:
    """The pathway's end-state node ids."""
    return sorted(n for n, kind in digraph.nodes(data="kind") if kind == "end")


def routes(digraph: nx.DiGraph) -> list[list[str]]:
    """Every simple route from the trigger to an end state, shortest first."""
    start = trigger(digraph)
    found = [path for end in end_states(digraph) for path in nx.all_simple_paths(digraph, start, end)]
    return sorted(found, key=lambda path: (len(path), path))


@dataclass(frozen=True)
class Handoff:
    """Responsibility passing from one role to another along a route."""

    at: str
    from_roles: tuple[str, ...]
    to_roles: tuple[str, ...]


def handoffs(digraph: nx.DiGraph, route: list[str]) -> list[Handoff]:
    """Where responsibility changes hands along a route (end states carry no role)."""
    found: list[Handoff] = []
    previous: tuple[str, ...] = ()
    for node in route:
        roles = tuple(roles_of(digraph.nodes[node]))
        if not roles:
            continue
        if previous and roles != previous:
            found.append(Handoff(at=node, from_roles=previous, to_roles=roles))
        previous = roles
    return found


def route_roles(digraph: nx.DiGraph, route: list[str]) -> list[str]:
    """The roles that act or decide along a route, in order of first appearance."""
    seen: dict[str, None] = {}
    for node in route:
        for role in roles_of(digraph.nodes[node]):
            seen.setdefault(role)
    return list(seen)


# Working-day equivalents used to add up timescales stated in different units. An upper
# bound converts each unit to the most working days it can contain, a lower bound to the
# fewest, so the route bounds are safe in both directions.
_UPPER_WORKING_DAYS = {
    "working_days": 1,
    "days": 1,
    "hours": Decimal(1) / 24,
    "weeks": 5,
    "months": 23,
    "same_day": 0,
}
_LOWER_WORKING_DAYS = {
    "working_days": 1,
    "days": Decimal(5) / 7,
    "hours": 0,
    "weeks": 5,
    "months": 20,
    "same_day": 0,
}

_UPPER_KINDS = {"deadline", "lookback", "review", "same_day"}
_LOWER_KINDS = {"minimum", "notice"}


@dataclass(frozen=True)
class RouteBounds:
    """The least and most time a route allows from trigger to end, in working days.

    ``longest`` is None when some part of the route has no upper limit in the policy.
    """

    shortest: Decimal
    longest: Decimal | None
    timescales: tuple[str, ...]


def format_working_days(value: Decimal | None) -> str:
    """A route bound as shown in tables: whole days plainly, others to one decimal.

    >>> format_working_days(Decimal("5.00")), format_working_days(Decimal("2.125")), format_working_days(None)
    ('5', '2.1', 'no upper limit')
    """
    if value is None:
        return "no upper limit"
    return format(value.normalize(), "f") if value == value.to_integral_value() else f"{float(value):.1f}"


def route_bounds(digraph: nx.DiGraph, route: list[str]) -> RouteBounds:
    """Add up the timescales that govern a route as difference constraints.

    Each step happens no earlier than the one before it; a deadline ``d`` from A to B says
    t(B) <= t(A) + d; a minimum or notice period ``m`` says t(B) >= t(A) + m. The longest
    time is the shortest path from trigger to end in that constraint graph; the shortest
    time is minus the shortest path back. Approximate durations and day-of-week rules set
    no bound. Units are converted to working days conservatively (see the tables above).
    """
    on_route = set(route)
    constraints = nx.DiGraph()
    constraints.add_nodes_from(route)
    for earlier, later in itertools.pairwise(route):
        constraints.add_edge(later, earlier, weight=Decimal(0))
    used = []
    for row in digraph.graph["timescales"]:
        if row.from_step not in on_route or row.to_step not in on_route:
            continue
        unit = row.audit_unit or row.unit
        amount = row.amount or Decimal(0)
        if row.kind in _UPPER_KINDS and unit in _UPPER_WORKING_DAYS:
            _tighten(constraints, row.from_step, row.to_step, amount * _UPPER_WORKING_DAYS[unit])
            used.append(row.label)
        elif row.kind in _LOWER_KINDS and unit in _LOWER_WORKING_DAYS:
            # notice is given at 'from' at least m before 'to': the same t(to) - t(from) >= m
            _tighten(constraints, row.to_step, row.from_step, -amount * _LOWER_WORKING_DAYS[unit])
            used.append(row.label)
    start, end = route[0], route[-1]
    try:
        longest = Decimal(nx.bellman_ford_path_length(constraints, start, end))
    except nx.NetworkXNoPath:
        longest = None
    try:
        shortest = -Decimal(nx.bellman_ford_path_length(constraints, end, start))
    except nx.NetworkXNoPath:
        shortest = Decimal(0)
    return RouteBounds(shortest=max(shortest, Decimal(0)), longest=longest, timescales=tuple(used))


def _tighten(constraints: nx.DiGraph, source: str, target: str, weight: Decimal) -> None:
    if constraints.has_edge(source, target):
        weight = min(weight, constraints.edges[source, target]["weight"])
    constraints.add_edge(source, target, weight=weight)


def responsibilities(digraph: nx.DiGraph, role: str) -> list[str]:
    """The steps and decisions a role is accountable for (case-insensitive role label)."""
    wanted = role.casefold()
    return [node for node, data in digraph.nodes(data=True) if any(r.casefold() == wanted for r in roles_of(data))]
