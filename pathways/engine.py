"""A set-at-a-time evaluator for the policy shapes, checked against pySHACL.

pySHACL runs each SPARQL constraint once per focus node (a query per event per shape),
which costs seconds a case with rdflib. The policy shapes are SPARQL constraints whose
only pre-bound variables are ``$this`` and ``$currentShape``, so each can be run once
over all cases together: ``$currentShape`` is bound to the shape's IRI with VALUES, ``$this`` a variable
constrained to the shape's target class, and the query runs in Oxigraph over one store
holding every case and the rules they need. Each solution becomes one validation result
with the message filled in exactly as pySHACL fills it in.

Shapes this evaluator does not understand (any core constraint, any other target) are
left to pySHACL, on a graph of the cases alone. ``tests/test_engine.py`` compares the
two engines finding by finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store
from pyshacl import validate
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from .vocab import PW, RDF, SH

_THIS = re.compile(r"[$?]this\b")
_CURRENT_SHAPE = re.compile(r"[$?]currentShape\b")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _prefix_block(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declarations in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarations, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


class CompiledConstraint:
    """One (shape, SPARQL constraint) pair as a single query over all focus nodes."""

    def __init__(self, shapes: Graph, shape: URIRef, constraint: Node) -> None:
        self.shape = shape
        self.constraint = constraint
        self.severity = shapes.value(shape, SH.severity) or SH.Violation
        self.target = shapes.value(shape, SH.targetClass)
        self.messages = sorted(str(m) for m in shapes.objects(constraint, SH.message))
        text = str(shapes.value(constraint, SH.select))
        text = _CURRENT_SHAPE.sub("?currentShape", text)
        text = _THIS.sub("?this", text)
        bind = f"\n VALUES ?currentShape {{ <{shape}> }}\n ?this a <{self.target}> ."
        text = _WHERE.sub(lambda m: m.group(0) + bind, text, count=1)
        self.query = _prefix_block(shapes, constraint) + "\n" + text

    def results(self, store: Store) -> Iterable[dict[str, Node]]:
        solutions = store.query(self.query)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = _to_rdflib(value)
            yield row

    def message(self, row: dict[str, Node]) -> list[str]:
        """The messages pySHACL would give for this solution (its substitution rule)."""
        out = []
        for message in self.messages:
            for name, value in row.items():
                message = re.sub(f"{{[?$]{name}}}", str(value), message)
            out.append(message)
        return out


def _to_rdflib(term) -> Node:
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


@lru_cache(maxsize=200_000)
def _to_oxigraph(term: Node):
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype or "http://www.w3.org/2001/XMLSchema#string")))


def split_shapes(shapes: Graph) -> tuple[list[CompiledConstraint], Graph]:
    """The shapes this engine runs set-at-a-time, and a graph of the rest for pySHACL."""
    compiled, fallback_shapes = [], set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        constraints = list(shapes.objects(shape, SH.sparql))
        simple = (
            constraints
            and shapes.value(shape, SH.targetClass) is not None
            and {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))}
            <= {SH.targetClass, SH.severity, SH.sparql}
            and all(shapes.value(c, SH.select) is not None for c in constraints)
        )
        if simple:
            compiled += [CompiledConstraint(shapes, shape, c) for c in constraints]
        else:
            fallback_shapes.add(shape)
    rest = Graph()
    for triple in shapes:
        rest.add(triple)
    for shape in {s for s in shapes.subjects(RDF.type, SH.NodeShape)} - fallback_shapes:
        rest.remove((shape, None, None))
    return sorted(compiled, key=lambda c: (str(c.shape), str(c.constraint))), rest


@lru_cache(maxsize=4)
def _split_cached(shapes_id: int, shapes: Graph) -> tuple[list[CompiledConstraint], Graph]:
    return split_shapes(shapes)


def _quads(triples: Iterable[tuple[Node, Node, Node]]) -> list[Quad]:
    return [Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o)) for s, p, o in triples]


@lru_cache(maxsize=64)
def _graph_quads(graph: Graph) -> tuple[Quad, ...]:
    return tuple(_quads(graph))


def load_store(graphs: Iterable[Graph], triples: Iterable[tuple[Node, Node, Node]] = ()) -> Store:
    """One Oxigraph store of the given (cached) rdflib graphs and extra triples."""
    store = Store()
    for graph in graphs:
        store.extend(_graph_quads(graph))
    store.extend(_quads(triples))
    return store


def validate_fast(
    rules: Iterable[Graph], cases: Iterable[tuple[Node, Node, Node]], shapes: Graph, ontology: Graph
) -> Graph:
    """A SHACL validation report for all cases at once, results as pySHACL reports them.

    ``rules`` are the graphs the shapes read beside the cases (model and derived facts);
    ``cases`` the triples of the cases; ``ontology`` what the pySHACL fallback needs.
    """
    cases = list(cases)
    compiled, rest = _split_cached(id(shapes), shapes)
    store = load_store(rules, cases)
    report = Graph()
    report.bind("sh", SH)
    report.bind("pw", PW)
    for constraint in compiled:
        for row in constraint.results(store):
            focus = row.pop("this")
            row.pop("currentShape", None)
            value = row.pop("value", None)
            result = BNode()
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, focus))
            report.add((result, SH.resultSeverity, constraint.severity))
            report.add((result, SH.sourceShape, constraint.shape))
            report.add((result, SH.sourceConstraint, constraint.constraint))
            report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            if value is not None:
                report.add((result, SH.value, value))
            fill = {"this": focus, **({"value": value} if value is not None else {}), **row}
            for message in constraint.message(fill):
                report.add((result, SH.resultMessage, RdfLiteral(message)))
    if any(rest.subjects(RDF.type, SH.NodeShape)):
        data = Graph()
        for graph in (ontology, cases):
            for triple in graph:
                data.add(triple)
        _, fallback, _ = validate(
            data, shacl_graph=rest, inference="none", advanced=True, allow_warnings=True, inplace=True
        )
        for triple in fallback:
            if triple[1] != SH.conforms and (triple[0], RDF.type, SH.ValidationReport) not in fallback:
                report.add(triple)
    return report
