"""Comparing two authorities' pathways side by side, from the alignment stated in the model.

An alignment (``ontology/alignments/<a>--<b>.ttl``) states, as ``pw:Correspondence`` nodes,
which pathways, flow nodes, roles, levels of need, documents, requirements and timescales of
two authorities correspond, how closely (exact, close, partial) and why, each with the
paragraphs compared; a term with nothing corresponding is stated with one side and
``pw:noCounterpart``. This module only reads those statements and the pathway graphs:
nothing here names an authority, a pathway or a policy fact, so a third authority with its
own alignment file is compared with no code change.

For each aligned pair of pathways the comparison gives rows, one per aspect (trigger, steps
and decisions with who decides, roles, hand-offs, documents, required contents, timescales,
escalation, monitoring, service hours, what exists in one only) with both sides' citations,
and summary metrics computed from the graph (steps, decisions, roles, hand-offs, routes,
bounds in working days).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from . import catalogue
from .catalogue import Authority, Pathway, label, text
from .errors import InputError
from .graph import handoffs, pathway_graph, route_bounds, routes
from .model import load_model
from .vocab import DCTERMS, PPLAN, PW, RDF, RDFS, SKOS

NO_COUNTERPART = "no counterpart"
NOT_ALIGNED = "not aligned"
ALL_KINDS = "all"
ABSENT = "(not stated)"

ASPECT_ORDER = (
    "pathway",
    "trigger",
    "decision",
    "step",
    "end state",
    "role",
    "hand-offs",
    "document",
    "requirement",
    "timescale",
    "escalation",
    "monitoring",
    "service hours",
    "summary",
)


# ---------------------------------------------------------------------------- citations


def cite(sections: Iterable[str]) -> str:
    """'§3.1, 3.2, Appendix 3' for a list of section numbers in document order."""
    ordered = sorted(dict.fromkeys(sections), key=catalogue._section_key)
    numbered = [s for s in ordered if s[:1].isdigit()]
    named = [s for s in ordered if not s[:1].isdigit()]
    parts = ([f"\u00a7{', '.join(numbered)}"] if numbered else []) + named
    return ", ".join(parts)


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Alignment:
    iri: URIRef
    label: str
    authorities: frozenset[str]


@dataclass(frozen=True)
class Correspondence:
    """One stated correspondence, oriented to the comparison: ``a`` is authority A's term."""

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
        return self.a is None or self.b is None


@dataclass(frozen=True)
class Side:
    """What one authority states on a row: its words (empty when it states nothing) and where."""

    text: str = ""
    sections: tuple[str, ...] = ()
    pathway: str = ""

    @property
    def citation(self) -> str:
        return cite(self.sections)

    @property
    def stated(self) -> bool:
        return bool(self.text)

    def display(self) -> str:
        return self.text or ABSENT

    def as_dict(self) -> dict:
        return {"text": self.text, "sections": list(self.sections), "citation": self.citation, "pathway": self.pathway}


@dataclass(frozen=True)
class Row:
    kind: str
    aspect: str
    a: Side
    b: Side
    match: str
    note: str = ""


@dataclass
class PathwayPair:
    kind: str
    a: Pathway | None
    b: Pathway | None
    match: str
    rationale: str
    rows: list[Row] = field(default_factory=list)
    metrics: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    node_pairs: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Comparison:
    a: Authority
    b: Authority
    alignments: list[Alignment]
    general: list[Row]
    pairs: list[PathwayPair]

    def rows(self) -> list[Row]:
        return self.general + [row for pair in self.pairs for row in pair.rows]


# ---------------------------------------------------------------------------- reading alignments


def alignments(graph: Graph | None = None) -> list[Alignment]:
    """Every alignment in the model, with the ids of the two authorities it relates."""
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
        if term in self.cache:
            return self.cache[term]
        found = None
        if term in self.authorities:
            found = term
        elif depth < 6:
            value = self.graph.value(term, PW.authority)
            if value in self.authorities:
                found = value
            for link in self.LINKS:
                if found is not None:
                    break
                target = self.graph.value(term, link)
                if target is not None:
                    found = self(target, depth + 1)
            if found is None:
                cited = next(iter(sorted(self.graph.objects(term, PW.source))), None)
                found = self(cited, depth + 1) if cited is not None else None
        self.cache[term] = found
        return found


def _section_numbers(graph: Graph, sections: Iterable[Node]) -> tuple[str, ...]:
    numbers = [text(graph, s, PW.sectionNumber) for s in sections]
    return tuple(sorted(dict.fromkeys(n for n in numbers if n), key=catalogue._section_key))


