"""Audit page (for auditors): a batch of cases against the policy, summarised, filtered, downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explorer import PAGE_FILES, common
from pathways.audit import FINDING_COLUMNS, SEVERITIES, AuditResult, findings_rows, summary_rows
from pathways.audit.conformance import kinds_by_pathway, pathway_heat, timeliness
from pathways.audit.monitoring import (
    DEPARTURE_SEVERITIES,
    NO_LEVEL,
    WEEK_CONVENTION,
    Monitoring,
    monitoring_counts,
)
from pathways.render.audit_report import html_report
from pathways.render.palette import SEVERITY_COLOURS
from pathways.render.tables import to_csv
from viz.flowchart import flowchart

SOURCES = {"sample": "Sample cases (synthetic)", "upload": "Upload case files"}


JOB, DATA = "audit-upload-job", "audit-upload-data"
POLL_SECONDS = 0.25  # how often the progress is redrawn while an audit runs


def progress_bar(job: common.AuditJob) -> None:
    """The job's progress: the files read, then the cases audited (a fifth, then the rest)."""
    phase, done, total, seconds = job.progress()
    if phase == "reading":
        fraction = 0.2 * done / max(total, 1)
        text = f"Reading {job.upload.names[0]}…" if total == 1 else f"Reading the files… {done}/{total} read"
    else:
        fraction = 0.2 + 0.8 * done / max(total, 1)
        text = f"Auditing… {done:,}/{total:,} cases"
    st.progress(min(fraction, 1.0), text=f"{text} ({seconds:.0f} s)")
    st.caption(
        "Audited in the background: the results appear here when the audit ends. The other pages stay "
        "usable meanwhile, and the Case page offers these cases once they are audited."
    )


def watch(job: common.AuditJob, shown: DeltaGenerator) -> None:
    """Show the job's progress until it ends.

    The job runs in its own thread; this run only redraws the bar. Each redraw is where
    Streamlit hands over to a click or a page change, so the page answers within a
    fraction of a second and the audit carries on (a later run of this page picks it up).
    One run watches the whole audit: Streamlit collects garbage after every run, which
    polling with many short runs (a fragment rerun on a timer) would repeat several times a
    second over a heap full of cases, starving the audit.
    """
    job.polled = True
    while not job.wait(POLL_SECONDS):
        with shown.container():
            progress_bar(job)
    shown.empty()


def audited_upload(files) -> common.Upload | None:
    """Read and audit uploaded files once per upload, in the background; kept in the session.

    The run that starts the audit waits a moment for it (a small upload shows its results
    at once, with no progress bar), then shows its progress until it ends.
    """
    job = common.audit_job(JOB, files)
    if job is None:
        st.session_state.pop(DATA, None)
        return None
    st.session_state[DATA] = job.upload  # its result is filled in when the audit ends
    shown = st.empty()  # always there, so that the results below keep their place
    if not job.wait(0 if job.polled else common.AUDIT_WAIT_SECONDS):
        watch(job, shown)
    if job.failed:
        st.session_state.pop(DATA, None)
        st.error("The audit of these files failed; please report it (the files' contents are not shown).")
        return None
    return job.upload


common.page_header(
    "Audit",
    "For auditors: a batch of case records checked against the policy. Every finding names its rule, "
    "the paragraph it rests on and the policy's words.",
)
source = st.radio("Cases from", list(SOURCES), format_func=SOURCES.get, horizontal=True, key="audit-source")
errors: list[str] = []
views: dict = {}  # what is drawn per pathway from an upload, kept with it (reruns redraw it at once)
if source == "sample":
    result: AuditResult = common.sample_audit()
    names = [common.SAMPLE.name]
    st.caption(f"{result.cases_in} synthetic cases ({common.SAMPLE.name}); none is a real family.")
else:
    files = st.file_uploader(
        f"Case files (CSV event logs, Turtle or JSON-LD; several allowed; up to {common.MAX_UPLOAD_MB} MB each)",
        type=common.UPLOAD_TYPES,
        accept_multiple_files=True,
        max_upload_size=common.MAX_UPLOAD_MB,
        key="audit-upload",
    )
    upload = audited_upload(files or [])
    if upload is None or upload.result is None:
        st.info("Upload one or more files to audit them; they stay in this session's memory only.")
        st.stop()
    result, names, errors = upload.result, upload.names, upload.errors
    views = upload.views

