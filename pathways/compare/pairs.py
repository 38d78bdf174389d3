"""Which pathway of A is compared with which pathway of B, and the row comparing the two.

Pathways are paired only by stated correspondences; a pathway stated to have no counterpart
is paired with nothing (:data:`NO_COUNTERPART`), and a pathway the alignment does not name is
listed alone as :data:`NOT_ALIGNED`.
"""

from __future__ import annotations

from pathways.compare.context import SIDES, Context, PlanSide
from pathways.compare.describe import term_side
from pathways.compare.records import NO_COUNTERPART, NOT_ALIGNED, PathwayPair, Row

__all__ = ["pathway_pairs", "pathway_row"]


def pathway_pairs(context: Context) -> list[PathwayPair]:
    """The pathway pairs of a comparison, without their rows.

    Parameters
    ----------
    context : Context
        The comparison's context.

    Returns
    -------
    list of PathwayPair
        In the order of A's pathways, then B's, then kind.
    """
    found: list[PathwayPair] = []
    paired = {which: set() for which in SIDES}
    for c in context.of("pathway"):
        pa, pb = context.plans.get(c.a), context.plans.get(c.b)
        if pa is None and pb is None:
            continue
        paired["a"] |= {pa.iri} if pa else set()
        paired["b"] |= {pb.iri} if pb else set()
        found.append(PathwayPair((pa or pb).kind, pa, pb, c.match or NO_COUNTERPART, c.rationale))
    for which in SIDES:
        authority = context.authority(which)
        for p in context.plans.values():
            if p.authority.id == authority.id and p.iri not in paired[which]:
                alone = (p, None) if which == "a" else (None, p)
                found.append(PathwayPair(p.kind, *alone, NOT_ALIGNED, "No correspondence stated for this pathway."))
    found.sort(key=lambda pair: (pair.a.order if pair.a else 99, pair.b.order if pair.b else 99, pair.kind))
    return found


def pathway_row(context: Context, pair: PathwayPair, sa: PlanSide | None, sb: PlanSide | None) -> Row:
    """The "pathway" row of a pair: both pathways, their levels, the match and its rationale.

    Parameters
    ----------
    context : Context
        The comparison's context.
    pair : PathwayPair
        The pair.
    sa, sb : PlanSide or None
        The two pathways as read for the rows (``None`` for a missing side).

    Returns
    -------
    Row
        A missing side cites the paragraphs of the other side's pathway.
    """
    return Row(
        pair.kind,
        "pathway",
        term_side(context, pair.a.iri if pair.a else None, sa, pair.b.sections if pair.b else ()),
        term_side(context, pair.b.iri if pair.b else None, sb, pair.a.sections if pair.a else ()),
        pair.match,
        pair.rationale,
    )