def correspondences(graph: Graph, a: Authority, b: Authority) -> list[Correspondence]:
    """The correspondences stated between authorities A and B, oriented A to B."""
    owner = _Owners(graph)
    wanted = {a.id, b.id}
    found = []
    for alignment in alignments(graph):
        if alignment.authorities != wanted:
            continue
        for iri in graph.subjects(PW.inAlignment, alignment.iri):
            if (iri, RDF.type, PW.Correspondence) not in graph:
                continue
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
            found.append(
                Correspondence(
                    iri=iri,
                    a=sides[a.iri],
                    b=sides[b.iri],
                    match=text(graph, graph.value(iri, PW.matchType), DCTERMS.identifier),
                    rationale=text(graph, iri, PW.rationale, RDFS.comment),
                    a_sections=_section_numbers(graph, sources[a.iri]),
                    b_sections=_section_numbers(graph, sources[b.iri]),
                    skos_mapping=graph.namespace_manager.normalizeUri(mapping) if mapping is not None else "",
                )
            )
    return sorted(found, key=lambda c: str(c.iri))


# ---------------------------------------------------------------------------- the comparer


def _is_a(graph: Graph, term: Node | None, classes: set[Node]) -> bool:
    return term is not None and any(t in classes for t in graph.objects(term, RDF.type))


def _subclasses(graph: Graph, root: URIRef) -> set[Node]:
    return set(graph.transitive_subjects(RDFS.subClassOf, root))


def _days(value: Decimal | None) -> str:
    if value is None:
        return "no upper limit"
    return format(value.normalize(), "f") if value == value.to_integral_value() else f"{float(value):.1f}"


def _span(values: list[Decimal]) -> str:
    if not values:
        return "0"
    low, high = min(values), max(values)
    return _days(low) if low == high else f"{_days(low)} to {_days(high)}, by route"


@dataclass
class _Plan:
    """One side's pathway with what the rows need of it."""

    plan: Pathway
    digraph: nx.DiGraph
    order: list[str]
    nodes: dict[URIRef, str]
    timescales: dict[URIRef, catalogue.Timescale]
    requirements: list[catalogue.Requirement]
    requirement_sets: list[URIRef]
    roles: dict[URIRef, list[str]]
    artefacts: dict[URIRef, list[str]]


