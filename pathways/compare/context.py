"""What every aspect of a comparison reads: the stated correspondences and both pathways.

The comparison is split by aspect (steps, roles, documents, timescales, ...), and each aspect
module is a set of functions taking the objects defined here rather than a share of one large
class:

* :class:`Context`: the model, the two authorities and the correspondences stated between
  them, indexed by term and by category (what kind of term they relate), read once per
  comparison;
* :class:`PlanSide`: one authority's pathway as the rows need it (its flow graph, its nodes
  in display order, the roles and documents its nodes name, its timescales and requirements);
* :class:`PairSides`: the two pathways of one pathway pair, with the context, which is what
  an aspect function is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from pathways.compare.alignments import Correspondence, correspondences, section_numbers
from pathways.compare.records import Row, Side
from pathways.model import policy as catalogue
from pathways.model.citations import MODEL_ADDED, section_key
from pathways.model.graph import display_order, pathway_graph
from pathways.model.loading import load_model
from pathways.model.policy import Authority, Pathway
from pathways.model.terms import flag
from pathways.model.vocabulary import PPLAN, PW, RDF, RDFS

__all__ = ["SIDES", "Context", "PairSides", "PlanSide", "is_a", "orient"]

#: The two sides of a comparison, as the correspondences name them.
SIDES = ("a", "b")


def is_a(graph: Graph, term: Node | None, classes: set[Node]) -> bool:
    """Whether ``term`` has an ``rdf:type`` among ``classes``.

    Parameters
    ----------
    graph : Graph
        The model.
    term : Node or None
        The term; ``None`` is an instance of nothing.
    classes : set of Node
        The classes (usually a class and its subclasses).

    Returns
    -------
    bool
    """
    return term is not None and any(t in classes for t in graph.objects(term, RDF.type))


def orient(which: str, mine: Side, theirs: Side) -> tuple[Side, Side]:
    """The (A, B) sides of a row, given this side's and the other side's.

    Parameters
    ----------
    which : {"a", "b"}
        Which authority ``mine`` belongs to.
    mine, theirs : Side
        This authority's side and the other authority's.

    Returns
    -------
    tuple of Side
        (A's side, B's side).
    """
    return (mine, theirs) if which == "a" else (theirs, mine)


@dataclass
class PlanSide:
    """One side's pathway with what the rows need of it.

    Attributes
    ----------
    plan : Pathway
        The pathway.
    digraph : networkx.DiGraph
        Its flow graph (see :func:`pathways.model.graph.pathway_graph`).
    order : list of str
        Its nodes in display order.
    nodes : dict
        Node IRI to node name in ``digraph``.
    positions : dict
        Node IRI to its place in ``order``.
    timescales : dict
        Timescale IRI to the timescale, for the timescales of its steps.
    requirements : list of Requirement
        The requirements that apply on the pathway.
    requirement_sets : list of URIRef
        The ``pw:RequirementSet`` nodes on the pathway.
    roles, artefacts : dict
        Role (document) IRI to the nodes that name it.
    """

    plan: Pathway
    digraph: nx.DiGraph
    order: list[str]
    nodes: dict[URIRef, str]
    positions: dict[URIRef, int]
    timescales: dict[URIRef, catalogue.Timescale]
    requirements: list[catalogue.Requirement]
    requirement_sets: list[URIRef]
    roles: dict[URIRef, list[str]]
    artefacts: dict[URIRef, list[str]]

    def sorted_terms(self, terms: Iterable[URIRef]) -> list[URIRef]:
        """Terms in the pathway's display order (nodes first, then the rest by IRI)."""
        return sorted(terms, key=lambda t: (self.positions.get(t, 999), str(t)))


#: The classes whose instances a correspondence can relate, by category; a correspondence
#: takes the first category either of its terms is an instance of.
_CATEGORY_ROOTS: dict[str, tuple[URIRef, ...]] = {
    "timescale": (PW.Timescale,),
    "pathway": (PW.Pathway,),
    "level": (PW.LevelOfNeed,),
    "role": (PW.Role,),
    "requirement": (PW.Requirement, PW.RequirementSet),
    "document": (PW.Artefact,),
    "node": (PW.FlowNode,),
}


