"""Citations: where a fact comes from, and how a paragraph is written.

Every fact of the model cites its paragraphs with ``pw:source`` (a ``pw:Section`` with a
``pw:sectionNumber`` such as "4.3" or "Appendix 4") and quotes the policy's words with
``pw:quote``. Numbered paragraphs are written with a section sign ("§4.3"); named parts
("Appendix 4", "Scope of this chapter") are written as they are.

>>> format_section("4.3"), format_section("Appendix 4")
('§4.3', 'Appendix 4')
>>> format_sections(["Appendix 3", "3.2", "3.1", "3.1"])
'§3.1, 3.2, Appendix 3'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Node

from pathways.model.terms import label, text
from pathways.model.vocabulary import DCTERMS, PW

__all__ = ["MODEL_ADDED", "Citation", "citation", "format_section", "format_sections", "section_key", "sections"]


def section_key(number: str) -> tuple:
    """A sort key putting section numbers in document order (3.2 before 3.10, appendices last).

    >>> sorted(["3.10", "Appendix 4", "3.2"], key=section_key)
    ['3.2', '3.10', 'Appendix 4']
    """
    parts = number.replace("Appendix", "A").split()
    return tuple((0, int(p)) if p.isdigit() else (1, p) for part in parts for p in part.split("."))


def format_section(number: str) -> str:
    """'4.2' -> '§4.2'; a named part such as 'Appendix 4' stays as it is."""
    return f"\u00a7{number}" if number[:1].isdigit() else number


# What stands where a paragraph would for a fact the text does not state (pw:modelAdded).
MODEL_ADDED = "added by the model (not in the text)"


def format_sections(numbers: Iterable[str]) -> str:
    """Section numbers in document order, once each, numbered ones after one '§'."""
    ordered = sorted(dict.fromkeys(numbers), key=section_key)
    numbered = [s for s in ordered if s[:1].isdigit()]
    named = [s for s in ordered if not s[:1].isdigit()]
    return ", ".join(([f"\u00a7{', '.join(numbered)}"] if numbered else []) + named)


@dataclass(frozen=True)
class Citation:
    """Where a fact comes from: authority, document, paragraph(s) and the words themselves.

    A fact may rest on several paragraphs (e.g. §4.1 and Appendix 4) and quote several
    passages; they are listed in document order, quotes joined with ' … '.

    >>> str(Citation("Knowsley", "4.16", ("2", "Appendix 1"), "", ""))
    'Knowsley §2, Appendix 1'
    """

    authority: str
    document: str
    sections: tuple[str, ...]
    section_title: str
    quote: str

    @property
    def section(self) -> str:
        return ", ".join(self.sections)

    def __str__(self) -> str:
        numbered = [s for s in self.sections if s[:1].isdigit()]
        named = [s for s in self.sections if not s[:1].isdigit()]
        parts = ([f"\u00a7{', '.join(numbered)}"] if numbered else []) + named
        return f"{self.authority} {', '.join(parts)}"


def citation(graph: Graph, subject: Node) -> Citation | None:
    """The citation of a fact: its pw:source sections and pw:quote(s) (None if uncited)."""
    cited = sorted(graph.objects(subject, PW.source), key=lambda s: section_key(text(graph, s, PW.sectionNumber)))
    if not cited:
        return None
    document = graph.value(cited[0], DCTERMS.isPartOf)
    authority = graph.value(document, PW.authority) if document is not None else None
    quotes = sorted(str(q) for q in graph.objects(subject, PW.quote))
    return Citation(
        authority=label(graph, authority),
        document=text(graph, document, DCTERMS.title),
        sections=tuple(text(graph, s, PW.sectionNumber) for s in cited),
        section_title=text(graph, cited[0], DCTERMS.title),
        quote=" \u2026 ".join(quotes),
    )


def sections(graph: Graph, subject: Node) -> list[str]:
    """All section numbers a subject cites, in document order."""
    numbers = [text(graph, s, PW.sectionNumber) for s in graph.objects(subject, PW.source)]
    return sorted(numbers, key=section_key)
