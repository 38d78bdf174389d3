"""Writing a comparison of two authorities out: flat rows, JSON, Markdown, HTML, terminal tables.

The comparison itself is :func:`pathways.compare.compare_authorities`; this module only lays
out its rows. Every format shows both authorities' words and citations on each row, with
'(not stated)' where one policy says nothing. Used by ``pathways compare`` and the explorer.
"""

from __future__ import annotations

import html

from pathways.compare import NO_COUNTERPART, NOT_ALIGNED, Comparison, PathwayPair, Row
from pathways.render.tables import print_rows
from pathways.render.tables import to_markdown as markdown_table

__all__ = [
    "as_json",
    "blocks",
    "columns",
    "flat_rows",
    "pair_title",
    "print_table",
    "row_dict",
    "to_html",
    "to_markdown",
]


def columns(comparison: Comparison) -> list[str]:
    """The columns of a flat row: kind, aspect, each authority's words and citation, match, note.

    Parameters
    ----------
    comparison : Comparison
        The comparison (its authorities' ids name the columns).

    Returns
    -------
    list of str
    """
    a, b = comparison.a.id, comparison.b.id
    return ["kind", "aspect", a, f"{a} \u00a7", b, f"{b} \u00a7", "match", "note"]


def row_dict(comparison: Comparison, row: Row) -> dict[str, str]:
    """One row as a flat dict with the :func:`columns` as keys.

    Parameters
    ----------
    comparison : Comparison
        The comparison the row belongs to.
    row : Row
        The row.

    Returns
    -------
    dict
    """
    a, b = comparison.a.id, comparison.b.id
    return {
        "kind": row.kind,
        "aspect": row.aspect,
        a: row.a.display(),
        f"{a} \u00a7": row.a.citation,
        b: row.b.display(),
        f"{b} \u00a7": row.b.citation,
        "match": row.match,
        "note": row.note,
    }


def flat_rows(comparison: Comparison) -> list[dict[str, str]]:
    """Every row of the comparison as a flat dict (for CSV).

    Parameters
    ----------
    comparison : Comparison
        The comparison.

    Returns
    -------
    list of dict
        See :func:`row_dict`.
    """
    return [row_dict(comparison, row) for row in comparison.rows()]


def _row_json(comparison: Comparison, row: Row) -> dict:
    a, b = comparison.a.id, comparison.b.id
    return {
        "kind": row.kind,
        "aspect": row.aspect,
        a: row.a.as_dict(),
        b: row.b.as_dict(),
        "match": row.match,
        "note": row.note,
    }


def _pair_json(comparison: Comparison, pair: PathwayPair) -> dict:
    a, b = comparison.a.id, comparison.b.id
    return {
        "kind": pair.kind,
        a: pair.a.id if pair.a else None,
        b: pair.b.id if pair.b else None,
        "match": pair.match,
        "rationale": pair.rationale,
        "metrics": {name: {a: va, b: vb} for name, (va, vb) in pair.metrics.items()},
        "rows": [_row_json(comparison, r) for r in pair.rows],
    }


def as_json(comparison: Comparison) -> dict:
    """The comparison as JSON-ready values: authorities, alignments, general rows, pairs.

    Parameters
    ----------
    comparison : Comparison
        The comparison.

    Returns
    -------
    dict
        Each side of a row keeps its sections and citation (see :meth:`Side.as_dict`).
    """
    return {
        "authorities": [{"id": x.id, "name": x.name, "document": x.document} for x in (comparison.a, comparison.b)],
        "alignments": [str(al.iri) for al in comparison.alignments],
        "general": [_row_json(comparison, r) for r in comparison.general],
        "pairs": [_pair_json(comparison, pair) for pair in comparison.pairs],
    }


def pair_title(comparison: Comparison, pair: PathwayPair) -> str:
    """The heading of a pathway pair: its kind, both flowchart titles and the match.

    Parameters
    ----------
    comparison : Comparison
        The comparison (names a missing side's authority).
    pair : PathwayPair
        The pair.

    Returns
    -------
    str
    """
    left = pair.a.flowchart_title if pair.a else f"(no {comparison.a.name} pathway)"
    right = pair.b.flowchart_title if pair.b else f"(no {comparison.b.name} pathway)"
    return f"{pair.kind}: {left} \u2194 {right} ({pair.match})"


def blocks(comparison: Comparison) -> list[tuple[str, list[Row]]]:
    """The rows grouped for display: general first, then each pathway pair.

    Parameters
    ----------
    comparison : Comparison
        The comparison.

    Returns
    -------
    list of tuple
        (title, rows) per block.
    """
    found = []
    if comparison.general:
        found.append((f"{comparison.a.name} and {comparison.b.name}: levels of need", comparison.general))
    found += [(pair_title(comparison, pair), pair.rows) for pair in comparison.pairs]
    return found


