"""Comparing two authorities' pathways side by side, from the alignment stated in the model.

An alignment (``ontology/alignments/<a>--<b>.ttl``) states, as ``pw:Correspondence`` nodes,
which pathways, flow nodes, roles, levels of need, documents, requirements and timescales of
two authorities correspond, how closely (exact, close, partial) and why, each with the
paragraphs compared; a term with nothing corresponding is stated with one side and
``pw:noCounterpart``. The comparison only reads those statements and the pathway graphs:
nothing in :mod:`pathways.compare` names an authority, a pathway or a policy fact, so a third
authority with its own alignment file is compared with no code change.

For each aligned pair of pathways the comparison gives rows, one per aspect (trigger, steps
and decisions with who decides, roles, hand-offs, documents, required contents, timescales,
escalation, monitoring, service hours, what exists in one only) with both sides' citations,
and summary metrics computed from the graph (steps, decisions, roles, hand-offs, routes,
bounds in working days).

This module is the core: :func:`compare_authorities` reads the :class:`Context` once and
builds each pair's rows from the aspect modules (:mod:`~pathways.compare.steps`,
:mod:`~pathways.compare.roles`, :mod:`~pathways.compare.documents`,
:mod:`~pathways.compare.timescales`, :mod:`~pathways.compare.oversight`,
:mod:`~pathways.compare.metrics`), in :data:`~pathways.compare.records.ASPECT_ORDER`. Writing a comparison out is
:mod:`pathways.render.comparison`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import networkx as nx
from rdflib import Graph

from pathways.compare import documents, metrics, oversight, roles, steps, timescales
from pathways.compare.alignments import alignments
from pathways.compare.context import Context, PairSides
from pathways.compare.levels import general_rows
from pathways.compare.pairs import pathway_pairs, pathway_row
from pathways.compare.records import Comparison, PathwayPair, Row
from pathways.errors import InputError
from pathways.model import policy as catalogue
from pathways.model.loading import load_model

__all__ = ["ASPECTS", "compare_authorities", "find_rows", "match_groups", "pathway_kinds"]

#: The aspect functions giving a pathway pair's rows after its "pathway" row, in order
#: (the "summary" rows, from the metrics, come last).
ASPECTS: tuple[Callable[[PairSides], list[Row]], ...] = (
    steps.step_rows,
    roles.role_rows,
    roles.handoff_rows,
    documents.document_rows,
    documents.requirement_rows,
    timescales.timescale_rows,
    oversight.escalation_rows,
    oversight.monitoring_rows,
    oversight.service_hours_rows,
)


def _fill_pair(context: Context, pair: PathwayPair) -> None:
    """Give a pathway pair its rows, node pairs and metrics (a lone pathway only its pathway row)."""
    sa = context.plan_side(pair.a) if pair.a is not None else None
    sb = context.plan_side(pair.b) if pair.b is not None else None
    rows = [pathway_row(context, pair, sa, sb)]
    if sa is not None and sb is not None:
        sides = PairSides(context, pair.kind, sa, sb)
        pair.node_pairs = steps.node_pairs(sides)
        for aspect in ASPECTS:
            rows += aspect(sides)
        pair.metrics = metrics.pair_metrics(sides)
        rows += metrics.summary_rows(sides, pair.metrics)
    pair.rows = rows


def match_groups(pair: PathwayPair) -> tuple[dict[str, int], dict[str, int]]:
    """Groups of corresponding nodes of a pathway pair, numbered from 1 in the first pathway's order.

    Nodes linked by stated correspondences (directly or through a shared counterpart) share a
    group; a node of either pathway in no group has no counterpart on the other pathway.

    Parameters
    ----------
    pair : PathwayPair
        A pair from :func:`compare_authorities`.

    Returns
    -------
    tuple of dict
        A's nodes to group number, and B's nodes to group number.
    """
    links = nx.Graph()
    for a, b, _ in pair.node_pairs:
        links.add_edge(("a", a), ("b", b))
    group_a: dict[str, int] = {}
    group_b: dict[str, int] = {}
    number = 0
    for a, _, _ in pair.node_pairs:
        if a in group_a:
            continue
        number += 1
        for side, node in nx.node_connected_component(links, ("a", a)):
            (group_a if side == "a" else group_b)[node] = number
    return group_a, group_b


def pathway_kinds(graph: Graph | None = None) -> list[str]:
    """Every pathway kind of the model (the values a ``kind`` filter may take).

    Parameters
    ----------
    graph : Graph, optional
        The model; the packaged model when omitted.

    Returns
    -------
    list of str
        Sorted.
    """
    graph = graph if graph is not None else load_model()
    return sorted({p.kind for p in catalogue.pathways(graph)})


def compare_authorities(a_id: str, b_id: str, kind: str | None = None, graph: Graph | None = None) -> Comparison:
    """Compare authorities A and B: general rows, then one block of rows per aligned pathway pair.

    Parameters
    ----------
    a_id, b_id : str
        The two authorities' ids (``dcterms:identifier``); rows show A on the left.
    kind : str, optional
        Only pairs with a pathway of this kind (see :func:`pathway_kinds`), and no general rows.
    graph : Graph, optional
        The model, with its alignments; the packaged model when omitted.

    Returns
    -------
    Comparison

    Raises
    ------
    InputError
        When an authority is unknown, both ids are the same authority, no alignment relates
        the two, or the kind is unknown.
    """
    graph = graph if graph is not None else load_model()
    a, b = catalogue.authority(a_id, graph), catalogue.authority(b_id, graph)
    if a.id == b.id:
        raise InputError("compare needs two different authorities")
    found = [al for al in alignments(graph) if al.authorities == {a.id, b.id}]
    if not found:
        raise InputError(
            f"no alignment between {a.id} and {b.id}: add ontology/alignments/{a.id}--{b.id}.ttl "
            f"(see ontology/alignments/ for the form)"
        )
    if kind is not None and kind not in pathway_kinds(graph):
        raise InputError(f"unknown pathway kind {kind!r}; known: {', '.join(pathway_kinds(graph))}")
    context = Context(graph, a, b)
    pairs = pathway_pairs(context)
    if kind is not None:
        pairs = [p for p in pairs if kind in {p.a.kind if p.a else None, p.b.kind if p.b else None}]
    for pair in pairs:
        _fill_pair(context, pair)
    general = general_rows(context) if kind is None else []
    return Comparison(a=a, b=b, alignments=found, general=general, pairs=pairs)


def find_rows(rows: Sequence[Row], kind: str | None = None, aspect: str | None = None) -> list[Row]:
    """Rows of a kind and aspect (for tests and the explorer).

    Parameters
    ----------
    rows : sequence of Row
        E.g. :meth:`Comparison.rows`.
    kind, aspect : str, optional
        Only rows of this pathway kind and of this aspect; any when omitted.

    Returns
    -------
    list of Row
    """
    return [r for r in rows if (kind is None or r.kind == kind) and (aspect is None or r.aspect == aspect)]
