"""How long a pathway pair allows: the timescales of the two pathways' steps compared.

A timescale row shows each side's bound, its kind and its modality (must, should). A timescale
correspondence counts for the pair when it names a timescale or a step of either pathway (a
correspondence may relate one side's timescale to the other side's step).
"""

from __future__ import annotations

from pathways.compare.context import PairSides
from pathways.compare.matching import stated_rows, two_sided, unmatched_rows
from pathways.compare.records import Row

__all__ = ["timescale_rows"]


def timescale_rows(pair: PairSides) -> list[Row]:
    """Rows for the timescales of either pathway's steps.

    Parameters
    ----------
    pair : PairSides
        The pathway pair.

    Returns
    -------
    list of Row
        Aspect "timescale".
    """
    here_a = set(pair.a.timescales) | set(pair.a.nodes)
    here_b = set(pair.b.timescales) | set(pair.b.nodes)
    found = two_sided(pair.context, "timescale", here_a, here_b)
    return stated_rows(pair, "timescale", found) + unmatched_rows(
        pair, "timescale", "timescale", "No corresponding timescale stated.", (pair.a.timescales, pair.b.timescales)
    )
