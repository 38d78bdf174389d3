"""The shapes as any SHACL-SPARQL engine reads them (W3C SHACL §5.2, §5.3.1).

The rules are written once per obligation template and shared by three node shapes, one
per severity (must → sh:Violation, should → sh:Warning, best practice → sh:Info); each
query reads its severity, and structural limits, from ``$currentShape``. SHACL pre-binds
``$currentShape`` to the shape being validated, and pySHACL does; other engines (Apache
Jena, shacl-engine) leave it unbound, so every finding came out under all three shapes.
The portable shapes are generated from the written ones: each shape gets its own copy of
the constraint with ``$currentShape`` written in as the shape's IRI (dropped from the
projection and the grouping, where a constant cannot stand). What the rules say is
unchanged; ``pathways export --format shapes`` writes these.

>>> from pathways.audit.rules import shapes_graph
>>> portable = portable_shapes(shapes_graph())
>>> any("$currentShape" in str(q) for q in portable.objects(None, SH.select))
False
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, URIRef

from pathways.model.vocabulary import SH

__all__ = ["portable_shapes"]

_PROJECTION = re.compile(r"^(\s*SELECT\s+(?:DISTINCT\s+)?)(.*?)(\s+WHERE\s*\{)", re.IGNORECASE | re.DOTALL)
_GROUP_BY = re.compile(r"(GROUP\s+BY\s+)([^\n{}]*)", re.IGNORECASE)


def _without_current_shape(clause: str) -> str:
    return re.sub(r"\s*\$currentShape\b", "", clause)


def written_for(select: str, shape: URIRef) -> str:
    """A query with ``$currentShape`` written in as ``shape``.

    >>> written_for("SELECT $this $currentShape ?v WHERE { $currentShape <p> ?v } GROUP BY $this $currentShape ?v",
    ...             URIRef("urn:s"))
    'SELECT $this ?v WHERE { <urn:s> <p> ?v } GROUP BY $this ?v'
    """
    match = _PROJECTION.search(select)
    if match:
        select = select[: match.start(2)] + _without_current_shape(match.group(2)) + select[match.end(2) :]
    select = _GROUP_BY.sub(lambda m: m.group(1) + _without_current_shape(m.group(2)).lstrip(), select)
    return select.replace("$currentShape", f"<{shape}>")


def portable_shapes(shapes: Graph) -> Graph:
    """The shapes with one constraint per shape wherever a constraint reads ``$currentShape``."""
    out = Graph()
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace, override=False)
    shared = {c for c in shapes.objects(None, SH.sparql) if "$currentShape" in str(shapes.value(c, SH.select) or "")}
    for triple in shapes:
        subject, predicate, value = triple
        if subject in shared:
            continue
        if predicate == SH.sparql and value in shared:
            own = str(subject).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            copy = BNode() if isinstance(value, BNode) else URIRef(f"{value}--{own}")
            out.add((subject, SH.sparql, copy))
            for p, o in shapes.predicate_objects(value):
                out.add((copy, p, type(o)(written_for(str(o), subject), datatype=o.datatype) if p == SH.select else o))
            continue
        out.add(triple)
    return out
