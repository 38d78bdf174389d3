"""Flowcharts page (for policy authors): each pathway's chart, any node's details, timescales, routes."""

from __future__ import annotations

from functools import partial

import streamlit as st

from explorer import common
from explorer.components import flowchart_view
from pathways.model import display_order, format_section, format_working_days, graph
from viz.flowchart import flowchart, render_bytes
from viz.printing import a4_pdf

SELECTED_BORDER = "#d35400"
LAYOUTS = ("Top down", "Lanes by role")
DOWNLOADS = {  # format: (button label, MIME type)
    "svg": ("SVG", "image/svg+xml"),
    "png": ("PNG", "image/png"),
    "pdf": ("PDF (A4)", "application/pdf"),
}


@st.cache_data(show_spinner=False)
def flowchart_source(authority_id: str, pathway_id: str, selected: str | None = None, lanes: bool = False) -> str:
    """The DOT of a pathway's flowchart, with the selected node outlined."""
    dot = flowchart(common.digraph(authority_id, pathway_id), lanes=lanes)
    if selected:
        dot.node(selected, color=SELECTED_BORDER, penwidth="4")
    return dot.source


@st.cache_data(show_spinner=False)
def chart_svg(authority_id: str, pathway_id: str, lanes: bool = False) -> str:
    """The pathway's flowchart as SVG, drawn in-process (the interactive chart outlines the
    selected node itself, so one drawing serves every selection)."""
    return render_bytes(flowchart(common.digraph(authority_id, pathway_id), lanes=lanes), "svg").decode("utf-8")


def chart_file(authority_id: str, pathway_id: str, fmt: str, lanes: bool = False) -> bytes:
    """The pathway's flowchart to download: SVG or PNG the size of the drawing, or a PDF laid
    out on A4 pages (:mod:`viz.printing`), its footer naming the authority and the chart."""
    if fmt == "svg":
        return chart_svg(authority_id, pathway_id, lanes).encode("utf-8")
    dot = flowchart(common.digraph(authority_id, pathway_id), lanes=lanes)
    if fmt == "pdf":
        chosen = common.plan(authority_id, pathway_id)
        return a4_pdf(dot, f"{chosen.authority.name}: {chosen.flowchart_title}")
    return render_bytes(dot, fmt)


def take_click(chart_key: str, node_key: str, nodes: frozenset[str]) -> None:
    """A click on a box of the chart chooses that node in the node chooser (before it is drawn)."""
    clicked = st.session_state.get(chart_key)
    if isinstance(clicked, dict) and clicked.get("node") in nodes:
        st.session_state[node_key] = clicked["node"]


@st.cache_data(show_spinner=False)
def timescale_rows(authority_id: str, pathway_id: str) -> list[dict]:
    g = common.digraph(authority_id, pathway_id)

    def step(node: str) -> str:
        return g.nodes[node]["label"] if node in g else node

    return [
        {
            "timescale": row.label,
            "limit": row.in_words(dict(g.nodes(data="label"))),
            "from": step(row.from_step),
            "to": step(row.to_step),
            "kind": row.kind,
            "modality": row.modality,
            "wording": row.wording,
            "source": format_section(row.source),
            "policy's words": row.quote,
            "note": row.ambiguity,
        }
        for row in g.graph["timescales"]
    ]


@st.cache_data(show_spinner=False)
def route_rows(authority_id: str, pathway_id: str) -> list[dict]:
    g = common.digraph(authority_id, pathway_id)
    rows = []
    for number, route in enumerate(graph.routes(g), start=1):
        bounds = graph.route_bounds(g, route)
        rows.append(
            {
                "route": number,
                "ends in": g.nodes[route[-1]]["label"],
                "steps": len(route),
                "path": " → ".join(route),
                "roles": ", ".join(graph.route_roles(g, route)),
                "hand-offs": "; ".join(
                    f"{h.at}: {', '.join(h.from_roles)} → {', '.join(h.to_roles)}" for h in graph.handoffs(g, route)
                ),
                "shortest (working days)": format_working_days(bounds.shortest),
                "longest (working days)": format_working_days(bounds.longest),
                "timescales counted": "; ".join(bounds.timescales),
            }
        )
    return rows


