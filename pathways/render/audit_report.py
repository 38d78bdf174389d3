"""Audit reports an auditor can take away: a self-contained, printable HTML page.

Every finding carries its rule, the paragraph it rests on and the policy's words, so the
report can be checked against the published documents without this tool.
"""

from __future__ import annotations

import string
from datetime import datetime
from html import escape

from pathways import __version__
from pathways.audit import SEVERITIES, AuditResult, summary_rows
from pathways.model.policy import authorities
from pathways.render.palette import SEVERITY_TEXT_COLOURS

CONVENTIONS = (
    "Working days are Monday to Friday, excluding bank holidays in England (England and Wales "
    "bank holidays, one-off ones included). 'Within N working days of A' counts the working days "
    "after A's date up to and including the later date. Hours are counted on the clock (UK time). "
    "Where a policy says 'days' without saying working or calendar, the audit uses the reading more "
    "lenient to the practitioner and says so in the timescale's note. Severity follows the policy's "
    "wording: must -> Violation, should -> Warning, best practice / ideally / approximately -> Info."
)

_STYLE_TEMPLATE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
.Violation { color: $Violation; font-weight: bold; } .Warning { color: $Warning; font-weight: bold; }
.Info { color: $Info; font-weight: bold; }
.metrics { display: flex; gap: 2em; } .metric { font-size: 1.4em; } .metric small { display: block; font-size: 0.6em; }
.note { font-size: 0.85em; color: #555; }
@media print { body { margin: 0.5cm; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def _style() -> str:
    """The report's CSS, with the palette's text colour for each severity."""
    return string.Template(_STYLE_TEMPLATE).substitute(SEVERITY_TEXT_COLOURS)


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        css = f' class="{classes[i]}"' if classes else ""
        cells = "".join(f"<td>{escape(str(c))}</td>" for c in row)
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def html_report(result: AuditResult, title: str = "Step Up / Step Down audit", sources: list[str] | None = None) -> str:
    """The audit as one HTML page with no external resources."""
    counts = result.by_severity()
    conforming = sum(1 for r in result.results if r.conforms)
    audited = len(result.results)
    documents = "; ".join(f"{a.name}: {a.document}" for a in authorities())
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{_style()}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='note'>Generated {datetime.now():%d %b %Y %H:%M} by pathways {__version__}. "
        f"Policies: {escape(documents)}.</p>",
        "<div class='metrics'>",
        f"<div class='metric'>{result.cases_in}<small>cases in</small></div>",
        f"<div class='metric'>{audited}<small>audited</small></div>",
        f"<div class='metric'>{len(result.rejected)}<small>rejected</small></div>",
        f"<div class='metric'>{conforming}<small>without a violation</small></div>",
    ]
    parts += [f"<div class='metric {s}'>{counts.get(s, 0)}<small>{s.lower()}s</small></div>" for s in SEVERITIES]
    parts.append("</div>")
    if sources:
        parts.append(f"<p class='note'>Input: {escape(', '.join(sources))}</p>")
    parts.append("<h2>Findings by rule</h2>")
    summary = summary_rows(result)
    parts.append(
        _table(
            ["rule", "severity", "findings"],
            [[r["rule"], r["severity"], r["findings"]] for r in summary],
            [r["severity"] for r in summary],
        )
        if summary
        else "<p>No findings.</p>"
    )
    parts.append("<h2>Findings</h2>")
    findings = result.findings
    if findings:
        parts.append(
            _table(
                ["case", "severity", "rule", "finding", "policy", "policy's words", "event", "evidence"],
                [
                    [f.case_id, f.severity, f.rule, f.message, f.source, f.quote, f.focus_event, f.evidence]
                    for f in findings
                ],
                [f.severity for f in findings],
            )
        )
    else:
        parts.append("<p>No findings.</p>")
    if result.rejected:
        parts.append("<h2>Rejected input (not audited)</h2>")
        parts.append(_table(["case", "problem"], [[r.case_id, r.message] for r in result.rejected]))
    parts.append(f"<h2>Conventions</h2><p class='note'>{escape(CONVENTIONS)}</p>")
    parts.append("</body></html>\n")
    return "".join(parts)