def to_markdown(comparison: Comparison) -> str:
    """The comparison as a Markdown document: one table per block.

    Parameters
    ----------
    comparison : Comparison
        The comparison.

    Returns
    -------
    str
    """
    cols = [c for c in columns(comparison) if c != "kind"]
    parts = [f"# {comparison.a.name} and {comparison.b.name} compared\n"]
    parts.append(
        f"{comparison.a.name}: *{comparison.a.document}*. {comparison.b.name}: *{comparison.b.document}*. "
        "Every row cites both policies; '(not stated)' marks what one policy does not say.\n"
    )
    for title, rows in blocks(comparison):
        parts.append(f"## {title}\n")
        parts.append(markdown_table([row_dict(comparison, r) for r in rows], cols))
    return "\n".join(parts)


#: The CSS class of a match badge, by the match's first word.
_MATCH_CLASS = {"exact": "exact", "close": "close", "partial": "partial", NO_COUNTERPART: "none", NOT_ALIGNED: "none"}

_STYLE = (
    "<style>",
    "body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:2rem;color:#222}",
    "table{border-collapse:collapse;width:100%;margin:0 0 2rem 0;font-size:.88rem}",
    "th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}",
    "th{background:#f0f0f0}td.cite{white-space:nowrap;color:#555}",
    "td.absent{color:#999;font-style:italic}",
    ".m{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.8rem}",
    ".exact{background:#cdebd3}.close{background:#dcebf9}.partial{background:#fdf0c8}.none{background:#f6d5d5}",
    "</style></head><body>",
)


def _html_metrics(comparison: Comparison, pair: PathwayPair) -> list[str]:
    """The metrics table of a pair (none when it has no metrics)."""
    if not pair.metrics:
        return []
    esc = html.escape
    a, b = comparison.a, comparison.b
    out = [
        f"<h2>{esc(pair_title(comparison, pair))}</h2>",
        f"<table><tr><th>metric</th><th>{esc(a.name)}</th><th>{esc(b.name)}</th></tr>",
    ]
    out += [
        f"<tr><td>{esc(name)}</td><td>{esc(str(va))}</td><td>{esc(str(vb))}</td></tr>"
        for name, (va, vb) in pair.metrics.items()
    ]
    out.append("</table>")
    return out


def _html_badge(match: str) -> str:
    """A row's match as a coloured badge (nothing when the row is not a match)."""
    esc = html.escape
    if match.startswith(NO_COUNTERPART) or match.startswith(NOT_ALIGNED):
        return f'<span class="m none">{esc(match)}</span>'
    if match:
        return f'<span class="m {_MATCH_CLASS.get(match.split(" ")[0], "")}">{esc(match)}</span>'
    return ""


def _html_row(row: Row) -> str:
    esc = html.escape
    cells = []
    for side in (row.a, row.b):
        css = "" if side.stated else ' class="absent"'
        cells.append(f'<td{css}>{esc(side.display())}</td><td class="cite">{esc(side.citation)}</td>')
    return (
        f"<tr><td>{esc(row.aspect)}</td>{''.join(cells)}<td>{_html_badge(row.match)}</td><td>{esc(row.note)}</td></tr>"
    )


def to_html(comparison: Comparison) -> str:
    """A standalone HTML page: one table per pathway pair, metrics first, each row citing both policies.

    Parameters
    ----------
    comparison : Comparison
        The comparison.

    Returns
    -------
    str
    """
    esc = html.escape
    a, b = comparison.a, comparison.b
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(a.name)} and {esc(b.name)} compared</title>",
        *_STYLE,
        f"<h1>{esc(a.name)} and {esc(b.name)} compared</h1>",
        f"<p>{esc(a.name)}: <em>{esc(a.document)}</em>. {esc(b.name)}: <em>{esc(b.document)}</em>. "
        "Read from the policy model and its stated alignment; every row cites both policies.</p>",
    ]
    for pair in comparison.pairs:
        out += _html_metrics(comparison, pair)
    for title, rows in blocks(comparison):
        out.append(f"<h2>{esc(title)}</h2>")
        out.append(
            f"<table><tr><th>aspect</th><th>{esc(a.name)}</th><th>\u00a7</th><th>{esc(b.name)}</th><th>\u00a7</th>"
            "<th>match</th><th>note</th></tr>"
        )
        out += [_html_row(r) for r in rows]
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def print_table(comparison: Comparison) -> None:
    """Print the comparison as terminal tables: metrics, then rows, per pathway pair.

    Parameters
    ----------
    comparison : Comparison
        The comparison.
    """
    cols = [c for c in columns(comparison) if c != "kind"]
    a, b = comparison.a.id, comparison.b.id
    for pair in comparison.pairs:
        if pair.metrics:
            print_rows(
                [{"metric": n, a: va, b: vb} for n, (va, vb) in pair.metrics.items()],
                ["metric", a, b],
                "table",
                title=f"Summary: {pair_title(comparison, pair)}",
            )
    for title, rows in blocks(comparison):
        print_rows([row_dict(comparison, r) for r in rows], cols, "table", title=title)
