"""Who is involved in a pathway pair: the roles its steps name, and the hand-offs between them.

A role row compares roles the alignment states as corresponding; the hand-offs row lists each
pathway's distinct hand-offs (from roles to roles, over all routes) and counts those of A that
pass between roles corresponding to the two roles of a hand-off of B.
"""

from __future__ import annotations

import networkx as nx

from pathways.compare.context import PairSides
from pathways.compare.matching import membership_rows
from pathways.compare.records import Row, Side
from pathways.model.graph import handoffs, routes
from pathways.model.terms import label

__all__ = ["Handoffs", "distinct_handoffs", "handoff_rows", "role_rows"]

#: Distinct hand-offs of a pathway: (roles handing over, roles taking over), in order.
Handoffs = list[tuple[tuple[str, ...], tuple[str, ...]]]


def distinct_handoffs(digraph: nx.DiGraph) -> Handoffs:
    """Every distinct hand-off (from roles, to roles) over all routes, in order of first appearance.

    Parameters
    ----------
    digraph : networkx.DiGraph
        A pathway's flow graph.

    Returns
    -------
    list of tuple
        (roles handing over, roles taking over), by role label.
    """
    found: dict[tuple[tuple[str, ...], tuple[str, ...]], None] = {}
    for route in routes(digraph):
        for h in handoffs(digraph, route):
            found.setdefault((h.from_roles, h.to_roles))
    return list(found)


def role_rows(pair: PairSides) -> list[Row]:
    """Rows for the roles the pathways' steps name (performs, decides, is involved).

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        Aspect "role".
    """
    return membership_rows(pair, "role", "role", lambda side: side.roles)


def _words(found: Handoffs) -> str:
    return "; ".join(f"{' / '.join(f)} \u2192 {' / '.join(t)}" for f, t in found)


def _matched_handoffs(pair: PairSides, found_a: Handoffs, found_b: Handoffs) -> int:
    """How many of A's hand-offs pass between roles corresponding to the two roles of one of B's."""
    graph = pair.context.graph
    role_iris_a = {label(graph, r): r for r in pair.a.roles}
    role_iris_b = {label(graph, r): r for r in pair.b.roles}
    pairs = {(c.a, c.b) for c in pair.context.of("role") if not c.one_sided}

    def corresponds(roles_a: tuple[str, ...], roles_b: tuple[str, ...]) -> bool:
        return any((role_iris_a.get(x), role_iris_b.get(y)) in pairs for x in roles_a for y in roles_b)

    return sum(
        1 for f_a, t_a in found_a if any(corresponds(f_a, f_b) and corresponds(t_a, t_b) for f_b, t_b in found_b)
    )


def handoff_rows(pair: PairSides) -> list[Row]:
    """The hand-offs row: each pathway's distinct hand-offs, and how many of A's correspond.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        One row, aspect "hand-offs".
    """
    found_a, found_b = distinct_handoffs(pair.a.digraph), distinct_handoffs(pair.b.digraph)
    a, b = pair.context.a, pair.context.b
    note = (
        f"{_matched_handoffs(pair, found_a, found_b)} of {len(found_a)} {a.name} hand-offs pass between roles that "
        f"correspond to the two roles of a {b.name} hand-off (role correspondences of the alignment)."
    )
    return [
        pair.row(
            "hand-offs",
            Side(_words(found_a), pair.a.plan.sections),
            Side(_words(found_b), pair.b.plan.sections),
            "",
            note,
        )
    ]