class Context:
    """The model, the two authorities and their stated correspondences, read once per comparison.

    Parameters
    ----------
    graph : Graph
        The model, with its alignments.
    a, b : Authority
        The two authorities, in the comparison's order.

    Attributes
    ----------
    correspondences : list of Correspondence
        Every correspondence stated between A and B, oriented A to B.
    classes : dict
        Category name to the set of classes its terms are instances of.
    timescales : dict
        Timescale IRI to the timescale, for every timescale of the model.
    plans : dict
        Pathway IRI to the pathway, for every pathway of the model.
    """

    def __init__(self, graph: Graph, a: Authority, b: Authority) -> None:
        self.graph = graph
        self.a, self.b = a, b
        self.correspondences = correspondences(graph, a, b)
        self.classes = {
            name: set().union(*(graph.transitive_subjects(RDFS.subClassOf, root) for root in roots))
            for name, roots in _CATEGORY_ROOTS.items()
        }
        self.timescales = {t.iri: t for t in catalogue.timescales(graph)}
        self.plans = {p.iri: p for p in catalogue.pathways(graph)}
        self._indexes: dict[str, dict[URIRef, list[Correspondence]]] = {which: {} for which in SIDES}
        self._categories: dict[URIRef, str] = {}
        for c in self.correspondences:
            self._categories[c.iri] = self._category(c)
            for which, term in zip(SIDES, (c.a, c.b), strict=True):
                if term is not None:
                    self._indexes[which].setdefault(term, []).append(c)

    def _category(self, c: Correspondence) -> str:
        for name, classes in self.classes.items():
            if is_a(self.graph, c.a, classes) or is_a(self.graph, c.b, classes):
                return name
        return "other"

    def authority(self, which: str) -> Authority:
        """Authority A or B."""
        return self.a if which == "a" else self.b

    def category(self, c: Correspondence) -> str:
        """What kind of terms a correspondence relates: "node", "role", "timescale", ... or "other"."""
        return self._categories[c.iri]

    def of(self, category: str) -> list[Correspondence]:
        """The correspondences of one category, in IRI order."""
        return [c for c in self.correspondences if self.category(c) == category]

    def index(self, which: str) -> dict[URIRef, list[Correspondence]]:
        """Authority A's (``"a"``) or B's (``"b"``) terms, each to the correspondences naming it."""
        return self._indexes[which]

    def stated_for(self, which: str, term: URIRef, category: str) -> list[Correspondence]:
        """The correspondences of a category that name one side's term."""
        return [c for c in self.index(which).get(term, []) if self.category(c) == category]

    def sections(self, term: Node) -> tuple[str, ...]:
        """The section numbers a term cites (``pw:source``), in document order; a term the
        model added (``pw:modelAdded``, no paragraph of its own) cites :data:`MODEL_ADDED`."""
        numbers = section_numbers(self.graph, self.graph.objects(term, PW.source))
        if not numbers and flag(self.graph, term, PW.modelAdded):
            return (MODEL_ADDED,)
        return numbers

    def node_sections(self, side: PlanSide, nodes: Iterable[str]) -> tuple[str, ...]:
        """The section numbers the given nodes of a pathway cite, together, in document order."""
        found: list[str] = []
        for node in nodes:
            found += self.sections(URIRef(side.digraph.nodes[node]["iri"]))
        return tuple(sorted(dict.fromkeys(found), key=section_key))

    def pathway_of(self, term: Node) -> URIRef | None:
        """The pathway a step, flow node or requirement set is on, if any."""
        return self.graph.value(term, PPLAN.isStepOfPlan) or self.graph.value(term, PW.onPathway)

    def plan_side(self, plan: Pathway) -> PlanSide:
        """One pathway read for the rows: its flow graph and what its nodes name."""
        g = self.graph
        shared = g is load_model()  # the packaged model's graphs are cached
        digraph = pathway_graph(plan.authority.id, plan.id, None if shared else g)
        order = display_order(digraph)
        nodes = {URIRef(digraph.nodes[n]["iri"]): n for n in digraph}
        return PlanSide(
            plan=plan,
            digraph=digraph,
            order=order,
            nodes=nodes,
            positions={URIRef(digraph.nodes[n]["iri"]): i for i, n in enumerate(order)},
            timescales={t.iri: t for t in digraph.graph["timescales"]},
            requirements=catalogue.requirements(g, plan),
            requirement_sets=sorted(
                s for s in g.subjects(PW.onPathway, plan.iri) if (s, RDF.type, PW.RequirementSet) in g
            ),
            roles=self._named(nodes, (PW.performedBy, PW.decidedBy, PW.involves)),
            artefacts=self._named(nodes, (PW.uses, PW.produces)),
        )

    def _named(self, nodes: dict[URIRef, str], predicates: tuple[URIRef, ...]) -> dict[URIRef, list[str]]:
        """Each term the nodes name by one of the predicates, to the nodes naming it."""
        found: dict[URIRef, list[str]] = {}
        for iri, node in nodes.items():
            for predicate in predicates:
                for term in self.graph.objects(iri, predicate):
                    found.setdefault(term, []).append(node)
        return found


@dataclass(frozen=True)
class PairSides:
    """Two corresponding pathways being compared, which is what each aspect function is given.

    Attributes
    ----------
    context : Context
        The comparison's context.
    kind : str
        The pathway kind of the pair (the kind of every row it gives).
    a, b : PlanSide
        Authority A's and authority B's pathway.
    """

    context: Context
    kind: str
    a: PlanSide
    b: PlanSide

    def side(self, which: str) -> PlanSide:
        """Authority A's (``"a"``) or B's (``"b"``) pathway."""
        return self.a if which == "a" else self.b

    def other(self, which: str) -> PlanSide:
        """The other side's pathway: B's for ``"a"``, A's for ``"b"``."""
        return self.b if which == "a" else self.a

    def row(self, aspect: str, a: Side, b: Side, match: str = "", note: str = "") -> Row:
        """A row of this pair's kind."""
        return Row(self.kind, aspect, a, b, match, note)
