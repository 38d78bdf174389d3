"""Audit reports an auditor can take away: a self-contained, printable HTML page.

Every finding carries its rule, the paragraph it rests on and the policy's words (once),
so the report can be checked against the published documents without this tool. The page
has contents, a summary with a chart, and a section per pathway with each case's findings
grouped under the case (closed on screen, open in print), so 10,000 cases stay navigable.
"""

from __future__ import annotations

import re
import string
from datetime import datetime
from html import escape

from pathways import __version__
from pathways.audit import SEVERITIES, AuditResult, summary_rows
from pathways.model.policy import authorities, pathways
from pathways.render.palette import SEVERITY_COLOURS, SEVERITY_TEXT_COLOURS

CONVENTIONS = (
    "Working days are Monday to Friday, excluding bank holidays in England (England and Wales "
    "bank holidays, one-off ones included). 'Within N working days of A' counts the working days "
    "after A's date up to and including the later date. Hours are counted on the clock (UK time). "
    "Where a policy says 'days' without saying working or calendar, the audit uses the reading more "
    "lenient to the practitioner and says so in the timescale's note. Severity follows the policy's "
    "wording: must -> Violation, should -> Warning, best practice / ideally / approximately -> Info."
)

_STYLE_TEMPLATE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; max-width: 75em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.88em; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.Violation { color: $Violation; font-weight: bold; } td.Warning { color: $Warning; font-weight: bold; }
td.Info { color: $Info; font-weight: bold; }
.metrics { display: flex; gap: 2em; flex-wrap: wrap; } .metric { font-size: 1.4em; }
.metric small { display: block; font-size: 0.6em; }
.metric.Violation { color: $Violation; } .metric.Warning { color: $Warning; } .metric.Info { color: $Info; }
.note { font-size: 0.85em; color: #555; } nav ol { columns: 2; font-size: 0.9em; }
details { margin: 0.3em 0; } summary { cursor: pointer; } q { font-style: italic; }
summary .counts { color: #555; font-size: 0.9em; }
@media print {
  body { margin: 0.5cm; max-width: none; } nav { display: none; }
  h2, h3 { page-break-after: avoid; } tr, details { page-break-inside: avoid; } summary { list-style: none; }
}
"""
# Closed case sections keep a 10,000-case report short on screen; printing opens them all.
_PRINT_OPENS_EVERYTHING = (
    "<script>window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});</script>"
)


def _style() -> str:
    """The report's CSS, with the palette's text colour for each severity."""
    return string.Template(_STYLE_TEMPLATE).substitute(SEVERITY_TEXT_COLOURS)


def _anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", part) for part in parts)


def _message(finding) -> str:
    """The finding's words without the citation the message ends with: the report prints the
    paragraph and the policy's words once, in their own columns."""
    for suffix in (f" ({finding.source}: \u201c{finding.quote}\u201d)", f" ({finding.source})"):
        if finding.source and finding.message.endswith(suffix):
            return finding.message[: -len(suffix)]
    return finding.message


def _findings_table(findings) -> str:
    rows = []
    for f in findings:
        cells = [
            f"<td class='{escape(f.severity)}'>{escape(f.severity)}</td>",
            f"<td>{escape(f.rule)}</td>",
            f"<td>{escape(_message(f))}</td>",
            f"<td>{escape(f.source)}</td>",
            f"<td><q>{escape(f.quote)}</q></td>" if f.quote else "<td></td>",
            f"<td>{escape(f.focus_event)}<br><span class='note'>{escape(f.evidence)}</span></td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("severity", "rule", "finding", "policy", "policy's words", "event"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _bars(counts: dict[str, dict[str, int]]) -> str:
    """Findings by kind of obligation, one bar per kind split by severity, as inline SVG."""
    kinds = sorted(counts)
    widest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    row_height, left, width = 22, 120, 480
    parts = [
        f"<svg role='img' aria-label='Findings by kind of obligation' xmlns='http://www.w3.org/2000/svg' "
        f"width='{left + width + 60}' height='{row_height * len(kinds) + 24}' font-family='Helvetica' font-size='12'>"
    ]
    for i, kind in enumerate(kinds):
        y, x = i * row_height + 4, left
        parts.append(f"<text x='{left - 6}' y='{y + 14}' text-anchor='end'>{escape(kind)}</text>")
        for severity in SEVERITIES:
            n = counts[kind].get(severity, 0)
            if not n:
                continue
            w = width * n / widest
            colour = SEVERITY_COLOURS[severity]
            parts.append(
                f"<rect x='{x:.1f}' y='{y}' width='{w:.1f}' height='{row_height - 6}' fill='{colour}'>"
                f"<title>{escape(kind)}: {n} {severity.lower()}</title></rect>"
            )
            x += w
        parts.append(f"<text x='{x + 4:.1f}' y='{y + 14}'>{sum(counts[kind].values())}</text>")
    parts.append("</svg>")
    return "".join(parts)


def html_report(result: AuditResult, title: str = "Step Up / Step Down audit", sources: list[str] | None = None) -> str:
    """The audit as one HTML page with no external resources: contents, a summary, then one
    section per pathway with each case's findings (closed until opened; open in print)."""
    counts = result.by_severity()
    conforming = sum(1 for r in result.results if r.conforms)
    audited = len(result.results)
    documents = "; ".join(f"{a.name}: {a.document}" for a in authorities())
    titles = {(p.authority.id, p.id): p.flowchart_title for p in pathways()}
    by_pathway: dict[tuple[str, str], list] = {}
    for case in result.results:
        by_pathway.setdefault((case.case.authority, case.case.pathway), []).append(case)
    order = [key for key in titles if key in by_pathway] + sorted(set(by_pathway) - set(titles))

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{_style()}</style>{_PRINT_OPENS_EVERYTHING}</head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='note'>Generated {datetime.now():%d %b %Y %H:%M} by pathways {__version__}. "
        f"Policies: {escape(documents)}.</p>",
    ]
    if sources:
        parts.append(f"<p class='note'>Input: {escape(', '.join(sources))}</p>")
    contents = ["<li><a href='#summary'>Summary</a></li>"]
    contents += [
        f"<li><a href='#{_anchor('pathway', *key)}'>{escape(titles.get(key, '/'.join(key)))}</a></li>" for key in order
    ]
    if result.rejected:
        contents.append("<li><a href='#rejected'>Rejected input</a></li>")
    contents.append("<li><a href='#conventions'>Conventions</a></li>")
    parts.append(f"<nav><h2>Contents</h2><ol>{''.join(contents)}</ol></nav>")

    parts.append("<h2 id='summary'>Summary</h2><div class='metrics'>")
    parts += [
        f"<div class='metric'>{result.cases_in}<small>cases in</small></div>",
        f"<div class='metric'>{audited}<small>audited</small></div>",
        f"<div class='metric'>{len(result.rejected)}<small>rejected</small></div>",
        f"<div class='metric'>{conforming}<small>without a violation</small></div>",
    ]
    parts += [
        f"<div class='metric {s}'>{counts.get(s, 0)}<small>{s.lower() + ('s' if s != 'Info' else '')}</small></div>"
        for s in SEVERITIES
    ]
    parts.append("</div>")
    findings = result.findings
    if findings:
        kinds: dict[str, dict[str, int]] = {}
        for f in findings:
            kinds.setdefault(f.rule_kind, {}).setdefault(f.severity, 0)
            kinds[f.rule_kind][f.severity] += 1
        parts.append("<h3>Findings by kind of obligation</h3>" + _bars(kinds))
        summary = summary_rows(result)
        rows = "".join(
            f"<tr><td>{escape(r['rule'])}</td><td class='{escape(r['severity'])}'>{escape(r['severity'])}</td>"
            f"<td>{r['findings']}</td></tr>"
            for r in summary
        )
        parts.append(
            "<details><summary>Findings by rule</summary><table><thead><tr><th>rule</th><th>severity</th>"
            f"<th>findings</th></tr></thead><tbody>{rows}</tbody></table></details>"
        )
    elif audited:
        parts.append(f"<p>No findings: each of the {audited} audited cases follows the policy.</p>")
    else:
        parts.append("<p>No case could be audited; see the rejected input below.</p>")

    for key in order:
        cases = by_pathway[key]
        with_findings = [c for c in cases if c.findings]
        parts.append(f"<h2 id='{_anchor('pathway', *key)}'>{escape(titles.get(key, '/'.join(key)))}</h2>")
        parts.append(
            f"<p>{len(cases)} cases audited, {len(with_findings)} with findings "
            f"({sum(len(c.findings) for c in cases)} findings).</p>"
        )
        for case in with_findings:
            tally = {s: sum(1 for f in case.findings if f.severity == s) for s in SEVERITIES}
            said = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in tally.items() if n)
            parts.append(
                f"<details id='{_anchor('case', case.case.case_id)}'><summary><b>Case {escape(case.case.case_id)}</b>"
                f" <span class='counts'>{escape(said)}</span></summary>{_findings_table(case.findings)}</details>"
            )
        clean = [c.case.case_id for c in cases if not c.findings]
        if clean:
            parts.append(
                f"<details><summary>{len(clean)} case{'s' if len(clean) != 1 else ''} without findings</summary>"
                f"<p class='note'>{escape(', '.join(clean))}</p></details>"
            )
    if result.rejected:
        parts.append("<h2 id='rejected'>Rejected input (not audited)</h2>")
        rows = "".join(f"<tr><td>{escape(r.case_id)}</td><td>{escape(r.message)}</td></tr>" for r in result.rejected)
        parts.append(f"<table><thead><tr><th>case</th><th>problem</th></tr></thead><tbody>{rows}</tbody></table>")
    parts.append(f"<h2 id='conventions'>Conventions</h2><p class='note'>{escape(CONVENTIONS)}</p>")
    parts.append("</body></html>\n")
    return "".join(parts)
