"""Case page (for auditors and practitioners): one case's route on its flowchart, its timeline and findings."""

from __future__ import annotations

import streamlit as st

from explorer import common
from pathways import trace_case
from pathways.cases.workdays import working_days_between
from viz.flowchart import flowchart
from viz.overlay import case_overlay

SOURCES = {"sample": "Sample cases (synthetic)", "upload": "Upload a case file"}


def timeline_rows(record, g) -> list[dict]:
    rows = []
    previous = None
    for event in record.events:
        rows.append(
            {
                "#": event.sequence,
                "date": event.when_text(),
                "step": g.nodes[event.node]["label"] if event.node in g else event.node,
                "role": event.role,
                "working days since previous": (
                    working_days_between(previous.day, event.day) if previous is not None else None
                ),
                "evidence": "; ".join(event.evidence),
            }
        )
        previous = event
    return rows


common.page_header(
    "Case",
    "For auditors and practitioners: the route one case took through its pathway, step by step, "
    "with every departure from the policy and the paragraph it rests on.",
)

source = st.radio("Cases from", list(SOURCES), format_func=SOURCES.get, horizontal=True, key="case-source")
upload = None
if source == "sample":
    batch = common.sample_batch()
    counts = {case_id: len(found) for case_id, found in common.sample_findings().items()}
    st.caption(f"{len(batch.cases)} synthetic cases ({common.SAMPLE.name}), three per pathway; none is a real family.")
else:
    file = st.file_uploader(
        f"Case file (CSV event log, Turtle or JSON-LD; up to {common.MAX_UPLOAD_MB} MB)",
        type=common.UPLOAD_TYPES,
        max_upload_size=common.MAX_UPLOAD_MB,
        key="case-upload",
    )
    upload = common.session_upload("case-upload-data", [file] if file is not None else [])
    if upload is None:
        st.info("Upload a file to see its cases; it stays in this session's memory only.")
        st.stop()
    common.show_input_problems(upload.errors, upload.batch.rejected)
    batch = upload.batch
    counts = {}
    if not batch.cases:
        st.stop()

plans = {(p.authority.id, p.id): p for a in common.authorities() for p in common.pathways_of(a.id)}
ids = [record.case_id for record in batch.cases]
records = {record.case_id: record for record in batch.cases}


def case_label(case_id: str) -> str:
    record = records[case_id]
    text = f"{case_id} · {plans[record.authority, record.pathway].flowchart_title}"
    if case_id in counts:
        n = counts[case_id]
        text += " · no findings" if n == 0 else f" · {n} finding{'s' if n != 1 else ''}"
    return text


default = next((i for i, case_id in enumerate(ids) if counts.get(case_id)), 0)
case_id = st.selectbox("Case", ids, index=default, format_func=case_label, key=f"case-id-{source}")
record = records[case_id]
g = common.digraph(record.authority, record.pathway)
try:
    findings = common.sample_findings()[case_id] if upload is None else common.upload_findings(upload, record)
    trace = trace_case(record, g, findings)
    overlay = case_overlay(record, trace, findings)
except Exception:
    st.error(f"Case {case_id} could not be audited or traced; please report it (the case's data is not shown).")
    st.stop()

st.subheader(f"Case {case_id}: {plans[record.authority, record.pathway].flowchart_title}")
st.markdown(common.policy_line(record.authority, record.pathway))
severities = [f.severity for f in findings]
metrics = st.columns(4)
metrics[0].metric("Events", len(record.events))
metrics[1].metric("Violations", severities.count("Violation"))
metrics[2].metric("Warnings", severities.count("Warning"))
metrics[3].metric("Info", severities.count("Info"))
notes = [f"**Route ends in:** {common.md(g.nodes[trace.end]['label']) if trace.end in g else 'no end state reached'}"]
if trace.skipped:
    notes.append("**Skipped:** " + common.md("; ".join(g.nodes[n]["label"] for n in trace.skipped)))
if trace.out_of_order:
    notes.append(
        "**Out of the drawn order** (audited only where the text states it): "
        + common.md("; ".join(f"{g.nodes[a]['label']} before {g.nodes[b]['label']}" for a, b in trace.out_of_order))
    )
if trace.unmatched:
    notes.append("**Not on the flowchart:** " + common.md(", ".join(trace.unmatched)))
st.markdown("  \n".join(notes))

chart, facts = st.columns([1, 1], gap="large")
with chart:
    st.graphviz_chart(flowchart(g, overlay), width="stretch")
with facts:
    st.markdown("#### Findings")
    if findings:
        for finding in findings:
            common.finding_card(finding)
        with st.expander("Findings as a table"):
            st.dataframe(common.findings_table(findings), hide_index=True)
    else:
        st.success("No departure from the policy found.", icon=":material/check_circle:")
    st.markdown("#### Timeline")
    st.dataframe(
        timeline_rows(record, g),
        hide_index=True,
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            "step": st.column_config.TextColumn(width="large"),
            "working days since previous": st.column_config.NumberColumn("working days since previous", width="small"),
        },
    )
