"""The data a comparison of two authorities is made of, and the words its rows share.

A :class:`Comparison` holds general rows (levels of need) and one :class:`PathwayPair` per
pair of corresponding pathways; each pair holds :class:`Row` objects, one per aspect, and
each row holds a :class:`Side` per authority (its words and the paragraphs they come from).
These are plain values: they are built by :mod:`pathways.compare.comparison` and its aspect
modules, and written out by :mod:`pathways.render.comparison` and the explorer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pathways.compare.alignments import Alignment
from pathways.model.citations import format_sections
from pathways.model.policy import Authority, Pathway

__all__ = [
    "ABSENT",
    "ALL_KINDS",
    "ASPECT_ORDER",
    "NOT_ALIGNED",
    "NO_COUNTERPART",
    "Comparison",
    "PathwayPair",
    "Row",
    "Side",
]

#: The match of a row whose term is stated, in the alignment, to have nothing corresponding.
NO_COUNTERPART = "no counterpart"
#: The match of a row whose term the alignment says nothing about.
NOT_ALIGNED = "not aligned"
#: The kind of a row that is not about one pathway kind (the levels of need).
ALL_KINDS = "all"
#: What a side shows when its authority states nothing on the row.
ABSENT = "(not stated)"

#: The aspects of a row, in the order a pathway pair presents them.
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


@dataclass(frozen=True)
class Side:
    """What one authority states on a row: its words (empty when it states nothing) and where.

    Attributes
    ----------
    text : str
        The words shown for this authority; empty when it states nothing on the row.
    sections : tuple of str
        Section numbers of the policy paragraphs the words come from (or, for an empty
        side, the paragraphs that were read and state nothing).
    pathway : str
        The id of the pathway the term belongs to, when it is not the pair's own pathway.
    """

    text: str = ""
    sections: tuple[str, ...] = ()
    pathway: str = ""

    @property
    def citation(self) -> str:
        """The sections written as a citation, e.g. '§3.1, 3.2, Appendix 3'."""
        return format_sections(self.sections)

    @property
    def stated(self) -> bool:
        """Whether this authority states anything on the row."""
        return bool(self.text)

    def display(self) -> str:
        """The words, or :data:`ABSENT` when there are none."""
        return self.text or ABSENT

    def as_dict(self) -> dict:
        """The side as JSON-ready values."""
        return {"text": self.text, "sections": list(self.sections), "citation": self.citation, "pathway": self.pathway}


@dataclass(frozen=True)
class Row:
    """One aspect compared: authority A's side, authority B's side, how they match and why.

    Attributes
    ----------
    kind : str
        The pathway kind the row belongs to, or :data:`ALL_KINDS`.
    aspect : str
        What the row compares (one of :data:`ASPECT_ORDER`, or "levels of need" / "level").
    a, b : Side
        What authority A and authority B state.
    match : str
        The stated match (exact, close, partial, possibly with a SKOS mapping),
        :data:`NO_COUNTERPART`, :data:`NOT_ALIGNED`, or empty for rows that are not matches.
    note : str
        The alignment's rationale, or a note saying what the row shows.
    """

    kind: str
    aspect: str
    a: Side
    b: Side
    match: str
    note: str = ""


@dataclass
class PathwayPair:
    """A pathway of A and the pathway of B it corresponds to (either may be missing), with its rows.

    Attributes
    ----------
    kind : str
        The pathway kind.
    a, b : Pathway or None
        The two pathways; ``None`` on the side with no corresponding pathway.
    match, rationale : str
        How closely the pathways correspond and why (from the alignment).
    rows : list of Row
        The rows of the pair, in :data:`ASPECT_ORDER`.
    metrics : dict
        Summary metrics, name to (A's value, B's value).
    node_pairs : list of tuple
        (node of A, node of B, match) for every stated correspondence of two flow nodes.
    """

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
    """Two authorities compared: the alignments used, the general rows and the pathway pairs.

    Attributes
    ----------
    a, b : Authority
        The two authorities, in the order they were given.
    alignments : list of Alignment
        The alignments relating them.
    general : list of Row
        Rows not about one pathway kind (levels of need).
    pairs : list of PathwayPair
        One entry per pair of corresponding pathways, or per pathway with none.
    """

    a: Authority
    b: Authority
    alignments: list[Alignment]
    general: list[Row]
    pairs: list[PathwayPair]

    def rows(self) -> list[Row]:
        """Every row: the general rows, then each pair's rows."""
        return self.general + [row for pair in self.pairs for row in pair.rows]
