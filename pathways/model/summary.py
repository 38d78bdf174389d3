"""What a policy author reads about one pathway, as plain data (``pathways show``).

Steps and decisions in the order the flowchart reads, transitions, timescales, the
obligations the audit checks (by template, with condition, modality and citation), the
evidence keys a record can carry, and every route from the trigger to an end state with
its hand-offs and time bounds; ``show`` in any format and the explorer say the same.
"""

from __future__ import annotations

from pathways.model.graph import display_order, handoffs, pathway_graph, roles_of, route_bounds, routes
from pathways.model.policy import Timescale, obligations, pathway, requirements

__all__ = ["TIMESCALE_COLUMNS", "pathway_summary", "timescale_row"]

TIMESCALE_COLUMNS = [
    "authority",
    "pathway",
    "from_step",
    "to_step",
    "amount",
    "unit",
    "kind",
    "modality",
    "source",
    "weekday",
    "audit_unit",
    "label",
    "quote",
    "ambiguity",
]


def timescale_row(row: Timescale) -> dict:
    """One timescale as a table row with :data:`TIMESCALE_COLUMNS`."""
    return {column: getattr(row, column) for column in TIMESCALE_COLUMNS}


def pathway_summary(authority_id: str, pathway_id: str) -> dict:
    """Everything a policy author reads about one pathway, as plain data.

    >>> summary = pathway_summary("knowsley", "step-up-planned")
    >>> summary["nodes"][0]["kind"], len(summary["routes"]) > 0
    ('trigger', True)
    """
    plan = pathway(authority_id, pathway_id)
    digraph = pathway_graph(authority_id, pathway_id)
    order = {node: i for i, node in enumerate(display_order(digraph))}
    nodes = [
        {
            "id": node,
            "kind": data["kind"],
            "label": data["label"],
            "roles": roles_of(data),
            "involves": data["involves"],
            "modality": data["modality"],
            "wording": data["wording"],
            "optional": data["optional"],
            "documents": sorted(set(data["uses"]) | set(data["produces"])),
            "level": data["level"],
            "source": data["source"],
            "quote": data["quote"],
            "ambiguity": data["ambiguity"],
            "model_added": data["model_added"],
            "owner_model_added": data["owner_model_added"],
        }
        for node, data in sorted(digraph.nodes(data=True), key=lambda item: order[item[0]])
    ]
    transitions = [
        {
            "from": a,
            "to": b,
            "condition": d["condition"],
            "source": d["source"],
            "model_added": d["model_added"],
            "order_drawn": d["order_drawn"],
        }
        for a, b, d in sorted(digraph.edges(data=True), key=lambda e: (order[e[0]], order[e[1]]))
    ]
    route_rows = []
    for route in routes(digraph):
        bounds = route_bounds(digraph, route)
        route_rows.append(
            {
                "route": route,
                "end": digraph.nodes[route[-1]]["label"],
                "handoffs": [
                    f"{' / '.join(h.from_roles)} -> {' / '.join(h.to_roles)} at {h.at}"
                    for h in handoffs(digraph, route)
                ],
                "shortest_working_days": bounds.shortest,
                "longest_working_days": bounds.longest,
            }
        )
    return {
        "authority": plan.authority.id,
        "pathway": plan.id,
        "title": plan.flowchart_title,
        "kind": plan.kind,
        "direction": plan.direction,
        "from_levels": list(plan.from_levels),
        "to_levels": list(plan.to_levels),
        "source": plan.source,
        "definition": plan.definition,
        "nodes": nodes,
        "transitions": transitions,
        "timescales": [timescale_row(t) for t in digraph.graph["timescales"]],
        "obligations": [
            {
                "id": o.id,
                "template": o.template,
                "target": o.target,
                "detail": _detail(o),
                "condition": o.condition(),
                "modality": o.modality,
                "wording": o.wording,
                "source": o.source,
                "quote": o.quote,
                "audit_reading": o.audit_reading,
            }
            for o in obligations(None, plan)
        ],
        "evidence_keys": [
            {"key": r.key, "step": r.step, "requirement": r.label, "modality": r.modality, "source": r.source}
            for r in requirements(None, plan)
            if r.key
        ],
        "routes": route_rows,
    }


def _detail(obligation) -> str:
    """What the obligation asks, in a few words (the other step, the roles, when it is due)."""
    if obligation.template == "existence":
        return "due by " + " or ".join(obligation.due_by)
    if obligation.template == "precedence":
        return "; ".join([*(f"after {s}" for s in obligation.follows), *(f"before {s}" for s in obligation.precedes)])
    if obligation.template == "service-hours":
        return f"within {'; '.join(obligation.opening_hours)}; else {obligation.out_of_hours_step}"
    return "by " + " or ".join(obligation.roles)
