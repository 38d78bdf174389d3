"""Case page (for auditors and practitioners): one case's route on its flowchart, its timeline and findings."""

from __future__ import annotations

import streamlit as st

from explorer import common
from pathways import trace_case
from pathways.cases.workdays import working_days_between
from viz.flowchart import flowchart
from viz.overlay import case_overlay

SOURCES = {
    "sample": "Sample cases (synthetic)",
    "audit": "Cases audited on the Audit page",
    "upload": "Upload a case file",
}


def timeline_rows(record, g, findings, trace) -> list[dict]:
    """The events in the order they happened, each with what the audit or the drawn route
    says of it: a finding on the event, a step out of the drawn order (not a finding unless
    the text states the order)."""
    late = {}
    for finding in findings:
        if finding.focus_event.startswith("event "):
            number = finding.focus_event.split(":", 1)[0].removeprefix("event ")
            late.setdefault(number, []).append(f"{finding.severity}: {finding.rule.split(':', 1)[0]}")
    out_of_order = {a for a, _ in trace.out_of_order}
    rows = []
    previous = None
    for event in sorted(record.events, key=lambda e: (e.day, e.when_text(), e.sequence)):
        notes = list(late.get(str(event.sequence), []))
        if event.node in out_of_order:
            notes.append("out of the drawn order")
        rows.append(
            {
                "#": event.sequence,
                "when": event.when_text(),
                "step": g.nodes[event.node]["label"] if event.node in g else event.node,
                "note": "; ".join(notes),
                "role": event.role,
                "working days since previous": (
                    working_days_between(previous.day, event.day) if previous is not None else None
                ),
                "evidence": "; ".join(event.evidence),
            }
        )
        previous = event
    return rows


def audited_elsewhere() -> common.Upload | None:
    """The files audited on the Audit page in this session, if any."""
    upload = st.session_state.get("audit-upload-data")
    usable = isinstance(upload, common.Upload) and upload.result is not None and upload.batch.cases
    return upload if usable else None


def restore_from_address(available: list[str]) -> None:
    """A link ``?source=…&case=…`` (from the Audit page's table, or bookmarked) opens that case."""
    if st.session_state.get("case-restored"):
        return
    st.session_state["case-restored"] = True
    wanted = st.query_params.get("source")
    if wanted in available:
        st.session_state["case-source"] = wanted
        if st.query_params.get("case"):
            st.session_state[f"case-id-{wanted}"] = st.query_params["case"]


common.page_header(
    "Case",
    "For auditors and practitioners: the route one case took through its pathway, step by step, "
    "with every departure from the policy and the paragraph it rests on.",
)

elsewhere = audited_elsewhere()
available = [key for key in SOURCES if key != "audit" or elsewhere is not None]
restore_from_address(available)
source = st.radio("Cases from", available, format_func=SOURCES.get, horizontal=True, key="case-source")
upload = None
if source == "sample":
    batch = common.sample_batch()
    counts = {case_id: len(found) for case_id, found in common.sample_findings().items()}
    st.caption(f"{len(batch.cases)} synthetic cases ({common.SAMPLE.name}), three per pathway; none is a real family.")
elif source == "audit":
    upload = elsewhere
    batch = upload.batch
    upload.findings.update({r.case.case_id: r.findings for r in upload.result.results})
    counts = {case_id: len(found) for case_id, found in upload.findings.items()}
    st.caption(f"{len(batch.cases)} cases of {', '.join(upload.names) or 'the files'} audited on the Audit page.")
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
if st.session_state.get(f"case-id-{source}") not in records:
    st.session_state.pop(f"case-id-{source}", None)
case_id = st.selectbox("Case", ids, index=default, format_func=case_label, key=f"case-id-{source}")
# only the built-in sample's ids go into the address: an uploaded case's id would end up in
# the browser's history (on disk), and could not be reopened from it anyway
if source == "sample":
    st.query_params.update(source=source, case=case_id)
else:
    st.query_params.clear()
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

findings_column, timeline_column = st.columns([1, 1], gap="large")
with findings_column:
    st.markdown("#### Findings")
    if findings:
        for finding in findings:
            common.finding_card(finding, g.nodes[finding.node]["label"] if finding.node in g else "")
        with st.expander("Findings as a table"):
            st.dataframe(common.findings_table(findings), hide_index=True)
    else:
        st.success("No departure from the policy found.", icon=":material/check_circle:")
with timeline_column:
    st.markdown("#### Timeline, in the order things happened")
    st.dataframe(
        timeline_rows(record, g, findings, trace),
        hide_index=True,
        column_config={
            "#": st.column_config.NumberColumn("#", width="small"),
            "step": st.column_config.TextColumn(width="medium"),
            "working days since previous": st.column_config.NumberColumn("working days since previous", width="small"),
            "note": st.column_config.TextColumn(width="medium"),
        },
    )

st.markdown("#### The route on the flowchart")
st.caption("Bold: the route taken, with dates; dashed: a step the audit found missing; coloured border: a finding.")
st.graphviz_chart(flowchart(g, overlay), width="stretch")
