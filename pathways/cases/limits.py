"""How much input is read, and how: a file larger than :data:`MAX_FILE_BYTES` is refused
before it is read; a CSV file larger than :data:`BATCH_BYTES` is read and audited in
batches of whole cases (:mod:`~pathways.cases.batches`), so memory holds one batch at a
time, not the file.
"""

__all__ = ["BATCH_BYTES", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 8 * 1024**3
"""The safety cap: 8 GiB, about 4.5 million synthetic cases (``pathways validate
--max-file-mb`` sets another)."""

BATCH_BYTES = 128 * 1024**2
"""A CSV file larger than this (about 75,000 synthetic cases) is read in batches of about
this many bytes (``pathways validate --batch-mb``)."""
