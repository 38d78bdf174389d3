"""Reading the alignment files: which authorities they relate, and what they state corresponds.

An alignment (``ontology/alignments/<a>--<b>.ttl``) states, as ``pw:Correspondence`` nodes,
which terms of two authorities correspond, how closely (``pw:matchType``) and why
(``pw:rationale``), with the paragraphs compared (``pw:source``). A correspondence names its
terms with ``pw:left`` and ``pw:right`` in whichever order its author chose; this module
finds the authority each term belongs to, so that every correspondence is read oriented to
the comparison (``a`` is the first authority's term, ``b`` the second's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from pathways.errors import InputError
from pathways.model.citations import section_key
from pathways.model.loading import load_model
from pathways.model.policy import Authority
from pathways.model.terms import label, text
from pathways.model.vocabulary import DCTERMS, PPLAN, PW, RDF, RDFS, SKOS

__all__ = ["Alignment", "Correspondence", "alignments", "correspondences", "section_numbers"]


@dataclass(frozen=True)
class Alignment:
    """One ``pw:Alignment``: its IRI, its label and the ids of the two authorities it relates."""

    iri: URIRef
    label: str
    authorities: frozenset[str]


@dataclass(frozen=True)
class Correspondence:
    """One stated correspondence, oriented to the comparison: ``a`` is authority A's term.

    Attributes
    ----------
    iri : URIRef
        The ``pw:Correspondence`` node.
    a, b : URIRef or None
        Authority A's and authority B's term; ``None`` on the side stated to have no counterpart.
    match : str
        The match type's identifier (exact, close, partial), or empty.
    rationale : str
        Why the terms correspond (or why one has no counterpart).
    a_sections, b_sections : tuple of str
        Section numbers of each authority's paragraphs compared, in document order.
    skos_mapping : str
        The stated SKOS mapping property as a prefixed name (levels of need), or empty.
    """

    iri: URIRef
    a: URIRef | None
    b: URIRef | None
    match: str
    rationale: str
    a_sections: tuple[str, ...]
    b_sections: tuple[str, ...]
    skos_mapping: str = ""

    @property
    def one_sided(self) -> bool:
        """Whether the correspondence states a term with nothing corresponding."""
        return self.a is None or self.b is None


def alignments(graph: Graph | None = None) -> list[Alignment]:
    """Every alignment in the model, with the ids of the two authorities it relates.

    Parameters
    ----------
    graph : Graph, optional
        The model; the packaged model when omitted.

    Returns
    -------
    list of Alignment
        Sorted by IRI.
    """
    graph = graph if graph is not None else load_model()
    found = []
    for iri in graph.subjects(RDF.type, PW.Alignment):
        ids = frozenset(text(graph, a, DCTERMS.identifier) for a in graph.objects(iri, PW.aligns))
        found.append(Alignment(iri=iri, label=label(graph, iri), authorities=ids))
    return sorted(found, key=lambda a: str(a.iri))


class _Owners:
    """Which authority a term belongs to, following the links the encodings use."""

    LINKS = (PPLAN.isStepOfPlan, PW.onPathway, SKOS.inScheme, PW.partOf, PW.appliesTo, DCTERMS.isPartOf, PW.service)

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.authorities = set(graph.subjects(RDF.type, PW.Authority))
        self.cache: dict[Node, URIRef | None] = {}

    def __call__(self, term: Node, depth: int = 0) -> URIRef | None:
        if term not in self.cache:
            self.cache[term] = self._find(term, depth)
        return self.cache[term]

    def _find(self, term: Node, depth: int) -> URIRef | None:
        if term in self.authorities:
            return term
        if depth >= 6:
            return None
        value = self.graph.value(term, PW.authority)
        if value in self.authorities:
            return value
        for link in self.LINKS:
            target = self.graph.value(term, link)
            found = self(target, depth + 1) if target is not None else None
            if found is not None:
                return found
        cited = next(iter(sorted(self.graph.objects(term, PW.source))), None)
        return self(cited, depth + 1) if cited is not None else None


def section_numbers(graph: Graph, sections: Iterable[Node]) -> tuple[str, ...]:
    """The section numbers of ``pw:Section`` nodes, without repeats, in document order.

    Parameters
    ----------
    graph : Graph
        The model.
    sections : iterable of Node
        ``pw:Section`` nodes; any without a ``pw:sectionNumber`` is left out.

    Returns
    -------
    tuple of str
        E.g. ``("3.1", "3.2", "Appendix 3")``.
    """
    numbers = [text(graph, s, PW.sectionNumber) for s in sections]
    return tuple(sorted(dict.fromkeys(n for n in numbers if n), key=section_key))


def correspondences(graph: Graph, a: Authority, b: Authority) -> list[Correspondence]:
    """The correspondences stated between authorities A and B, oriented A to B.

    Parameters
    ----------
    graph : Graph
        The model, with its alignments.
    a, b : Authority
        The two authorities, in the comparison's order.

    Returns
    -------
    list of Correspondence
        Sorted by IRI.

    Raises
    ------
    InputError
        When a correspondence names a term that belongs to neither authority.
    """
    owner = _Owners(graph)
    wanted = {a.id, b.id}
    found = []
    for alignment in alignments(graph):
        if alignment.authorities != wanted:
            continue
        for iri in graph.subjects(PW.inAlignment, alignment.iri):
            if (iri, RDF.type, PW.Correspondence) in graph:
                found.append(_correspondence(graph, owner, iri, a, b))
    return sorted(found, key=lambda c: str(c.iri))


def _correspondence(graph: Graph, owner: _Owners, iri: URIRef, a: Authority, b: Authority) -> Correspondence:
    """One ``pw:Correspondence`` node read and oriented A to B."""
    sides: dict[URIRef, URIRef | None] = {a.iri: None, b.iri: None}
    for term in (*graph.objects(iri, PW.left), *graph.objects(iri, PW.right)):
        who = owner(term)
        if who not in sides:
            raise InputError(f"{iri}: {term} belongs to neither {a.id} nor {b.id}")
        sides[who] = term
    sources: dict[URIRef, list[Node]] = {a.iri: [], b.iri: []}
    for section in graph.objects(iri, PW.source):
        sources.setdefault(owner(section), []).append(section)
    mapping = graph.value(iri, PW.skosMapping)
    return Correspondence(
        iri=iri,
        a=sides[a.iri],
        b=sides[b.iri],
        match=text(graph, graph.value(iri, PW.matchType), DCTERMS.identifier),
        rationale=text(graph, iri, PW.rationale, RDFS.comment),
        a_sections=section_numbers(graph, sources[a.iri]),
        b_sections=section_numbers(graph, sources[b.iri]),
        skos_mapping=graph.namespace_manager.normalizeUri(mapping) if mapping is not None else "",
    )
