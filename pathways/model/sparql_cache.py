"""Parse each SPARQL query once.

pySHACL hands rdflib the text of a SPARQL constraint for every focus node, and rdflib
parses query text afresh each time (about half a second for the timescale rule), which
dominated audit time. This processor, registered as rdflib's 'sparql' plugin, keeps the
translated algebra of each query text and evaluates it with the focus node's bindings:
the same evaluation rdflib's own prepared queries use, so results are unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor


@lru_cache(maxsize=512)
def _translated(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]):
    return translateQuery(parseQuery(text), base, dict(namespaces))


class CachingSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor with parsed queries kept by their text."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            return evalQuery(self.graph, _translated(strOrQuery, base, namespaces), initBindings or {}, base)
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


def install() -> None:
    """Make every rdflib Graph.query in this process use the caching processor.

    Called by the reference engine when it first validates (never at import): it changes
    rdflib's plugin registry for the whole process, with the same results, faster.
    """
    plugin.register("sparql", Processor, __name__, "CachingSPARQLProcessor")
