"""The words a row shows for an aligned term, by what the term is.

A step shows who does it (a decision, who decides; an end state, its level of need), a
timescale its bound and modality, a requirement set its items, a requirement its modality
and condition, a pathway its levels. :func:`term_side` turns a term into the :class:`Side`
of a row, with the paragraphs it cites.
"""

from __future__ import annotations

from rdflib import URIRef

from pathways.compare.context import Context, PlanSide, is_a
from pathways.compare.records import Side
from pathways.model.terms import flag, label, text
from pathways.model.vocabulary import PW, RDF

__all__ = ["node_text", "term_side", "term_text", "timescale_text"]


def node_text(context: Context, term: URIRef) -> str:
    """The words for a flow node: its label, who does or decides it, its urgency, if optional.

    Parameters
    ----------
    context : Context
        The comparison's context.
    term : URIRef
        A ``pw:FlowNode`` (trigger, activity, decision or end state).

    Returns
    -------
    str
    """
    g = context.graph
    kind = next((k for k in ("Trigger", "Decision", "EndState") if (term, RDF.type, PW[k]) in g), "Activity")
    words = label(g, term)
    if kind == "Decision":
        who = sorted(label(g, r) for r in g.objects(term, PW.decidedBy))
        words += f" (decided by {', '.join(who)})" if who else ""
    elif kind != "EndState":
        who = sorted(label(g, r) for r in g.objects(term, PW.performedBy))
        words += f" (by {', '.join(who)})" if who else ""
    else:
        level = g.value(term, PW.level)
        words += f" (level: {label(g, level)})" if level is not None else ""
    urgency = text(g, term, PW.urgency)
    if urgency:
        words += f"; urgency: {urgency}"
    if flag(g, term, PW.isOptional):
        words += " (optional)"
    return words


def timescale_text(context: Context, term: URIRef) -> str:
    """The words for a timescale: its bound, kind and modality, then its label.

    Parameters
    ----------
    context : Context
        The comparison's context.
    term : URIRef
        A ``pw:Timescale``; any other term gives its label.

    Returns
    -------
    str
    """
    row = context.timescales.get(term)
    if row is None:
        return label(context.graph, term)
    kind = label(context.graph, context.graph.value(term, PW.timescaleKind)) or row.kind
    return f"{row.describe()} ({kind}, {row.modality}): {row.label}"


def _requirement_set_text(context: Context, term: URIRef) -> str:
    g = context.graph
    items = sorted(g.subjects(PW.partOf, term), key=lambda r: (int(g.value(r, PW.order) or 0), label(g, r)))
    return f"{label(g, term)} ({len(items)} items): " + "; ".join(label(g, r) for r in items)


def _requirement_text(context: Context, term: URIRef) -> str:
    g = context.graph
    words = f"{label(g, term)} ({label(g, g.value(term, PW.modality))})"
    condition = text(g, term, PW.appliesWhen)
    return words + (f", when {condition}" if condition else "")


def term_text(context: Context, term: URIRef) -> str:
    """The words shown for any aligned term, by what it is.

    Parameters
    ----------
    context : Context
        The comparison's context.
    term : URIRef
        A term named by a correspondence.

    Returns
    -------
    str
        See the module's description; a term of any other kind gives its label.
    """
    g = context.graph
    if term in context.timescales:
        return timescale_text(context, term)
    if is_a(g, term, context.classes["node"]):
        return node_text(context, term)
    if (term, RDF.type, PW.RequirementSet) in g:
        return _requirement_set_text(context, term)
    if is_a(g, term, context.classes["requirement"]):
        return _requirement_text(context, term)
    plan = context.plans.get(term) if is_a(g, term, context.classes["pathway"]) else None
    if plan is not None:
        return f"{plan.flowchart_title}: from {', '.join(plan.from_levels)} to {', '.join(plan.to_levels)}"
    return label(g, term)


def term_side(context: Context, term: URIRef | None, on: PlanSide | None, sections: tuple[str, ...] = ()) -> Side:
    """A row's side for a term; names the term's pathway when it is not the pair's.

    Parameters
    ----------
    context : Context
        The comparison's context.
    term : URIRef or None
        The term; ``None`` gives an empty side citing ``sections``.
    on : PlanSide or None
        The pair's pathway on this side, if any.
    sections : tuple of str
        The sections cited when the term cites none (or there is no term).

    Returns
    -------
    Side
    """
    if term is None:
        return Side(sections=sections)
    words = term_text(context, term)
    pathway = context.pathway_of(term)
    where = ""
    if on is not None and pathway is not None and pathway != on.plan.iri:
        plan = context.plans.get(pathway)
        where = plan.id if plan is not None else ""
        words += f" (on {where})" if where else ""
    return Side(text=words, sections=context.sections(term) or sections, pathway=where)
