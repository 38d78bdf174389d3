"""Writing rows of facts as a terminal table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json", "md")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


# A spreadsheet reads a cell that begins with one of these as a formula (OWASP, "CSV
# Injection"): a case id such as =HYPERLINK(...) from an uploaded file must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a quote.

    >>> print(safe_cell('=HYPERLINK("http://example.org")'))
    '=HYPERLINK("http://example.org")
    >>> safe_cell("CE-001"), safe_cell("-1")
    ('CE-001', "'-1")
    """
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def to_csv(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """Rows as CSV for people and spreadsheets: every cell neutralised with :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
    return buffer.getvalue()


def to_markdown(rows: Sequence[dict], columns: Sequence[str]) -> str:
    def escape(value: Any) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(escape(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_json(value: Any) -> str:
    return json.dumps(_jsonable(value), indent=2, ensure_ascii=False) + "\n"


def print_rows(rows: Sequence[dict], columns: Sequence[str], fmt: str, title: str = "") -> None:
    """Print rows in one of FORMATS (a terminal table wraps long cells)."""
    if fmt == "csv":
        print(to_csv(rows, columns), end="")
    elif fmt == "json":
        print(to_json([{c: row.get(c) for c in columns} for row in rows]), end="")
    elif fmt == "md":
        if title:
            print(f"### {title}\n")
        print(to_markdown(rows, columns))
    else:
        Console(width=max(Console().width, 160)).print(_table(rows, columns, title))


# Columns holding ids a user copies into the next command: never wrapped or folded
# (a folded "step-down-to-early-help" would read as two words); prose columns give way.
IDENTIFIER_COLUMNS = frozenset(
    {"authority", "pathway", "kind", "id", "case_id", "rule", "node", "from_step", "to_step"}
)


def _table(rows: Sequence[dict], columns: Sequence[str], title: str) -> Table:
    table = Table(title=title or None, show_lines=False)
    for column in columns:
        if column in IDENTIFIER_COLUMNS:
            widest = max((len(_cell(row.get(column))) for row in rows), default=0)
            table.add_column(column, no_wrap=True, min_width=max(widest, len(column)))
        else:
            table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    return table


def to_table_text(rows: Sequence[dict], columns: Sequence[str], title: str = "", width: int = 160) -> str:
    """The terminal table as plain text (no colour codes), for a file."""
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    console.print(_table(rows, columns, title))
    return console.file.getvalue()