class _Comparer:
    def __init__(self, graph: Graph, a: Authority, b: Authority) -> None:
        self.graph = graph
        self.a, self.b = a, b
        self.corr = correspondences(graph, a, b)
        self.by_a: dict[URIRef, list[Correspondence]] = {}
        self.by_b: dict[URIRef, list[Correspondence]] = {}
        for c in self.corr:
            if c.a is not None:
                self.by_a.setdefault(c.a, []).append(c)
            if c.b is not None:
                self.by_b.setdefault(c.b, []).append(c)
        self.classes = {
            "timescale": _subclasses(graph, PW.Timescale),
            "pathway": _subclasses(graph, PW.Pathway),
            "level": _subclasses(graph, PW.LevelOfNeed),
            "role": _subclasses(graph, PW.Role),
            "requirement": _subclasses(graph, PW.Requirement) | _subclasses(graph, PW.RequirementSet),
            "document": _subclasses(graph, PW.Artefact),
            "node": _subclasses(graph, PW.FlowNode),
        }
        self.timescales = {t.iri: t for t in catalogue.timescales(graph)}
        self.node_pairs: list[tuple[str, str, str]] = []
        self.plans = {p.iri: p for p in catalogue.pathways(graph)}

    # ------------------------------------------------------------------ helpers

    def category(self, c: Correspondence) -> str:
        for name, classes in self.classes.items():
            if _is_a(self.graph, c.a, classes) or _is_a(self.graph, c.b, classes):
                return name
        return "other"

    def of(self, category: str) -> list[Correspondence]:
        return [c for c in self.corr if self.category(c) == category]

    def sections(self, term: Node) -> tuple[str, ...]:
        return _section_numbers(self.graph, self.graph.objects(term, PW.source))

    def pathway_of(self, term: Node) -> URIRef | None:
        return self.graph.value(term, PPLAN.isStepOfPlan) or self.graph.value(term, PW.onPathway)

    def plan_side(self, plan: Pathway) -> _Plan:
        g = self.graph
        shared = g is load_model()  # the packaged model's graphs are cached
        digraph = pathway_graph(plan.authority.id, plan.id, None if shared else g)
        order = _display_order(digraph)
        nodes = {URIRef(digraph.nodes[n]["iri"]): n for n in digraph}
        roles: dict[URIRef, list[str]] = {}
        artefacts: dict[URIRef, list[str]] = {}
        for iri, node in nodes.items():
            for predicate in (PW.performedBy, PW.decidedBy, PW.involves):
                for role in g.objects(iri, predicate):
                    roles.setdefault(role, []).append(node)
            for predicate in (PW.uses, PW.produces):
                for artefact in g.objects(iri, predicate):
                    artefacts.setdefault(artefact, []).append(node)
        return _Plan(
            plan=plan,
            digraph=digraph,
            order=order,
            nodes=nodes,
            timescales={t.iri: t for t in digraph.graph["timescales"]},
            requirements=catalogue.requirements(g, plan),
            requirement_sets=sorted(
                s for s in g.subjects(PW.onPathway, plan.iri) if (s, RDF.type, PW.RequirementSet) in g
            ),
            roles=roles,
            artefacts=artefacts,
        )

    def node_sections(self, side: _Plan, nodes: Iterable[str]) -> tuple[str, ...]:
        found: list[str] = []
        for node in nodes:
            found += self.sections(URIRef(side.digraph.nodes[node]["iri"]))
        return tuple(sorted(dict.fromkeys(found), key=catalogue._section_key))

    def node_text(self, term: URIRef) -> str:
        g = self.graph
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
        if str(g.value(term, PW.isOptional)).lower() == "true":
            words += " (optional)"
        return words

    def timescale_text(self, term: URIRef) -> str:
        row = self.timescales.get(term)
        if row is None:
            return label(self.graph, term)
        kind = label(self.graph, self.graph.value(term, PW.timescaleKind)) or row.kind
        return f"{row.describe()} ({kind}, {row.modality}): {row.label}"

    def term_text(self, term: URIRef) -> str:
        """The words shown for any aligned term, by what it is."""
        g = self.graph
        if term in self.timescales:
            return self.timescale_text(term)
        if _is_a(g, term, self.classes["node"]):
            return self.node_text(term)
        if (term, RDF.type, PW.RequirementSet) in g:
            items = sorted(g.subjects(PW.partOf, term), key=lambda r: (int(g.value(r, PW.order) or 0), label(g, r)))
            return f"{label(g, term)} ({len(items)} items): " + "; ".join(label(g, r) for r in items)
        if _is_a(g, term, self.classes["requirement"]):
            words = f"{label(g, term)} ({label(g, g.value(term, PW.modality))})"
            condition = text(g, term, PW.appliesWhen)
            return words + (f", when {condition}" if condition else "")
        if _is_a(g, term, self.classes["pathway"]):
            plan = self.plans.get(term)
            if plan is not None:
                return f"{plan.flowchart_title}: from {', '.join(plan.from_levels)} to {', '.join(plan.to_levels)}"
        return label(g, term)

    def side(self, term: URIRef | None, on: _Plan | None, sections: tuple[str, ...] = ()) -> Side:
        """A side for a term; names the term's pathway when it is not the pair's."""
        if term is None:
            return Side(sections=sections)
        words = self.term_text(term)
        pathway = self.pathway_of(term)
        where = ""
        if on is not None and pathway is not None and pathway != on.plan.iri:
            plan = self.plans.get(pathway)
            where = plan.id if plan is not None else ""
            words += f" (on {where})" if where else ""
        return Side(text=words, sections=self.sections(term) or sections, pathway=where)

    # ------------------------------------------------------------------ one pathway pair

    def pair_rows(self, pair: PathwayPair) -> None:
        sa = self.plan_side(pair.a) if pair.a is not None else None
        sb = self.plan_side(pair.b) if pair.b is not None else None
        kind = pair.kind
        rows: list[Row] = [
            Row(
                kind,
                "pathway",
                self.side(pair.a.iri if pair.a else None, sa, _plan_sections(pair.b)),
                self.side(pair.b.iri if pair.b else None, sb, _plan_sections(pair.a)),
                pair.match,
                pair.rationale,
            )
        ]
        if sa is None or sb is None:
            pair.rows = rows
            return
        rows += self.node_rows(kind, sa, sb)
        pair.node_pairs = self.node_pairs
        rows += self.membership_rows(kind, "role", sa, sb, sa.roles, sb.roles)
        rows.append(self.handoff_row(kind, sa, sb))
        rows += self.membership_rows(kind, "document", sa, sb, sa.artefacts, sb.artefacts)
        rows += self.requirement_rows(kind, sa, sb)
        rows += self.timescale_rows(kind, sa, sb)
        rows.append(self.escalation_row(kind, sa, sb))
        rows += self.monitoring_rows(kind, sa, sb)
        rows += self.service_hours_rows(kind, sa, sb)
        pair.metrics = {name: (self.metrics(sa)[name], self.metrics(sb)[name]) for name in self.metrics(sa)}
        for name, (value_a, value_b) in pair.metrics.items():
            rows.append(
                Row(
                    kind,
                    "summary",
                    Side(f"{name}: {value_a}", sa.plan.sections),
                    Side(f"{name}: {value_b}", sb.plan.sections),
                    "",
                )
            )
        pair.rows = rows

    def node_rows(self, kind: str, sa: _Plan, sb: _Plan) -> list[Row]:
        position_a = {URIRef(sa.digraph.nodes[n]["iri"]): i for i, n in enumerate(sa.order)}
        position_b = {URIRef(sb.digraph.nodes[n]["iri"]): i for i, n in enumerate(sb.order)}
        stated = [c for c in self.of("node") if not c.one_sided and (c.a in sa.nodes or c.b in sb.nodes)]
        stated.sort(key=lambda c: (position_a.get(c.a, 999), position_b.get(c.b, 999)))
        self.node_pairs = [
            (sa.nodes[c.a], sb.nodes[c.b], c.match) for c in stated if c.a in sa.nodes and c.b in sb.nodes
        ]
        rows = [
            Row(kind, self._node_aspect(c.a, c.b), self.side(c.a, sa), self.side(c.b, sb), c.match, c.rationale)
            for c in stated
        ]
        rows += self._unmatched(kind, sa, sb, sa.nodes, self.by_a, "a", "node", "No corresponding step stated.")
        rows += self._unmatched(kind, sb, sa, sb.nodes, self.by_b, "b", "node", "No corresponding step stated.")
        return rows

    def _node_aspect(self, *terms: URIRef | None) -> str:
        kinds = {
            next((k for k in ("trigger", "decision", "end") if (t, RDF.type, PW[_CLASS[k]]) in self.graph), "step")
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

    def _unmatched(
        self,
        kind: str,
        here: _Plan,
        there: _Plan,
        terms: Iterable[URIRef],
        index: dict[URIRef, list[Correspondence]],
        which: str,
        category: str,
        default_note: str,
        aspect: str | None = None,
        sections_of=None,
    ) -> list[Row]:
        """Rows for this side's terms with no two-sided correspondence of the category."""
        rows = []
        order = {URIRef(here.digraph.nodes[n]["iri"]): i for i, n in enumerate(here.order)}
        for term in sorted(terms, key=lambda t: (order.get(t, 999), str(t))):
            stated = [c for c in index.get(term, []) if self.category(c) == category]
            if any(not c.one_sided for c in stated):
                continue
            one_sided = next((c for c in stated if c.one_sided), None)
            if one_sided is not None:
                other = one_sided.b_sections if which == "a" else one_sided.a_sections
                match, note = NO_COUNTERPART, one_sided.rationale
            else:
                other, match, note = there.plan.sections, NOT_ALIGNED, default_note
            mine = self.side(term, here)
            if sections_of is not None:
                mine = Side(mine.text, sections_of(term) or mine.sections, mine.pathway)
            theirs = Side(sections=tuple(other) or there.plan.sections)
            row_aspect = aspect or self._node_aspect(term)
            a_side, b_side = (mine, theirs) if which == "a" else (theirs, mine)
            rows.append(Row(kind, row_aspect, a_side, b_side, match, note))
        return rows

    def membership_rows(
        self, kind: str, aspect: str, sa: _Plan, sb: _Plan, on_a: dict[URIRef, list[str]], on_b: dict[URIRef, list[str]]
    ) -> list[Row]:
        """Roles or documents: the stated correspondences of those used on either pathway, then the rest."""
        category = "role" if aspect == "role" else "document"

        def side(term: URIRef | None, plan: _Plan, used: dict[URIRef, list[str]]) -> Side:
            if term is None:
                return Side(sections=plan.plan.sections)
            if term in used:
                return Side(label(self.graph, term), self.node_sections(plan, used[term]))
            return Side(f"{label(self.graph, term)} (not on this pathway)", self.sections(term))

        rows = [
            Row(kind, aspect, side(c.a, sa, on_a), side(c.b, sb, on_b), c.match, c.rationale)
            for c in self.of(category)
            if not c.one_sided and (c.a in on_a or c.b in on_b)
        ]
        note = f"No corresponding {aspect} stated."
        rows += self._unmatched(
            kind, sa, sb, on_a, self.by_a, "a", category, note, aspect, lambda t: self.node_sections(sa, on_a[t])
        )
        rows += self._unmatched(
            kind, sb, sa, on_b, self.by_b, "b", category, note, aspect, lambda t: self.node_sections(sb, on_b[t])
        )
        return rows

    def handoff_row(self, kind: str, sa: _Plan, sb: _Plan) -> Row:
        found_a, found_b = _distinct_handoffs(sa.digraph), _distinct_handoffs(sb.digraph)
        role_iris_a = {label(self.graph, r): r for r in sa.roles}
        role_iris_b = {label(self.graph, r): r for r in sb.roles}
        pairs = {(c.a, c.b) for c in self.of("role") if not c.one_sided}

        def corresponds(roles_a: tuple[str, ...], roles_b: tuple[str, ...]) -> bool:
            return any((role_iris_a.get(x), role_iris_b.get(y)) in pairs for x in roles_a for y in roles_b)

        matched = sum(
            1 for f_a, t_a in found_a if any(corresponds(f_a, f_b) and corresponds(t_a, t_b) for f_b, t_b in found_b)
        )

        def words(found: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> str:
            return "; ".join(f"{' / '.join(f)} \u2192 {' / '.join(t)}" for f, t in found)

        note = (
            f"{matched} of {len(found_a)} {self.a.name} hand-offs pass between roles that correspond to the two "
            f"roles of a {self.b.name} hand-off (role correspondences of the alignment)."
        )
        return Row(
            kind, "hand-offs", Side(words(found_a), sa.plan.sections), Side(words(found_b), sb.plan.sections), "", note
        )

    def requirement_rows(self, kind: str, sa: _Plan, sb: _Plan) -> list[Row]:
        def terms(side: _Plan) -> dict[URIRef, tuple[str, ...]]:
            found = {r.iri: self.sections(r.iri) for r in side.requirements}
            found |= {s: self.sections(s) for s in side.requirement_sets}
            return found

        ta, tb = terms(sa), terms(sb)
        rows = [
            Row(kind, "requirement", self.side(c.a, sa), self.side(c.b, sb), c.match, c.rationale)
            for c in self.of("requirement")
            if not c.one_sided and (c.a in ta or c.b in tb)
        ]
        rows += self._unmatched_requirements(kind, sa, sb, ta, "a")
        rows += self._unmatched_requirements(kind, sb, sa, tb, "b")
        return rows

    def _unmatched_requirements(
        self, kind: str, here: _Plan, there: _Plan, terms: dict[URIRef, tuple[str, ...]], which: str
    ) -> list[Row]:
        index = self.by_a if which == "a" else self.by_b
        matched = {t for t in terms if any(not c.one_sided for c in index.get(t, []))}
        g = self.graph
        leftover = []
        for term in terms:
            if term in matched:
                continue
            group = g.value(term, PW.partOf)
            if group is not None and (group in matched or group in terms):
                continue  # listed with its set
            leftover.append(term)
        return self._unmatched(
            kind,
            here,
            there,
            leftover,
            index,
            which,
            "requirement",
            "No corresponding requirement stated.",
            "requirement",
        )

    def timescale_rows(self, kind: str, sa: _Plan, sb: _Plan) -> list[Row]:
        here_a = set(sa.timescales) | set(sa.nodes)
        here_b = set(sb.timescales) | set(sb.nodes)
        rows = [
            Row(kind, "timescale", self.side(c.a, sa), self.side(c.b, sb), c.match, c.rationale)
            for c in self.of("timescale")
            if not c.one_sided and (c.a in here_a or c.b in here_b)
        ]
        note = "No corresponding timescale stated."
        rows += self._unmatched(kind, sa, sb, sa.timescales, self.by_a, "a", "timescale", note, "timescale")
        rows += self._unmatched(kind, sb, sa, sb.timescales, self.by_b, "b", "timescale", note, "timescale")
        return rows

    def escalation_row(self, kind: str, sa: _Plan, sb: _Plan) -> Row:
        def side(plan: _Plan) -> tuple[Side, list[str]]:
            nodes = [n for n in plan.order if plan.digraph.nodes[n]["escalation"]]
            words = "; ".join(self.node_text(URIRef(plan.digraph.nodes[n]["iri"])) for n in nodes)
            return Side(words, self.node_sections(plan, nodes) if nodes else plan.plan.sections), nodes

        side_a, nodes_a = side(sa)
        side_b, nodes_b = side(sb)
        if nodes_a and nodes_b:
            note = "Both pathways have an escalation route; see the step rows for how their steps correspond."
        elif nodes_a or nodes_b:
            who = self.a.name if nodes_a else self.b.name
            other = self.b.name if nodes_a else self.a.name
            note = f"Only {who} states an escalation route on this pathway; {other}'s paragraphs cited state none."
        else:
            note = "Neither pathway states an escalation route."
        return Row(kind, "escalation", side_a, side_b, "", note)

    def monitoring_rows(self, kind: str, sa: _Plan, sb: _Plan) -> list[Row]:
        g = self.graph

        def words(plan: _Plan) -> tuple[str, tuple[str, ...]]:
            found = sorted(g.subjects(PW.onPathway, plan.plan.iri))
            found = [m for m in found if (m, RDF.type, PW.MonitoringArrangement) in g]
            parts, sections = [], []
            for m in found:
                part = label(g, m)
                who = [label(g, r) for r in g.objects(m, PW.monitoredBy)]
                if who:
                    part += f": monitored by {', '.join(who)}"
                chain = g.value(m, PW.escalatesTo)
                if chain is not None:
                    part += "; departures raised with " + " \u2192 ".join(label(g, r) for r in g.items(chain))
                forum = text(g, m, PW.forum)
                if forum:
                    part += f" ({forum})"
                parts.append(part)
                sections += self.sections(m)
            return "; ".join(parts), tuple(dict.fromkeys(sections))

        return self._stated_row(kind, "monitoring", sa, sb, words, "states how this pathway is monitored")

    def service_hours_rows(self, kind: str, sa: _Plan, sb: _Plan) -> list[Row]:
        g = self.graph

        def words(plan: _Plan) -> tuple[str, tuple[str, ...]]:
            parts, sections = [], []
            for hours in sorted(g.subjects(RDF.type, PW.ServiceHours)):
                services = {g.value(hours, PW.service), g.value(hours, PW.outOfHoursService)}
                if not services & set(plan.roles):
                    continue
                part = f"{label(g, hours)}: {label(g, g.value(hours, PW.service))}"
                opens, closes = text(g, hours, PW.opensAt), text(g, hours, PW.closesAt)
                friday = text(g, hours, PW.closesAtFriday)
                if opens and closes:
                    part += f" open {opens[:5]}-{closes[:5]} Monday to Thursday"
                    part += f", to {friday[:5]} on Friday" if friday else ""
                out = g.value(hours, PW.outOfHoursService)
                if out is not None:
                    phone = text(g, out, PW.telephone)
                    part += f"; out of hours: {label(g, out)}" + (f" ({phone})" if phone else "")
                parts.append(part)
                sections += self.sections(hours)
            return "; ".join(parts), tuple(dict.fromkeys(sections))

        return self._stated_row(kind, "service hours", sa, sb, words, "states service hours")

    def _stated_row(
        self,
        kind: str,
        aspect: str,
        sa: _Plan,
        sb: _Plan,
        words: Callable[[_Plan], tuple[str, tuple[str, ...]]],
        only: str,
    ) -> list[Row]:
        """One row for an aspect each side states in words (or none, when neither does),
        noting which authority alone states it."""
        text_a, sections_a = words(sa)
        text_b, sections_b = words(sb)
        if not text_a and not text_b:
            return []
        note = "" if text_a and text_b else f"Only {self.a.name if text_a else self.b.name} {only}."
        return [
            Row(
                kind,
                aspect,
                Side(text_a, sections_a or sa.plan.sections),
                Side(text_b, sections_b or sb.plan.sections),
                "",
                note,
            )
        ]

    def metrics(self, side: _Plan) -> dict[str, Any]:
        g = side.digraph
        kinds = [k for _, k in g.nodes(data="kind")]
        all_routes = routes(g)
        bounds = [route_bounds(g, r) for r in all_routes]
        bounded = [b.longest for b in bounds if b.longest is not None]
        longest = (
            f"{_days(max(bounded))} ({len(bounded)} of {len(bounds)} routes bounded)"
            if bounded
            else f"no upper limit on any of {len(bounds)} routes"
        )
        return {
            "steps": kinds.count("activity"),
            "decisions": kinds.count("decision"),
            "end states": kinds.count("end"),
            "roles": len(side.roles),
            "hand-offs": len(_distinct_handoffs(g)),
            "routes": len(all_routes),
            "longest route (steps)": max((len(r) for r in all_routes), default=0),
            "least time a route takes (working days)": _span([b.shortest for b in bounds]),
            "longest time (working days)": longest,
        }

    # ------------------------------------------------------------------ across pathways

    def pairs(self) -> list[PathwayPair]:
        mine_a = [p for p in self.plans.values() if p.authority.id == self.a.id]
        mine_b = [p for p in self.plans.values() if p.authority.id == self.b.id]
        found: list[PathwayPair] = []
        paired_a: set[URIRef] = set()
        paired_b: set[URIRef] = set()
        for c in self.of("pathway"):
            pa, pb = self.plans.get(c.a), self.plans.get(c.b)
            if pa is None and pb is None:
                continue
            paired_a |= {pa.iri} if pa else set()
            paired_b |= {pb.iri} if pb else set()
            note = c.rationale
            match = c.match or NO_COUNTERPART
            found.append(PathwayPair((pa or pb).kind, pa, pb, match, note))
        for p in mine_a:
            if p.iri not in paired_a:
                found.append(PathwayPair(p.kind, p, None, NOT_ALIGNED, "No correspondence stated for this pathway."))
        for p in mine_b:
            if p.iri not in paired_b:
                found.append(PathwayPair(p.kind, None, p, NOT_ALIGNED, "No correspondence stated for this pathway."))
        found.sort(key=lambda pair: (pair.a.order if pair.a else 99, pair.b.order if pair.b else 99, pair.kind))
        return found

    def general_rows(self) -> list[Row]:
        g = self.graph
        rows = []
        schemes = {}
        for authority in (self.a, self.b):
            scheme = next(
                (s for s in g.subjects(PW.authority, authority.iri) if (s, RDF.type, PW.LevelScheme) in g), None
            )
            schemes[authority.id] = scheme
        sides = []
        for authority in (self.a, self.b):
            scheme = schemes[authority.id]
            if scheme is None:
                sides.append(Side())
                continue
            tops = sorted(g.objects(scheme, SKOS.hasTopConcept), key=lambda c: (int(g.value(c, PW.rank) or 0), str(c)))
            parts, sections = [], list(self.sections(scheme))
            for top in tops:
                narrower = sorted(label(g, n) for n in g.objects(top, SKOS.narrower))
                parts.append(label(g, top) + (f" ({', '.join(narrower)})" if narrower else ""))
                sections += self.sections(top)
            words = f"{len(tops)} levels: " + "; ".join(parts)
            sides.append(Side(words, tuple(sorted(dict.fromkeys(sections), key=catalogue._section_key))))
        rows.append(
            Row(
                ALL_KINDS,
                "levels of need",
                sides[0],
                sides[1],
                "",
                "Each authority's scheme of levels of need, lowest first.",
            )
        )
        levels = {
            self.a.id: [c for c in g.subjects(SKOS.inScheme, schemes[self.a.id])] if schemes[self.a.id] else [],
            self.b.id: [c for c in g.subjects(SKOS.inScheme, schemes[self.b.id])] if schemes[self.b.id] else [],
        }
        for c in self.of("level"):
            mapping = f" ({c.skos_mapping})" if c.skos_mapping else ""
            if c.one_sided:
                a_side = self._level_side(c.a) if c.a is not None else Side(sections=c.a_sections)
                b_side = self._level_side(c.b) if c.b is not None else Side(sections=c.b_sections)
                rows.append(Row(ALL_KINDS, "level", a_side, b_side, NO_COUNTERPART, c.rationale))
            else:
                rows.append(
                    Row(
                        ALL_KINDS, "level", self._level_side(c.a), self._level_side(c.b), c.match + mapping, c.rationale
                    )
                )
        stated_a = {c.a for c in self.of("level")}
        stated_b = {c.b for c in self.of("level")}
        for level in sorted(levels[self.a.id], key=str):
            if level not in stated_a:
                rows.append(Row(ALL_KINDS, "level", self._level_side(level), Side(), NOT_ALIGNED, "No mapping stated."))
        for level in sorted(levels[self.b.id], key=str):
            if level not in stated_b:
                rows.append(Row(ALL_KINDS, "level", Side(), self._level_side(level), NOT_ALIGNED, "No mapping stated."))
        return rows

    def _level_side(self, level: URIRef) -> Side:
        g = self.graph
        rank = g.value(level, PW.rank)
        words = label(g, level) + (f" (rank {rank})" if rank is not None else "")
        return Side(words, self.sections(level))


_CLASS = {"trigger": "Trigger", "decision": "Decision", "end": "EndState"}


def _plan_sections(plan: Pathway | None) -> tuple[str, ...]:
    return plan.sections if plan is not None else ()


def _display_order(digraph: nx.DiGraph) -> list[str]:
    starts = [n for n, kind in digraph.nodes(data="kind") if kind == "trigger"]
    seen = list(nx.bfs_tree(digraph, starts[0])) if starts else []
    return seen + sorted(set(digraph) - set(seen))


def _distinct_handoffs(digraph: nx.DiGraph) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every distinct hand-off (from roles, to roles) over all routes, in order of first appearance."""
    found: dict[tuple[tuple[str, ...], tuple[str, ...]], None] = {}
    for route in routes(digraph):
        for h in handoffs(digraph, route):
            found.setdefault((h.from_roles, h.to_roles))
    return list(found)


def match_groups(pair: PathwayPair) -> tuple[dict[str, int], dict[str, int]]:
    """Groups of corresponding nodes of a pathway pair, numbered from 1 in the first pathway's order.

    Nodes linked by stated correspondences (directly or through a shared counterpart) share a
    group; a node of either pathway in no group has no counterpart on the other pathway.
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


# ---------------------------------------------------------------------------- entry point


def pathway_kinds(graph: Graph | None = None) -> list[str]:
    graph = graph if graph is not None else load_model()
    return sorted({p.kind for p in catalogue.pathways(graph)})


def compare(a_id: str, b_id: str, kind: str | None = None, graph: Graph | None = None) -> Comparison:
    """Compare authorities A and B: general rows, then one block of rows per aligned pathway pair."""
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
    comparer = _Comparer(graph, a, b)
    pairs = comparer.pairs()
    if kind is not None:
        pairs = [p for p in pairs if kind in {p.a.kind if p.a else None, p.b.kind if p.b else None}]
    for pair in pairs:
        comparer.pair_rows(pair)
    general = comparer.general_rows() if kind is None else []
    return Comparison(a=a, b=b, alignments=found, general=general, pairs=pairs)


# ---------------------------------------------------------------------------- output


def columns(comparison: Comparison) -> list[str]:
    a, b = comparison.a.id, comparison.b.id
    return ["kind", "aspect", a, f"{a} \u00a7", b, f"{b} \u00a7", "match", "note"]


def row_dict(comparison: Comparison, row: Row) -> dict[str, str]:
    a, b = comparison.a.id, comparison.b.id
    return {
        "kind": row.kind,
        "aspect": row.aspect,
        a: row.a.display(),
        f"{a} \u00a7": row.a.citation,
        b: row.b.display(),
        f"{b} \u00a7": row.b.citation,
        "match": row.match,
        "note": row.note,
    }


def flat_rows(comparison: Comparison) -> list[dict[str, str]]:
    return [row_dict(comparison, row) for row in comparison.rows()]


def as_json(comparison: Comparison) -> dict:
    a, b = comparison.a.id, comparison.b.id

    def row(r: Row) -> dict:
        return {
            "kind": r.kind,
            "aspect": r.aspect,
            a: r.a.as_dict(),
            b: r.b.as_dict(),
            "match": r.match,
            "note": r.note,
        }

    return {
        "authorities": [{"id": x.id, "name": x.name, "document": x.document} for x in (comparison.a, comparison.b)],
        "alignments": [str(al.iri) for al in comparison.alignments],
        "general": [row(r) for r in comparison.general],
        "pairs": [
            {
                "kind": pair.kind,
                a: pair.a.id if pair.a else None,
                b: pair.b.id if pair.b else None,
                "match": pair.match,
                "rationale": pair.rationale,
                "metrics": {name: {a: va, b: vb} for name, (va, vb) in pair.metrics.items()},
                "rows": [row(r) for r in pair.rows],
            }
            for pair in comparison.pairs
        ],
    }


def pair_title(comparison: Comparison, pair: PathwayPair) -> str:
    left = pair.a.flowchart_title if pair.a else f"(no {comparison.a.name} pathway)"
    right = pair.b.flowchart_title if pair.b else f"(no {comparison.b.name} pathway)"
    return f"{pair.kind}: {left} \u2194 {right} ({pair.match})"


def blocks(comparison: Comparison) -> list[tuple[str, list[Row]]]:
    """The rows grouped for display: general first, then each pathway pair."""
    found = []
    if comparison.general:
        found.append((f"{comparison.a.name} and {comparison.b.name}: levels of need", comparison.general))
    found += [(pair_title(comparison, pair), pair.rows) for pair in comparison.pairs]
    return found


def to_markdown(comparison: Comparison) -> str:
    from .tables import to_markdown as table

    cols = columns(comparison)
    parts = [f"# {comparison.a.name} and {comparison.b.name} compared\n"]
    parts.append(
        f"{comparison.a.name}: *{comparison.a.document}*. {comparison.b.name}: *{comparison.b.document}*. "
        "Every row cites both policies; '(not stated)' marks what one policy does not say.\n"
    )
    for title, rows in blocks(comparison):
        parts.append(f"## {title}\n")
        parts.append(table([row_dict(comparison, r) for r in rows], [c for c in cols if c != "kind"]))
    return "\n".join(parts)


_MATCH_CLASS = {"exact": "exact", "close": "close", "partial": "partial", NO_COUNTERPART: "none", NOT_ALIGNED: "none"}


def to_html(comparison: Comparison) -> str:
    """A standalone HTML page: one table per pathway pair, metrics first, each row citing both policies."""
    esc = html.escape
    a, b = comparison.a, comparison.b
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(a.name)} and {esc(b.name)} compared</title>",
        "<style>",
        "body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:2rem;color:#222}",
        "table{border-collapse:collapse;width:100%;margin:0 0 2rem 0;font-size:.88rem}",
        "th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}",
        "th{background:#f0f0f0}td.cite{white-space:nowrap;color:#555}",
        "td.absent{color:#999;font-style:italic}",
        ".m{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.8rem}",
        ".exact{background:#cdebd3}.close{background:#dcebf9}.partial{background:#fdf0c8}.none{background:#f6d5d5}",
        "</style></head><body>",
        f"<h1>{esc(a.name)} and {esc(b.name)} compared</h1>",
        f"<p>{esc(a.name)}: <em>{esc(a.document)}</em>. {esc(b.name)}: <em>{esc(b.document)}</em>. "
        "Read from the policy model and its stated alignment; every row cites both policies.</p>",
    ]
    for pair in comparison.pairs:
        if pair.metrics:
            out.append(f"<h2>{esc(pair_title(comparison, pair))}</h2>")
            out.append(f"<table><tr><th>metric</th><th>{esc(a.name)}</th><th>{esc(b.name)}</th></tr>")
            for name, (va, vb) in pair.metrics.items():
                out.append(f"<tr><td>{esc(name)}</td><td>{esc(str(va))}</td><td>{esc(str(vb))}</td></tr>")
            out.append("</table>")
    for title, rows in blocks(comparison):
        out.append(f"<h2>{esc(title)}</h2>")
        out.append(
            f"<table><tr><th>aspect</th><th>{esc(a.name)}</th><th>\u00a7</th><th>{esc(b.name)}</th><th>\u00a7</th>"
            "<th>match</th><th>note</th></tr>"
        )
        for r in rows:
            badge = (
                f'<span class="m {_MATCH_CLASS.get(r.match.split(" ")[0], "")}">{esc(r.match)}</span>'
                if r.match
                else ""
            )
            if r.match.startswith(NO_COUNTERPART) or r.match.startswith(NOT_ALIGNED):
                badge = f'<span class="m none">{esc(r.match)}</span>'
            cells = []
            for side in (r.a, r.b):
                css = "" if side.stated else ' class="absent"'
                cells.append(f'<td{css}>{esc(side.display())}</td><td class="cite">{esc(side.citation)}</td>')
            out.append(f"<tr><td>{esc(r.aspect)}</td>{''.join(cells)}<td>{badge}</td><td>{esc(r.note)}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def print_table(comparison: Comparison) -> None:
    """The comparison as terminal tables: metrics, then rows, per pathway pair."""
    from .tables import print_rows

    cols = [c for c in columns(comparison) if c != "kind"]
    for pair in comparison.pairs:
        if pair.metrics:
            print_rows(
                [{"metric": n, comparison.a.id: va, comparison.b.id: vb} for n, (va, vb) in pair.metrics.items()],
                ["metric", comparison.a.id, comparison.b.id],
                "table",
                title=f"Summary: {pair_title(comparison, pair)}",
            )
    for title, rows in blocks(comparison):
        print_rows([row_dict(comparison, r) for r in rows], cols, "table", title=title)


def find_rows(rows: Sequence[Row], kind: str | None = None, aspect: str | None = None) -> list[Row]:
    """Rows of a kind and aspect (for tests and the explorer)."""
    return [r for r in rows if (kind is None or r.kind == kind) and (aspect is None or r.aspect == aspect)]
