"""What a pathway pair uses and requires: documents, and the contents and conditions required.

Documents are those the pathways' steps use or produce. Requirements are those that apply on
each pathway, and requirement sets (a list of required contents) on it; a requirement that is
part of a set listed on its own row is not given a row of its own.
"""

from __future__ import annotations

from rdflib import URIRef

from pathways.compare.context import PairSides, PlanSide
from pathways.compare.matching import membership_rows, stated_rows, two_sided, unmatched_rows
from pathways.compare.records import Row
from pathways.model.vocabulary import PW

__all__ = ["document_rows", "requirement_rows"]


def document_rows(pair: PairSides) -> list[Row]:
    """Rows for the documents the pathways' steps use or produce.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        Aspect "document".
    """
    return membership_rows(pair, "document", "document", lambda side: side.artefacts)


def _requirements(side: PlanSide) -> list[URIRef]:
    """A pathway's requirements, then its requirement sets."""
    return list(dict.fromkeys([*(r.iri for r in side.requirements), *side.requirement_sets]))


def _leftover(pair: PairSides, which: str, terms: list[URIRef]) -> list[URIRef]:
    """One side's requirements with no two-sided correspondence and not listed with their set."""
    index = pair.context.index(which)
    matched = {t for t in terms if any(not c.one_sided for c in index.get(t, []))}
    leftover = []
    for term in terms:
        if term in matched:
            continue
        group = pair.context.graph.value(term, PW.partOf)
        if group is not None and (group in matched or group in terms):
            continue  # listed with its set
        leftover.append(term)
    return leftover


def requirement_rows(pair: PairSides) -> list[Row]:
    """Rows for the requirements and requirement sets on either pathway.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        Aspect "requirement".
    """
    on_a, on_b = _requirements(pair.a), _requirements(pair.b)
    found = two_sided(pair.context, "requirement", set(on_a), set(on_b))
    leftover = (_leftover(pair, "a", on_a), _leftover(pair, "b", on_b))
    return stated_rows(pair, "requirement", found) + unmatched_rows(
        pair, "requirement", "requirement", "No corresponding requirement stated.", leftover
    )
