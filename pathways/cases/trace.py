"""The path a case took through its pathway's flowchart.

Events are aligned with the pathway graph in time order: from the trigger, each event's
step is reached by the shortest path from the last step reached, which fills in the
decisions and steps the case passed through without a record of them. An event whose
step cannot be reached from there is out of the drawing's order.

The route is the drawing's, and the drawing holds choices the text does not make, so a
trace never judges a case by it. Two lists are kept apart:

- ``skipped``: the steps the audit reports missing (its existence findings, passed in),
  so ``trace`` and ``validate`` always agree on what was skipped;
- ``not_recorded``: steps on the drawn route with no record, for orientation only: the
  text may not require them on this case's branch, or at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import networkx as nx

from pathways.cases import CaseRecord
from pathways.model.graph import end_states, pathway_graph, trigger


class NodeFinding(Protocol):
    """What a trace reads of an audit finding (see :class:`pathways.audit.Finding`)."""

    rule: str
    node: str


@dataclass
class Trace:
    """The route of one case, with what it skipped and what it did out of the drawn order."""

    case_id: str
    authority: str
    pathway: str
    route: list[str]
    visited: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    out_of_order: list[tuple[str, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    end: str = ""
    not_recorded: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "case_id": self.case_id,
            "authority": self.authority,
            "pathway": self.pathway,
            "route": self.route,
            "visited": self.visited,
            "skipped": self.skipped,
            "out_of_order": [{"step": a, "before": b} for a, b in self.out_of_order],
            "unmatched": self.unmatched,
            "end": self.end,
            "not_recorded": self.not_recorded,
        }


def trace_case(record: CaseRecord, digraph: nx.DiGraph | None = None, findings: Iterable[NodeFinding] = ()) -> Trace:
    """Align a case's events with its pathway graph; ``findings`` are the case's audit findings.

    Only the audit's existence findings make a step skipped; without findings nothing is.
    """
    digraph = digraph if digraph is not None else pathway_graph(record.authority, record.pathway)
    start = trigger(digraph)
    route = [start]
    visited: dict[str, list[str]] = {}
    unmatched: list[str] = []
    out_of_order: list[tuple[str, str]] = []
    current = start
    for event in record.events:
        if event.node not in digraph:
            unmatched.append(f"event {event.sequence}: {event.node}")
            continue
        visited.setdefault(event.node, []).append(event.day.isoformat())
        if event.node in route:
            continue
        try:
            path = nx.shortest_path(digraph, current, event.node)
        except nx.NetworkXNoPath:
            later = next((n for n in reversed(route) if nx.has_path(digraph, event.node, n)), None)
            out_of_order.append((event.node, later or current))
            continue
        route += path[1:]
        current = event.node
    end = _end_state(digraph, record, current)
    if end and end != current:
        route += nx.shortest_path(digraph, current, end)[1:]
    not_recorded = [
        node
        for node in route
        if node not in visited
        and digraph.nodes[node]["kind"] in {"activity", "decision"}
        and _before_last_visit(route, node, visited)
    ]
    missing = {f.node for f in findings if f.rule.partition(":")[0] == "existence" and f.node}
    skipped = [node for node in route if node in missing] + sorted(missing - set(route))
    return Trace(
        record.case_id,
        record.authority,
        record.pathway,
        route,
        visited,
        skipped,
        out_of_order,
        unmatched,
        end if end else (current if digraph.nodes[current]["kind"] == "end" else ""),
        [node for node in not_recorded if node not in missing],
    )


def _before_last_visit(route: list[str], node: str, visited: dict[str, list[str]]) -> bool:
    """A step counts as skipped only if the case went on past it."""
    position = route.index(node)
    return any(route.index(v) > position for v in visited if v in route)


def _end_state(digraph: nx.DiGraph, record: CaseRecord, current: str) -> str:
    """The end state the case records (by its level after), if reachable from where it got to."""
    if digraph.nodes[current]["kind"] == "end" or not record.level_after:
        return ""
    wanted = record.level_after.casefold()
    for end in end_states(digraph):
        data = digraph.nodes[end]
        if wanted in {data["level"].casefold(), end.casefold(), data["label"].casefold()} and nx.has_path(
            digraph, current, end
        ):
            return end
    return ""
