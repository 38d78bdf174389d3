"""The rows not about one pathway kind: each authority's levels of need, and how they map.

One row gives each authority's scheme of levels, lowest first; then one row per stated
mapping of levels (with its SKOS mapping property), and one per level no mapping names.
"""

from __future__ import annotations

from rdflib import URIRef

from pathways.compare.alignments import Correspondence
from pathways.compare.context import SIDES, Context, orient
from pathways.compare.records import ALL_KINDS, NO_COUNTERPART, NOT_ALIGNED, Row, Side
from pathways.model.citations import section_key
from pathways.model.terms import label
from pathways.model.vocabulary import PW, RDF, SKOS

__all__ = ["general_rows"]


def _scheme(context: Context, which: str) -> URIRef | None:
    """An authority's ``pw:LevelScheme``, if it states one."""
    g = context.graph
    authority = context.authority(which)
    return next((s for s in g.subjects(PW.authority, authority.iri) if (s, RDF.type, PW.LevelScheme) in g), None)


def _scheme_side(context: Context, scheme: URIRef | None) -> Side:
    """A scheme's levels in words, lowest first, with what each includes."""
    if scheme is None:
        return Side()
    g = context.graph
    tops = sorted(g.objects(scheme, SKOS.hasTopConcept), key=lambda c: (int(g.value(c, PW.rank) or 0), str(c)))
    parts, sections = [], list(context.sections(scheme))
    for top in tops:
        narrower = sorted(label(g, n) for n in g.objects(top, SKOS.narrower))
        parts.append(label(g, top) + (f" ({', '.join(narrower)})" if narrower else ""))
        sections += context.sections(top)
    words = f"{len(tops)} levels: " + "; ".join(parts)
    return Side(words, tuple(sorted(dict.fromkeys(sections), key=section_key)))


def _level_side(context: Context, level: URIRef | None, sections: tuple[str, ...] = ()) -> Side:
    """A level and its rank; no level gives an empty side citing ``sections``."""
    if level is None:
        return Side(sections=sections)
    rank = context.graph.value(level, PW.rank)
    words = label(context.graph, level) + (f" (rank {rank})" if rank is not None else "")
    return Side(words, context.sections(level))


def _mapping_row(context: Context, c: Correspondence) -> Row:
    """The row of one stated correspondence of levels."""
    a_side = _level_side(context, c.a, c.a_sections)
    b_side = _level_side(context, c.b, c.b_sections)
    match = NO_COUNTERPART if c.one_sided else c.match + (f" ({c.skos_mapping})" if c.skos_mapping else "")
    return Row(ALL_KINDS, "level", a_side, b_side, match, c.rationale)


def general_rows(context: Context) -> list[Row]:
    """The levels-of-need rows of a comparison.

    Parameters
    ----------
    context : Context
        The comparison's context.

    Returns
    -------
    list of Row
        Kind :data:`~pathways.compare.records.ALL_KINDS`: the "levels of need" row, then the
        "level" rows of the stated mappings, then A's levels and B's levels no mapping names.
    """
    g = context.graph
    schemes = {which: _scheme(context, which) for which in SIDES}
    rows = [
        Row(
            ALL_KINDS,
            "levels of need",
            _scheme_side(context, schemes["a"]),
            _scheme_side(context, schemes["b"]),
            "",
            "Each authority's scheme of levels of need, lowest first.",
        )
    ]
    stated = context.of("level")
    rows += [_mapping_row(context, c) for c in stated]
    for which in SIDES:
        scheme = schemes[which]
        levels = list(g.subjects(SKOS.inScheme, scheme)) if scheme is not None else []
        mapped = {c.a if which == "a" else c.b for c in stated}
        for level in sorted(levels, key=str):
            if level not in mapped:
                sides = orient(which, _level_side(context, level), Side())
                rows.append(Row(ALL_KINDS, "level", *sides, NOT_ALIGNED, "No mapping stated."))
    return rows
