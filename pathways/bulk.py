"""Bulk work: pausing Python's cyclic garbage collector while millions of objects are made.

Reading 100,000 cases creates millions of small objects (rows, events, dates) and no
reference cycles. The cyclic collector, triggered by allocation counts, would walk the
ever-growing heap over and over: measured here, it was 40% of the time of reading a
100,000-case file. Pausing it for the duration is safe: anything cyclic is collected as
soon as it is resumed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (restored after, even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