audited = len(result.results)
conforming = sum(1 for r in result.results if r.conforms)
counts = result.by_severity()
row = st.columns(7)
row[0].metric("Cases in", result.cases_in)
row[1].metric("Audited", audited)
row[2].metric("Rejected", len(result.rejected))
row[3].metric(
    "Conforming",
    f"{100 * conforming / audited:.0f}%" if audited else "–",
    help="Share of audited cases without a violation (warnings and info allowed).",
)
for column, severity in zip(row[4:], SEVERITIES, strict=True):
    column.metric(f"{severity}s" if severity != "Info" else "Info", counts.get(severity, 0))

common.show_input_problems(errors, result.rejected)

findings = result.findings
shown: list = []
if not audited:
    # Nothing was audited (every file or case was refused): there is nothing to report,
    # and saying "no findings" would claim the cases follow the policy.
    st.warning("No case could be audited, so there are no findings to report; see the problems above.")
    st.stop()
if not findings:
    refused = f" ({len(result.rejected)} rejected cases were not audited)" if result.rejected else ""
    st.success(
        f"No findings: each of the {audited} audited cases follows the policy{refused}.",
        icon=":material/check_circle:",
    )
else:
    by_kind, by_severity = st.columns([3, 2], gap="large")
    present = [s for s in SEVERITIES if counts.get(s)]
    colours = [SEVERITY_COLOURS[s] for s in present]
    with by_kind:
        # One bar per kind of obligation (a handful), split by severity; the table below
        # the chart has every rule.
        st.markdown("#### Findings by kind of obligation")
        kinds = pd.DataFrame([{"kind": f.rule_kind, "severity": f.severity} for f in findings])
        wide = kinds.pivot_table(index="kind", columns="severity", aggfunc="size", fill_value=0)
        wide = wide.reindex(columns=present, fill_value=0).reset_index()
        st.bar_chart(
            wide, x="kind", y=present, color=colours, x_label="kind", y_label="findings", horizontal=True, height=260
        )
        with st.expander("Findings by rule as a table"):
            st.dataframe(pd.DataFrame(summary_rows(result)), hide_index=True)
    with by_severity:
        st.markdown("#### Findings by severity")
        # One column per severity, each bar in its own column, so that each severity keeps
        # its colour whatever the alphabet says.
        columns = {s: [counts[s] if t == s else 0 for t in present] for s in present}
        table = pd.DataFrame({"severity": present} | columns)
        st.bar_chart(table, x="severity", y=present, color=colours, stack=True)

    st.markdown("#### Findings")
    filters = st.columns(3)
    chosen_severities = filters[0].multiselect(
        "Severity", present, placeholder="All severities", key="audit-filter-severity"
    )
    chosen_rules = filters[1].multiselect(
        "Rule", sorted({f.rule for f in findings}), placeholder="All rules", key="audit-filter-rule"
    )
    chosen_cases = filters[2].multiselect(
        "Case", sorted({f.case_id for f in findings}), placeholder="All cases", key="audit-filter-case"
    )
    shown = [
        f
        for f in findings
        if (not chosen_severities or f.severity in chosen_severities)
        and (not chosen_rules or f.rule in chosen_rules)
        and (not chosen_cases or f.case_id in chosen_cases)
    ]
    listed = shown[: common.FINDINGS_LISTED]
    caption = f"{len(shown):,} of {len(findings):,} findings"
    if len(listed) < len(shown):
        caption += f"; the first {len(listed):,} listed here, all {len(shown):,} in the CSV download below"
    st.caption(caption)
    st.dataframe(common.findings_table(listed, with_case=True), hide_index=True)
    opening = st.columns([2, 1, 2])
    with_findings = sorted({f.case_id for f in shown})
    chosen_case = opening[0].selectbox("A case's route and timeline", with_findings, key="audit-open-case")
    if opening[1].button("Open on the Case page", key="audit-open", icon=":material/person_search:"):
        case_source = "sample" if source == "sample" else "audit"
        st.session_state["case-source"] = case_source
        st.session_state[f"case-id-{case_source}"] = chosen_case
        st.session_state["case-restored"] = True
        st.switch_page(PAGE_FILES["case"])

