"""Row builders the aspects share: matched terms, unmatched terms, and terms the nodes name.

Most aspects of a pathway pair (steps, roles, documents, requirements, timescales) give rows
the same way: first one row per two-sided correspondence of their category that names a term
of either pathway (:func:`two_sided`, :func:`stated_rows`), then one row per term of either
pathway that no two-sided correspondence names, marked :data:`NO_COUNTERPART` when the
alignment says it has none and :data:`NOT_ALIGNED` when it says nothing
(:func:`unmatched_rows`). Roles and documents are both terms named by a pathway's nodes and
share :func:`membership_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TypeAlias

from rdflib import URIRef

from pathways.compare.alignments import Correspondence
from pathways.compare.context import SIDES, Context, PairSides, PlanSide, orient
from pathways.compare.describe import term_side
from pathways.compare.records import NO_COUNTERPART, NOT_ALIGNED, Row, Side
from pathways.model.terms import label

__all__ = ["Aspect", "aspect_name", "membership_rows", "stated_rows", "two_sided", "unmatched_rows"]

#: A row's aspect: fixed, or worked out from the row's terms (steps: trigger, decision, ...).
Aspect: TypeAlias = str | Callable[..., str]
#: How a term is shown on a row: (term, the side's pathway) to the row's side.
Describe: TypeAlias = Callable[[URIRef | None, PlanSide], Side]
#: The sections an unmatched term's side cites, when not its own: (side's pathway, term).
SectionsOf: TypeAlias = Callable[[PlanSide, URIRef], tuple[str, ...]]


def aspect_name(aspect: Aspect, *terms: URIRef | None) -> str:
    """The aspect of a row about ``terms``.

    Parameters
    ----------
    aspect : str or callable
        A fixed aspect, or a function of the row's terms giving it.
    *terms : URIRef or None
        The row's terms.

    Returns
    -------
    str
    """
    return aspect if isinstance(aspect, str) else aspect(*terms)


def two_sided(
    context: Context, category: str, on_a: Collection[URIRef], on_b: Collection[URIRef]
) -> list[Correspondence]:
    """The two-sided correspondences of a category naming a term of either pathway.

    Parameters
    ----------
    context : Context
        The comparison's context.
    category : str
        The category of correspondence (see :meth:`Context.category`).
    on_a, on_b : collection of URIRef
        The terms of the category on A's and on B's pathway.

    Returns
    -------
    list of Correspondence
        In IRI order.
    """
    return [c for c in context.of(category) if not c.one_sided and (c.a in on_a or c.b in on_b)]


def stated_rows(
    pair: PairSides, aspect: Aspect, found: Iterable[Correspondence], describe: Describe | None = None
) -> list[Row]:
    """One row per correspondence, with both its terms, its match and its rationale.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.
    aspect : str or callable
        The rows' aspect (see :func:`aspect_name`).
    found : iterable of Correspondence
        Two-sided correspondences, in the order of the rows.
    describe : callable, optional
        How a term is shown; :func:`~pathways.compare.describe.term_side` when omitted.

    Returns
    -------
    list of Row
    """
    show = describe or (lambda term, side: term_side(pair.context, term, side))
    return [
        pair.row(aspect_name(aspect, c.a, c.b), show(c.a, pair.a), show(c.b, pair.b), c.match, c.rationale)
        for c in found
    ]


def unmatched_rows(
    pair: PairSides,
    category: str,
    aspect: Aspect,
    note: str,
    terms: tuple[Iterable[URIRef], Iterable[URIRef]],
    sections_of: SectionsOf | None = None,
) -> list[Row]:
    """Rows for each side's terms that no two-sided correspondence of the category names.

    A term the alignment states to have no counterpart gives a :data:`NO_COUNTERPART` row with
    the stated rationale and the other side's paragraphs compared; any other gives a
    :data:`NOT_ALIGNED` row with ``note``, citing the other pathway.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.
    category : str
        The category of correspondence looked for.
    aspect : str or callable
        The rows' aspect (see :func:`aspect_name`).
    note : str
        The note of a row whose term the alignment says nothing about.
    terms : tuple
        A's terms and B's terms; each side's rows follow its pathway's display order.
    sections_of : callable, optional
        The sections a term's side cites instead of its own (when not empty).

    Returns
    -------
    list of Row
        A's rows, then B's.
    """
    rows = []
    for which, mine in zip(SIDES, terms, strict=True):
        for term in pair.side(which).sorted_terms(mine):
            stated = pair.context.stated_for(which, term, category)
            if any(not c.one_sided for c in stated):
                continue
            rows.append(_unmatched_row(pair, which, term, stated, aspect, note, sections_of))
    return rows


def _unmatched_row(
    pair: PairSides,
    which: str,
    term: URIRef,
    stated: list[Correspondence],
    aspect: Aspect,
    note: str,
    sections_of: SectionsOf | None,
) -> Row:
    """The row of one side's term with no two-sided correspondence (``stated`` are one-sided)."""
    here, there = pair.side(which), pair.other(which)
    one_sided = next((c for c in stated if c.one_sided), None)
    if one_sided is not None:
        other = one_sided.b_sections if which == "a" else one_sided.a_sections
        match, note = NO_COUNTERPART, one_sided.rationale
    else:
        other, match = there.plan.sections, NOT_ALIGNED
    mine = term_side(pair.context, term, here)
    if sections_of is not None:
        mine = Side(mine.text, sections_of(here, term) or mine.sections, mine.pathway)
    theirs = Side(sections=tuple(other) or there.plan.sections)
    return pair.row(aspect_name(aspect, term), *orient(which, mine, theirs), match, note)


def membership_rows(
    pair: PairSides, aspect: str, category: str, used: Callable[[PlanSide], dict[URIRef, list[str]]]
) -> list[Row]:
    """Terms a pathway's nodes name (roles, documents): the stated correspondences, then the rest.

    A term named on the pathway cites the paragraphs of the nodes naming it; a corresponding
    term not named on this side's pathway is shown as such, citing its own paragraphs.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.
    aspect : str
        The rows' aspect ("role", "document").
    category : str
        The category of correspondence.
    used : callable
        A pathway's terms of the category, each to the nodes naming it (e.g. ``PlanSide.roles``).

    Returns
    -------
    list of Row
    """
    context = pair.context

    def describe(term: URIRef | None, side: PlanSide) -> Side:
        on = used(side)
        if term is None:
            return Side(sections=side.plan.sections)
        if term in on:
            return Side(label(context.graph, term), context.node_sections(side, on[term]))
        return Side(f"{label(context.graph, term)} (not on this pathway)", context.sections(term))

    def sections_of(side: PlanSide, term: URIRef) -> tuple[str, ...]:
        return context.node_sections(side, used(side)[term])

    found = two_sided(context, category, used(pair.a), used(pair.b))
    return stated_rows(pair, aspect, found, describe) + unmatched_rows(
        pair, category, aspect, f"No corresponding {aspect} stated.", (used(pair.a), used(pair.b)), sections_of
    )