def node_details(authority_id: str, pathway_id: str, node: str) -> None:
    """Everything the model says about one node, each with its paragraph."""
    g = common.digraph(authority_id, pathway_id)
    data = g.nodes[node]
    st.markdown(f"### {common.md(data['label'])}")
    flags = [common.KIND_NAMES.get(data["kind"], data["kind"])]
    flags += [name for name in ("optional", "escalation") if data[name]]
    if data["urgency"]:
        flags.append(f"urgency: {data['urgency']}")
    if data["level"]:
        flags.append(f"level: {data['level']}")
    st.markdown(f"**Kind:** {common.md(', '.join(flags))}  \n**Node id:** `{node}`")
    if data["aliases"]:
        st.markdown("**Also called:** " + common.md("; ".join(data["aliases"])))
    if data["definition"]:
        st.markdown(common.md(data["definition"]))

    roles = [
        ("Performed by", data["performed_by"]),
        ("Decided by", data["decided_by"]),
        ("Involves", data["involves"]),
    ]
    lines = [f"**{name}:** {common.md(', '.join(values))}" for name, values in roles if values]
    if data["modality"]:
        wording = f" (“{common.md(data['wording'])}”)" if data["wording"] else ""
        reading = f"; the model's reading: {common.md(data['modality_reading'])}" if data["modality_reading"] else ""
        lines.append(f"**Modality:** {common.md(data['modality'])}{wording}{reading}")
    documents = [("Uses", data["uses"]), ("Produces", data["produces"])]
    lines += [f"**{name}:** {common.md(', '.join(values))}" for name, values in documents if values]
    if lines:
        st.markdown("  \n".join(lines))

    labels = dict(g.nodes(data="label"))
    governing = [row for row in g.graph["timescales"] if row.regulated_step == node]
    related = [row for row in g.graph["timescales"] if node in (row.from_step, row.to_step) and row not in governing]
    if governing or related:
        st.markdown("**Timescales**")
        for row in governing:
            st.markdown(
                f"- **{common.md(row.in_words(labels))}** ({row.kind}, {common.md(row.modality)}, "
                f"{format_section(row.source)}): {common.md(row.label)}"
            )
        for row in related:
            other = row.regulated_step
            st.markdown(
                f"- “{common.md(labels.get(other, other))}” is to happen "
                f"**{common.md(row.in_words(labels))}** ({row.kind}, {common.md(row.modality)}, "
                f"{format_section(row.source)})"
            )

    requirements = common.requirements_by_node(authority_id, pathway_id).get(node, [])
    if requirements:
        st.markdown("**Requirements on the record**")
        for row in requirements:
            when = f" — when {common.md(row.condition)}" if row.condition else ""
            group = f" [{common.md(row.requirement_set)}]" if row.requirement_set else ""
            st.markdown(
                f"- {common.md(row.label)}{group} ({common.md(row.modality)}, {format_section(row.source)}){when}"
            )

    cited = common.node_citation(data["iri"])
    if cited is not None:
        title = f", {common.md(cited.section_title)}" if cited.section_title else ""
        st.markdown(f"**Source:** {common.md(str(cited))}{title}")
        if cited.quote:
            st.markdown(common.quote_block(cited.quote))
    if data["ambiguity"]:
        st.info(data["ambiguity"], icon=":material/help:")


common.page_header(
    "Flowcharts",
    "For policy authors: each pathway as the policy states it, every step and decision with who does it, "
    "by when, and the paragraph it comes from.",
)
authority_id, pathway_id = common.pathway_picker("fc")
chosen = common.plan(authority_id, pathway_id)
g = common.digraph(authority_id, pathway_id)
st.subheader(chosen.flowchart_title)
st.markdown(common.policy_line(authority_id, pathway_id))
if chosen.definition:
    st.caption(chosen.definition)

chart, details = st.columns([3, 2], gap="large")
order = display_order(g)
node_key = f"fc-node-{authority_id}-{pathway_id}"
chart_key = f"fc-chart-{authority_id}-{pathway_id}"
with details:
    node = st.selectbox("Step or decision", order, format_func=lambda n: g.nodes[n]["label"], key=node_key)
    with st.container(border=True):
        node_details(authority_id, pathway_id, node)
with chart:
    lanes = (
        st.segmented_control(
            "Layout",
            LAYOUTS,
            default=LAYOUTS[0],
            key="fc-layout",
            help="Lanes by role: each step in a lane headed by the role who does it.",
        )
        == LAYOUTS[1]
    )
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption("Download the chart:")
        for fmt, (label, mime) in DOWNLOADS.items():
            st.download_button(
                label,
                partial(chart_file, authority_id, pathway_id, fmt, lanes),  # made when asked for
                file_name=f"{authority_id}-{pathway_id}.{fmt}",
                mime=mime,
                icon=":material/download:",
                on_click="ignore",
                key=f"fc-download-{fmt}",
            )
    flowchart_view(
        chart_svg(authority_id, pathway_id, lanes),
        order,
        node,
        key=chart_key,
        on_click=partial(take_click, chart_key, node_key, frozenset(order)),
    )
    # Streamlit's own drawing, for where the interactive chart cannot run (it outlines the node too)
    with st.expander("The chart without pan and zoom"):
        st.graphviz_chart(flowchart_source(authority_id, pathway_id, node, lanes), width="stretch")

timescales_tab, routes_tab = st.tabs(["Timescales", "Routes"])
with timescales_tab:
    rows = timescale_rows(authority_id, pathway_id)
    if rows:
        st.dataframe(rows, hide_index=True)
    else:
        st.caption("The policy states no timescale for this pathway.")
with routes_tab:
    st.caption(
        "Every route from the trigger to an end state. Shortest and longest add up the timescales on the "
        "route in working days (conservative unit conversions); 'no upper limit' means some part of the "
        "route has no deadline in the policy."
    )
    st.dataframe(route_rows(authority_id, pathway_id), hide_index=True)
