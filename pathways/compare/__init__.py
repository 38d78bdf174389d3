"""Two authorities side by side: their pathways, steps, roles, documents, requirements,
timescales, escalation and monitoring, from the alignment files in ``ontology/alignments/``.

Nothing is matched by string similarity: every correspondence is stated, with its
rationale and both citations, and anything not aligned is listed as such. May import
:mod:`pathways.model` and :mod:`pathways.errors`; never the cases, the audit, the
renderers (writing a comparison out is :mod:`pathways.render.comparison`), the CLI,
``viz`` or the explorer.

Modules:

* :mod:`~pathways.compare.alignments`: reading the alignment files (what corresponds);
* :mod:`~pathways.compare.records`: the comparison's data (sides, rows, pairs) and constants;
* :mod:`~pathways.compare.comparison`: :func:`compare_authorities` and the other entry points;
* :mod:`~pathways.compare.context`: what every aspect reads (correspondences, both pathways);
* :mod:`~pathways.compare.describe`: the words a row shows for a term;
* :mod:`~pathways.compare.matching`: row builders the aspects share;
* the aspects: :mod:`~pathways.compare.pairs` (which pathways are paired),
  :mod:`~pathways.compare.steps`, :mod:`~pathways.compare.roles`,
  :mod:`~pathways.compare.documents`, :mod:`~pathways.compare.timescales`,
  :mod:`~pathways.compare.oversight` (escalation, monitoring, service hours),
  :mod:`~pathways.compare.metrics` and :mod:`~pathways.compare.levels` (levels of need).
"""

from pathways.compare.alignments import Alignment, Correspondence, alignments, correspondences
from pathways.compare.comparison import compare_authorities, find_rows, match_groups, pathway_kinds
from pathways.compare.records import (
    ABSENT,
    ALL_KINDS,
    ASPECT_ORDER,
    NO_COUNTERPART,
    NOT_ALIGNED,
    Comparison,
    PathwayPair,
    Row,
    Side,
)

__all__ = [
    "ABSENT",
    "ALL_KINDS",
    "ASPECT_ORDER",
    "NOT_ALIGNED",
    "NO_COUNTERPART",
    "Alignment",
    "Comparison",
    "Correspondence",
    "PathwayPair",
    "Row",
    "Side",
    "alignments",
    "compare_authorities",
    "correspondences",
    "find_rows",
    "match_groups",
    "pathway_kinds",
]
