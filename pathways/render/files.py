"""Writing output files: whole or not at all, with the user's umask.

An audit report or an export is written to a temporary file beside its destination and
renamed over it, so a reader (or a spreadsheet watching the file) never sees half of it,
and an interrupted write leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that a reader never sees half of it: temp file, then rename."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); an output file gets the user's umask, as
        # any file the user writes
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
