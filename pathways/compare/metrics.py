"""Summary metrics of a pathway pair, computed from each pathway's flow graph.

Steps, decisions, end states, roles, distinct hand-offs, routes, the longest route in steps,
and the least and most time a route takes (in working days, from the timescales on it). The
metrics are kept on the :class:`~pathways.compare.records.PathwayPair` and also given as the
pair's "summary" rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pathways.compare.context import PairSides, PlanSide
from pathways.compare.records import Row, Side
from pathways.compare.roles import distinct_handoffs
from pathways.model.graph import format_working_days, route_bounds, routes

__all__ = ["metrics", "pair_metrics", "summary_rows"]


def _span(values: list[Decimal]) -> str:
    """'3' or '3 to 10, by route' for the values over the routes; '0' when there are none."""
    if not values:
        return "0"
    low, high = min(values), max(values)
    return (
        format_working_days(low)
        if low == high
        else f"{format_working_days(low)} to {format_working_days(high)}, by route"
    )


def metrics(side: PlanSide) -> dict[str, Any]:
    """The summary metrics of one pathway.

    Parameters
    ----------
    side : PlanSide
        The pathway.

    Returns
    -------
    dict
        Metric name to value (a count, or the time in words).
    """
    g = side.digraph
    kinds = [k for _, k in g.nodes(data="kind")]
    all_routes = routes(g)
    bounds = [route_bounds(g, r) for r in all_routes]
    bounded = [b.longest for b in bounds if b.longest is not None]
    longest = (
        f"{format_working_days(max(bounded))} ({len(bounded)} of {len(bounds)} routes bounded)"
        if bounded
        else f"no upper limit on any of {len(bounds)} routes"
    )
    return {
        "steps": kinds.count("activity"),
        "decisions": kinds.count("decision"),
        "end states": kinds.count("end"),
        "roles": len(side.roles),
        "hand-offs": len(distinct_handoffs(g)),
        "routes": len(all_routes),
        "longest route (steps)": max((len(r) for r in all_routes), default=0),
        "least time a route takes (working days)": _span([b.shortest for b in bounds]),
        "longest time (working days)": longest,
    }


def pair_metrics(pair: PairSides) -> dict[str, tuple[Any, Any]]:
    """The summary metrics of both pathways.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    dict
        Metric name to (A's value, B's value).
    """
    found_a, found_b = metrics(pair.a), metrics(pair.b)
    return {name: (value, found_b[name]) for name, value in found_a.items()}


def summary_rows(pair: PairSides, values: dict[str, tuple[Any, Any]]) -> list[Row]:
    """One "summary" row per metric, each side citing its pathway.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.
    values : dict
        The pair's metrics (see :func:`pair_metrics`).

    Returns
    -------
    list of Row
    """
    return [
        pair.row(
            "summary",
            Side(f"{name}: {value_a}", pair.a.plan.sections),
            Side(f"{name}: {value_b}", pair.b.plan.sections),
        )
        for name, (value_a, value_b) in values.items()
    ]