downloads = st.columns([1, 1, 3])
downloads[0].download_button(
    "Findings shown (CSV)",
    lambda: to_csv(findings_rows(shown), [*FINDING_COLUMNS, "quote"]),  # made when asked for
    file_name="findings.csv",
    mime="text/csv",
    icon=":material/download:",
    key="audit-download-csv",
)
downloads[1].download_button(
    "Audit report (HTML)",
    lambda: html_report(result, sources=names),
    file_name="audit-report.html",
    mime="text/html",
    icon=":material/download:",
    key="audit-download-html",
)

# ------------------------------------------------------------ per pathway: where cases depart, how timely


def per_pathway(compute, key: tuple[str, str]):
    """``compute(result, authority, pathway)``, once per upload and pathway in this session."""
    if (compute.__name__, key) not in views:
        views[compute.__name__, key] = compute(result, *key)
    return views[compute.__name__, key]


st.divider()
st.markdown("#### By pathway")
on_pathways = sorted({(r.case.authority, r.case.pathway) for r in result.results})
if findings:
    grid = pd.DataFrame([{"pathway": f"{a}/{p}", "kind": kind} for a, p, kind in kinds_by_pathway(result)])
    if not grid.empty:
        st.dataframe(grid.pivot_table(index="pathway", columns="kind", aggfunc="size", fill_value=0), width="stretch")
titles = {(p.authority.id, p.id): p.flowchart_title for p in common.all_pathways()}
chosen_pathway = st.selectbox(
    "Pathway", on_pathways, format_func=lambda key: f"{titles.get(key, key[1])} ({key[0]})", key="audit-heat-pathway"
)
heat = per_pathway(pathway_heat, chosen_pathway)
st.caption(
    f"{heat.cases} audited cases on this pathway. Each step is shaded by how many of them reached it (the darker, "
    "the more) and outlined in red where some departed from what the text requires there (missing, late, or by "
    "another role); each arrow says how many cases went that way and is the thicker the more did. The shapes are "
    "those of the Flowcharts page's key."
)
# At its own size (no wider than the page): stretched to a wide screen, two steps filled it. No key: the
# flowchart's key gives the roles' fill colours, which the shading replaces here.
st.graphviz_chart(flowchart(common.digraph(*chosen_pathway), heat=heat, legend=False), width="content")
rows = per_pathway(timeliness, chosen_pathway)
if rows:
    st.markdown("**Timeliness**: each timescale measured on the cases that recorded both its steps")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "timescale": t.label,
                    "limit": t.limit,
                    "cases measured": len(t.measured),
                    "kept to it": f"{100 * t.share_kept:.0f}%",
                    "median": f"{t.median:g} {t.unit}",
                    "policy": t.source,
                }
                for t in rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    picked = st.selectbox("Measured times of", [t.label for t in rows], key="audit-timeliness")
    measured = next(t for t in rows if t.label == picked)
    histogram = pd.Series(measured.measured).round(1).value_counts().sort_index()
    st.bar_chart(
        pd.DataFrame({measured.unit: [f"{v:g}" for v in histogram.index], "cases": histogram.values}),
        x=measured.unit,
        y="cases",
        height=220,
    )

# ------------------------------------------------------------ monitoring, as the procedures ask for it


# the levels of a chart, lowest first, from teal through yellow to dark red; a case with no level is grey
LEVEL_RAMP = ("#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#e76f51", "#9b2226")
NO_LEVEL_COLOUR = "#bdbdbd"


