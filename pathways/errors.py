"""One exception hierarchy: every problem the user can act on, with where it is.

The command line and the explorer turn any :class:`PathwaysError` into one line naming
the file and the row, column or triple at fault, and exit code 2; anything else is a bug.

- :class:`InputError`: case records (or other input files) that cannot be used;
  :class:`RowError` when the problem is in one row or event, and rejects that case only.
- :class:`ModelError`: the policy model itself (``ontology/``, ``shapes/``) is malformed.
- :class:`UsageError` (an input error): a command asked for something that does not
  exist (an unknown authority, pathway, case id, engine or format).

>>> error = RowError("cases.csv, row 7: role 'Nurse' is not a role of knowsley",
...                  source="cases.csv", row=7, case_id="KN-1")
>>> isinstance(error, InputError), error.row, str(error)
(True, 7, "cases.csv, row 7: role 'Nurse' is not a role of knowsley")
"""

from __future__ import annotations

__all__ = ["InputError", "ModelError", "PathwaysError", "RowError", "UsageError"]


class PathwaysError(Exception):
    """A problem the user can act on; the message is one line saying where and what."""

    exit_code = 2


class InputError(PathwaysError):
    """Unusable input: the message names the file and the row, column or triple at fault."""


class RowError(InputError):
    """One row (or event) of an input file cannot be used: its case is rejected, the rest
    of the file is read. ``source``, ``row`` and ``case_id`` say where."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        row: int | None = None,
        case_id: str = "",
        unknown: tuple[str, str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.row = row
        self.case_id = case_id
        # (kind, name, where) when the row names an activity or role the model (and any
        # activity map) does not know: reported once per name, with how many cases
        self.unknown = unknown


class ModelError(PathwaysError):
    """The policy model itself (ontology/ or shapes/) is malformed."""


class UsageError(InputError):
    """A command asked for something that does not exist (an authority, pathway, case id,
    engine or format): input the user typed rather than a file they gave."""
