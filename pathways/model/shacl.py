"""Running pySHACL, the reference SHACL engine, the one way the project runs it.

No RDFS/OWL inference (the shapes read the model as stated), SHACL Advanced Features and
SHACL-SPARQL on (W3C SHACL §5: the rules are SPARQL-based constraints), every result
reported (no abort on the first), warnings allowed. rdflib's SPARQL processor is swapped
for one that parses each query once (:mod:`pathways.model.sparql_cache`), which changes
speed, not results.
"""

from __future__ import annotations

from rdflib import Graph

from pathways.model import sparql_cache

__all__ = ["shacl_report"]


def shacl_report(data: Graph, shapes: Graph, inplace: bool = False) -> Graph:
    """The SHACL validation report graph of ``data`` against ``shapes``.

    ``inplace`` lets pySHACL validate ``data`` itself instead of a copy (for a data graph
    made for this one validation).
    """
    from pyshacl import validate

    sparql_cache.install()
    _, report, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=inplace,
        abort_on_first=False,
    )
    return report