def level_colours(levels: tuple[str, ...]) -> list[str]:
    """A colour per level, lowest first: spread over the ramp, the unknown level grey."""
    known = [lv for lv in levels if lv != NO_LEVEL]
    step = (len(LEVEL_RAMP) - 1) / max(len(known) - 1, 1)
    ramp = {lv: LEVEL_RAMP[round(i * step) if len(known) > 1 else len(LEVEL_RAMP) // 2] for i, lv in enumerate(known)}
    return [ramp.get(lv, NO_LEVEL_COLOUR) for lv in levels]


def weekly_chart(m: Monitoring) -> dict:
    """A Vega-Lite bar chart of an arrangement's cases a week, stacked by level (lowest first),
    on a time axis whose labels carry the year; bars are as wide as the weeks allow."""
    colours = level_colours(m.levels)
    first, last = m.weeks[0].week_starting, m.weeks[-1].week_starting
    span = (last - first).days // 7 + 1
    rank = {level: i for i, level in enumerate(m.levels)}
    values = [
        {"week": w.week, "week starting": w.week_starting.isoformat(), "level": w.level, "cases": w.cases,
         "order": rank[w.level]}
        for w in m.weeks
    ]  # fmt: skip
    return {
        "data": {"values": values},
        "height": 220,
        "mark": {"type": "bar", "width": max(2, min(24, 900 // span))},
        "encoding": {
            "x": {
                "field": "week starting",
                "type": "temporal",
                "title": "week starting",
                "axis": {"format": "%b %Y", "labelOverlap": True},
            },
            "y": {
                "field": "cases",
                "type": "quantitative",
                "aggregate": "sum",
                "stack": True,
                "title": "cases",
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "color": {
                "field": "level",
                "type": "nominal",
                "title": "level reached",
                "scale": {"domain": list(m.levels), "range": colours},
                "legend": {"orient": "bottom"},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "week", "title": "ISO week"},
                {"field": "week starting", "type": "temporal", "format": "%d %b %Y"},
                {"field": "level"},
                {"field": "cases", "type": "quantitative"},
            ],
        },
    }


def monitoring_section(monitored: list[Monitoring]) -> None:
    """Each monitoring arrangement of the procedures: its words, who monitors and where
    departures go, the cases a week by the level reached, and adherence per pathway."""
    st.divider()
    st.markdown("#### Monitoring (as the procedure asks)")
    departures = " or ".join(DEPARTURE_SEVERITIES)
    st.caption(
        "What each procedure says is to be monitored, counted on these cases. Each case is placed in "
        f"{WEEK_CONVENTION}. A case departs from the standards when the audit has at least one {departures} "
        "finding on it (a must or a should not kept to; best practice is not counted)."
    )
    if not monitored:
        st.info("The procedures of these cases' authorities state no monitoring arrangement.")
        return
    for number, m in enumerate(monitored):
        a = m.arrangement
        with st.container(border=True, key=f"audit-monitoring-{number}"):
            cited = f"{a.paragraph} ({a.section_title})" if a.section_title else a.paragraph
            st.markdown(f"**{common.md(a.label)}** · {common.md(cited or 'no paragraph cited')}")
            if a.quote:
                st.markdown(common.quote_block(a.quote.replace(" \u2026 ", "\n")))
            who = [f"Monitored by {', '.join(a.monitored_by)}" if a.monitored_by else "Nobody is named to monitor it"]
            if a.escalates_to:
                who.append("departures raised with " + " \u2192 ".join(a.escalates_to))
            if a.forum:
                who.append(f"at the {a.forum[:1].lower()}{a.forum[1:]}")
            st.caption(
                common.md("; ".join(who)) + (f"  \nThe model notes: {common.md(a.ambiguity)}" if a.ambiguity else "")
            )
            st.markdown(f"**Cases a week, by the level reached** ({m.cases} on its pathways)")
            if m.weeks:
                st.vega_lite_chart(weekly_chart(m), width="stretch")
                with st.expander("Cases a week as a table"):
                    long = pd.DataFrame([{"week": w.week, "level": w.level, "cases": w.cases} for w in m.weeks])
                    starts = {w.week: w.week_starting for w in m.weeks}
                    table = long.pivot_table(index="week", columns="level", values="cases", aggfunc="sum")
                    table = table.reindex(columns=list(m.levels)).fillna(0).astype(int)
                    table.index = [f"{week} (from {starts[week]:%d %b %Y})" for week in table.index]
                    st.dataframe(table, width="stretch")
            else:
                st.caption("No audited case on its pathways.")
            st.markdown("**Adherence, per pathway**")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "pathway": row.title,
                            "cases audited": row.audited,
                            "with a departure": row.departing,
                            "share": "–" if row.share is None else f"{100 * row.share:.0f}%",
                        }
                        for row in m.adherence
                    ]
                ),
                hide_index=True,
                width="stretch",
            )


if "monitoring" not in views:
    views["monitoring"] = monitoring_counts(result)
monitoring_section(views["monitoring"])
