"""The flow of a pathway pair compared: trigger, steps, decisions (who decides) and end states.

Rows follow the first pathway's display order, then the second's; each corresponding pair of
flow nodes is also kept as a node pair (:func:`node_pairs`), which the explorer uses to colour
the two flowcharts alike (see :func:`pathways.compare.comparison.match_groups`).
"""

from __future__ import annotations

from functools import partial

from rdflib import Graph, URIRef

from pathways.compare.alignments import Correspondence
from pathways.compare.context import PairSides
from pathways.compare.matching import stated_rows, two_sided, unmatched_rows
from pathways.compare.records import Row
from pathways.model.vocabulary import PW, RDF

__all__ = ["node_aspect", "node_pairs", "step_rows"]

#: The flow-node classes that give a row its own aspect; any other node is a step.
_CLASS = {"trigger": "Trigger", "decision": "Decision", "end": "EndState"}


def node_aspect(graph: Graph, *terms: URIRef | None) -> str:
    """The aspect of a row about flow nodes: "trigger", "decision", "end state" or "step".

    Parameters
    ----------
    graph : Graph
        The model.
    *terms : URIRef or None
        The row's nodes (``None`` for a missing side).

    Returns
    -------
    str
        "trigger" if either node is a trigger, else "decision" if either is a decision, else
        "end state" if all are end states, else "step".
    """
    kinds = {
        next((k for k in ("trigger", "decision", "end") if (t, RDF.type, PW[_CLASS[k]]) in graph), "step")
        for t in terms
        if t is not None
    }
    if "trigger" in kinds:
        return "trigger"
    if "decision" in kinds:
        return "decision"
    if kinds == {"end"}:
        return "end state"
    return "step"


def _corresponding_nodes(pair: PairSides) -> list[Correspondence]:
    """The two-sided node correspondences of the pair, in A's display order, then B's."""
    found = two_sided(pair.context, "node", pair.a.nodes, pair.b.nodes)
    found.sort(key=lambda c: (pair.a.positions.get(c.a, 999), pair.b.positions.get(c.b, 999)))
    return found


def node_pairs(pair: PairSides) -> list[tuple[str, str, str]]:
    """The stated correspondences between a node of each pathway.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of tuple
        (node of A, node of B, match), in A's display order.
    """
    return [
        (pair.a.nodes[c.a], pair.b.nodes[c.b], c.match)
        for c in _corresponding_nodes(pair)
        if c.a in pair.a.nodes and c.b in pair.b.nodes
    ]


def step_rows(pair: PairSides) -> list[Row]:
    """Rows for the flow nodes: each stated correspondence, then each side's unmatched nodes.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        Aspects "trigger", "decision", "step" and "end state".
    """
    aspect = partial(node_aspect, pair.context.graph)
    return stated_rows(pair, aspect, _corresponding_nodes(pair)) + unmatched_rows(
        pair, "node", aspect, "No corresponding step stated.", (pair.a.nodes, pair.b.nodes)
    )
