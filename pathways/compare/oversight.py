"""What happens around a pathway pair's steps: escalation, monitoring and service hours.

These aspects are not aligned term by term: each side's arrangements are stated in words on
one row, with a note saying which authority alone states them (or, for escalation, whether
both do).
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef

from pathways.compare.context import Context, PairSides, PlanSide
from pathways.compare.describe import node_text
from pathways.compare.records import Row, Side
from pathways.model.policy import opening_hours
from pathways.model.terms import label, text
from pathways.model.vocabulary import PW, RDF

__all__ = ["escalation_rows", "monitoring_rows", "service_hours_rows"]

#: One side's arrangements in words, and the sections they cite.
Words = Callable[[Context, PlanSide], tuple[str, tuple[str, ...]]]


def _escalation(context: Context, side: PlanSide) -> tuple[Side, list[str]]:
    """One side's escalation steps in words, and the nodes they are."""
    nodes = [n for n in side.order if side.digraph.nodes[n]["escalation"]]
    words = "; ".join(node_text(context, URIRef(side.digraph.nodes[n]["iri"])) for n in nodes)
    return Side(words, context.node_sections(side, nodes) if nodes else side.plan.sections), nodes


def escalation_rows(pair: PairSides) -> list[Row]:
    """The escalation row: each pathway's escalation steps, and whether one or both have any.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        One row, aspect "escalation".
    """
    context = pair.context
    side_a, nodes_a = _escalation(context, pair.a)
    side_b, nodes_b = _escalation(context, pair.b)
    if nodes_a and nodes_b:
        note = "Both pathways have an escalation route; see the step rows for how their steps correspond."
    elif nodes_a or nodes_b:
        who = context.a.name if nodes_a else context.b.name
        other = context.b.name if nodes_a else context.a.name
        note = f"Only {who} states an escalation route on this pathway; {other}'s paragraphs cited state none."
    else:
        note = "Neither pathway states an escalation route."
    return [pair.row("escalation", side_a, side_b, "", note)]


def _monitoring(context: Context, side: PlanSide) -> tuple[str, tuple[str, ...]]:
    """One side's monitoring arrangements in words: who monitors, to whom departures go, where."""
    g = context.graph
    found = [m for m in sorted(g.subjects(PW.onPathway, side.plan.iri)) if (m, RDF.type, PW.MonitoringArrangement) in g]
    parts, sections = [], []
    for m in found:
        part = label(g, m)
        who = [label(g, r) for r in g.objects(m, PW.monitoredBy)]
        if who:
            part += f": monitored by {', '.join(who)}"
        steps = sorted(g.objects(m, PW.escalationStep), key=lambda s: int(g.value(s, PW.order)))
        if steps:
            part += "; departures raised with " + " \u2192 ".join(label(g, g.value(s, PW.role)) for s in steps)
        forum = text(g, m, PW.forum)
        if forum:
            part += f" ({forum})"
        parts.append(part)
        sections += context.sections(m)
    return "; ".join(parts), tuple(dict.fromkeys(sections))


def _opening(context: Context, hours: URIRef) -> str:
    """When a service is open, in words (its windows, Monday first), or empty when not stated."""
    windows = opening_hours(context.graph, hours)
    return f" open {'; '.join(windows)}" if windows else ""


def _service_hours(context: Context, side: PlanSide) -> tuple[str, tuple[str, ...]]:
    """The service hours of the services one side's steps name, and their out-of-hours service."""
    g = context.graph
    parts, sections = [], []
    for hours in sorted(g.subjects(RDF.type, PW.ServiceHours)):
        services = {g.value(hours, PW.service), g.value(hours, PW.outOfHoursService)}
        if not services & set(side.roles):
            continue
        part = f"{label(g, hours)}: {label(g, g.value(hours, PW.service))}" + _opening(context, hours)
        out = g.value(hours, PW.outOfHoursService)
        if out is not None:
            phone = text(g, out, PW.telephone)
            part += f"; out of hours: {label(g, out)}" + (f" ({phone})" if phone else "")
        parts.append(part)
        sections += context.sections(hours)
    return "; ".join(parts), tuple(dict.fromkeys(sections))


def _stated_rows(pair: PairSides, aspect: str, words: Words, only: str) -> list[Row]:
    """One row for an aspect each side states in words (none, when neither does),
    noting which authority alone states it."""
    context = pair.context
    text_a, sections_a = words(context, pair.a)
    text_b, sections_b = words(context, pair.b)
    if not text_a and not text_b:
        return []
    note = "" if text_a and text_b else f"Only {context.a.name if text_a else context.b.name} {only}."
    side_a = Side(text_a, sections_a or pair.a.plan.sections)
    side_b = Side(text_b, sections_b or pair.b.plan.sections)
    return [pair.row(aspect, side_a, side_b, "", note)]


def monitoring_rows(pair: PairSides) -> list[Row]:
    """The monitoring row: how each pathway is monitored, when either says.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        One row, aspect "monitoring", or none when neither pathway states monitoring.
    """
    return _stated_rows(pair, "monitoring", _monitoring, "states how this pathway is monitored")


def service_hours_rows(pair: PairSides) -> list[Row]:
    """The service hours row: the opening hours of the services the pathways' steps name.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        One row, aspect "service hours", or none when neither side states service hours.
    """
    return _stated_rows(pair, "service hours", _service_hours, "states service hours")
