"""A set-at-a-time evaluator for the policy shapes, checked against pySHACL.

pySHACL runs each SPARQL constraint once per focus node (a query per event per shape),
which costs seconds a case with rdflib. The policy shapes are SPARQL constraints whose
only pre-bound variables are ``$this`` and ``$currentShape``, so each can be run once
over all cases together: ``$currentShape`` is bound with VALUES to the IRIs of the shapes
sharing the constraint, ``$this`` becomes a variable constrained to their target class,
and the query runs in Oxigraph over one store holding a chunk of cases and the rules they
need. Each solution becomes one validation result of the shape it names, with the
message filled in exactly as pySHACL fills it in.

Shapes this evaluator does not understand (any core constraint, any other target) are
left to pySHACL, on a graph of the cases alone. ``tests/test_engine.py`` compares the
two engines finding by finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from pathways.audit.findings import CaseResult, findings_from_results
from pathways.audit.results import ValidationResult, results_from_report
from pathways.audit.rules import ontology_for, rules_graph, shapes_graph
from pathways.cases.rdf import STRUCTURAL_SHAPES, case_iri, case_ntriples, case_of_event, well_formed_as_written
from pathways.cases.records import CaseRecord
from pathways.model.shacl import shacl_report
from pathways.model.vocabulary import RDF, SH

__all__ = ["audit_records", "load_store", "prepare", "remaining_results", "split_shapes", "validate_fast", "warm"]

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
    """One SPARQL constraint as a single query over all focus nodes of every shape using it.

    The policy rules are each shared by three shapes (one per severity) that differ only in
    the IRI bound to ``$currentShape``; binding it to all of them with VALUES runs the rule
    once, and each solution's ``?currentShape`` says which shape (and severity) it belongs to.
    """

    def __init__(self, shapes: Graph, members: list[URIRef], constraint: Node) -> None:
        self.shapes = sorted(members)
        self.constraint = constraint
        self.severity = {shape: shapes.value(shape, SH.severity) or SH.Violation for shape in self.shapes}
        self.target = shapes.value(self.shapes[0], SH.targetClass)
        self.messages = sorted(str(m) for m in shapes.objects(constraint, SH.message))
        text = str(shapes.value(constraint, SH.select))
        text = _CURRENT_SHAPE.sub("?currentShape", text)
        text = _THIS.sub("?this", text)
        values = " ".join(f"<{shape}>" for shape in self.shapes)
        bind = f"\n VALUES ?currentShape {{ {values} }}\n ?this a <{self.target}> ."
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


def _projects_current_shape(select: str) -> bool:
    head = _WHERE.split(select, maxsplit=1)[0]
    return bool(_CURRENT_SHAPE.search(head)) or bool(re.search(r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", head, re.I))


def split_shapes(shapes: Graph) -> tuple[list[CompiledConstraint], Graph]:
    """The shapes this engine runs set-at-a-time, and a graph of the rest for pySHACL.

    Shapes sharing a constraint and a target class are run together when the constraint's
    query returns ``$currentShape`` (so each solution can be given back to its shape).
    """
    groups: dict[tuple, list[URIRef]] = {}
    fallback_shapes = set()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        constraints = list(shapes.objects(shape, SH.sparql))
        simple = (
            constraints
            and shapes.value(shape, SH.targetClass) is not None
            and {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))}
            <= {SH.targetClass, SH.severity, SH.sparql}
            and all(shapes.value(c, SH.select) is not None for c in constraints)
        )
        if not simple:
            fallback_shapes.add(shape)
            continue
        for constraint in constraints:
            shared = _projects_current_shape(str(shapes.value(constraint, SH.select)))
            key = (constraint, shapes.value(shape, SH.targetClass), None if shared else shape)
            groups.setdefault(key, []).append(shape)
    compiled = [CompiledConstraint(shapes, members, key[0]) for key, members in groups.items()]
    rest = Graph()
    for triple in shapes:
        rest.add(triple)
    for shape in {s for s in shapes.subjects(RDF.type, SH.NodeShape)} - fallback_shapes:
        rest.remove((shape, None, None))
    return sorted(compiled, key=lambda c: (str(c.constraint), [str(s) for s in c.shapes])), rest


@lru_cache(maxsize=4)
def _split_cached(shapes_id: int, shapes: Graph) -> tuple[list[CompiledConstraint], Graph]:
    return split_shapes(shapes)


def _quads(triples: Iterable[tuple[Node, Node, Node]]) -> list[Quad]:
    return [Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o)) for s, p, o in triples]


@lru_cache(maxsize=64)
def _graph_quads(graph: Graph) -> tuple[Quad, ...]:
    return tuple(_quads(graph))


def load_store(graphs: Iterable[Graph], ntriples: str = "") -> Store:
    """One Oxigraph store of the given (cached) rdflib graphs and N-Triples text.

    The N-Triples come from :func:`pathways.cases.rdf.case_ntriples`, whose IRIs are built
    from the model's IRIs and percent-encoded case ids, so the parser's IRI checks are
    skipped (``lenient``): that halves the load time of a large batch.
    """
    store = Store()
    for graph in graphs:
        store.extend(_graph_quads(graph))
    if ntriples:
        store.load(ntriples, format=RdfFormat.N_TRIPLES, lenient=True)
    return store


def warm(rules: Iterable[Graph], shapes: Graph) -> None:
    """Compile the shapes and convert the rules graphs now (both are cached)."""
    _split_cached(id(shapes), shapes)
    for graph in rules:
        _graph_quads(graph)


def validate_fast(
    rules: Iterable[Graph],
    cases: str,
    shapes: Graph,
    ontology: Callable[[], Graph],
    assured: Collection[URIRef] = frozenset(),
) -> list[ValidationResult]:
    """The SHACL validation results for all cases at once, as pySHACL reports them.

    ``rules`` are the graphs the shapes read beside the cases (model and derived facts);
    ``cases`` the cases as N-Triples; ``ontology`` gives what the pySHACL fallback needs
    (only called when some shape is left to pySHACL). ``assured`` names shapes the caller
    has shown cannot report anything on these cases (see
    :func:`pathways.cases.rdf.well_formed_as_written`); they are not evaluated.
    """
    compiled, rest = _split_cached(id(shapes), shapes)
    compiled = [c for c in compiled if not all(shape in assured for shape in c.shapes)]
    fallback = any(shape not in assured for shape in rest.subjects(RDF.type, SH.NodeShape))
    results: list[ValidationResult] = []
    if not compiled and not fallback:
        return results
    store = load_store(rules, cases) if compiled else None
    for constraint in compiled:
        for row in constraint.results(store):
            focus = row.pop("this")
            shape = row.pop("currentShape", None) or constraint.shapes[0]
            value = row.pop("value", None)
            fill = {"this": focus, **({"value": value} if value is not None else {}), **row}
            results.append(
                ValidationResult(
                    focus=focus,
                    severity=constraint.severity[shape],
                    shape=shape,
                    constraint=constraint.constraint,
                    component=SH.SPARQLConstraintComponent,
                    value=value,
                    messages=tuple(sorted(constraint.message(fill))),
                )
            )
    if fallback:
        data = Graph()
        for triple in ontology():
            data.add(triple)
        data.parse(data=cases, format="nt")
        results += results_from_report(shacl_report(data, rest, inplace=True))
    return results


def remaining_results(records: list[CaseRecord], assured: Collection[URIRef]) -> dict[int, list[ValidationResult]]:
    """The validation results of every shape not in ``assured`` on ``records``, by the
    record's index (for an engine that evaluates the ``assured`` shapes itself). Nothing
    is loaded when no shape remains."""
    shapes = shapes_graph()
    compiled, rest = _split_cached(id(shapes), shapes)
    remaining = {s for c in compiled for s in c.shapes} | set(rest.subjects(RDF.type, SH.NodeShape))
    if remaining <= set(assured):
        return {}
    keys = sorted({(r.authority, r.pathway) for r in records})
    rules = [rules_graph(*key) for key in keys]
    validation = validate_fast(rules, case_ntriples(records), shapes, lambda: ontology_for(tuple(keys)), assured)
    index = {str(case_iri(r.case_id)): i for i, r in enumerate(records)}
    by_record: dict[int, list[ValidationResult]] = {}
    for result in validation:
        by_record.setdefault(index[str(case_of_event(result.focus))], []).append(result)
    return by_record


def audit_records(records: list[CaseRecord]) -> list[CaseResult]:
    """Validate many cases in one pass of the set-at-a-time engine."""
    keys = sorted({(r.authority, r.pathway) for r in records})
    rules = [rules_graph(*key) for key in keys]
    assured = STRUCTURAL_SHAPES if well_formed_as_written(records, rules) else frozenset()
    validation = validate_fast(
        rules, case_ntriples(records), shapes_graph(), lambda: ontology_for(tuple(keys)), assured
    )
    by_case: dict[str, list[ValidationResult]] = {}
    for result in validation:
        by_case.setdefault(str(case_of_event(result.focus)), []).append(result)
    results = []
    for record in records:
        own = by_case.get(str(case_iri(record.case_id)), [])
        results.append(CaseResult(record, findings_from_results(own, record) if own else [], own))
    return results


def prepare(records: list[CaseRecord]) -> None:
    """Load what every chunk of ``records`` needs once (before workers are forked, so they
    inherit it): the compiled shapes and each pathway's rules graph as Oxigraph quads."""
    for key in sorted({(r.authority, r.pathway) for r in records}):
        warm([rules_graph(*key)], shapes_graph())
