"""The policy model: the Turtle loaded offline, read into typed records and pathway graphs.

What lives here, in the order of the data flow:

- :mod:`~pathways.model.resources` and :mod:`~pathways.model.loading`: where the Turtle is
  and how it is parsed (offline: ``owl:imports`` is refused);
- :mod:`~pathways.model.vocabulary`: the namespaces, ``pw:`` closed to the vocabulary's terms;
- :mod:`~pathways.model.terms` and :mod:`~pathways.model.citations`: literals, labels,
  citations and how a paragraph is written;
- :mod:`~pathways.model.policy`: authorities, pathways, timescales and requirements as
  typed, frozen records;
- :mod:`~pathways.model.graph`: one NetworkX graph per pathway, derived from the RDF, and
  the questions asked of it (routes, hand-offs, time bounds);
- :mod:`~pathways.model.summary`: a pathway as a policy author reads it.

Imports nothing else of ``pathways`` but :mod:`pathways.errors`: every other stage reads
the policy through this one.
"""

from pathways.model.citations import Citation, citation, format_section, format_sections
from pathways.model.graph import (
    all_pathway_graphs,
    display_order,
    end_states,
    format_working_days,
    handoffs,
    pathway_graph,
    roles_of,
    route_bounds,
    routes,
    trigger,
)
from pathways.model.loading import load_graph, load_model
from pathways.model.policy import (
    Authority,
    Pathway,
    Requirement,
    Timescale,
    authorities,
    authority,
    pathway,
    pathways,
    requirements,
    timescales,
)
from pathways.model.summary import pathway_summary

__all__ = [
    "Authority",
    "Citation",
    "Pathway",
    "Requirement",
    "Timescale",
    "all_pathway_graphs",
    "authorities",
    "authority",
    "citation",
    "display_order",
    "end_states",
    "format_section",
    "format_sections",
    "format_working_days",
    "handoffs",
    "load_graph",
    "load_model",
    "pathway",
    "pathway_graph",
    "pathway_summary",
    "pathways",
    "requirements",
    "roles_of",
    "route_bounds",
    "routes",
    "timescales",
    "trigger",
]
