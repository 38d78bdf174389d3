"""Walkthrough page (for trainers): step through a pathway one node at a time, from its trigger."""

from __future__ import annotations

import streamlit as st

from explorer import common
from pathways.model import display_order, format_section, roles_of, trigger
from viz.flowchart import Overlay, flowchart


def path_key(authority_id: str, pathway_id: str) -> str:
    return f"walk-path-{authority_id}-{pathway_id}"


def go(key: str, target: str) -> None:
    st.session_state[key] = [*st.session_state[key], target]


def back(key: str) -> None:
    if len(st.session_state[key]) > 1:
        st.session_state[key] = st.session_state[key][:-1]


def restart(key: str, start: str) -> None:
    st.session_state[key] = [start]


def choices(g, node: str) -> list[tuple[str, str]]:
    """(button label, target) for each way on from a node: the branch condition, else the next node's label."""
    found = []
    for target in sorted(g.successors(node), key=display_order(g).index):
        condition = g.edges[node, target]["condition"]
        found.append((condition or g.nodes[target]["label"], target))
    return found


common.page_header(
    "Walkthrough",
    "For trainers: walk a pathway from its trigger one step at a time, with who does each step, by when "
    "and why, choosing a branch at each decision. Made to be read on a projector.",
)
authority_id, pathway_id = common.pathway_picker("walk")
chosen = common.plan(authority_id, pathway_id)
g = common.digraph(authority_id, pathway_id)
key = path_key(authority_id, pathway_id)
start = trigger(g)
if not st.session_state.get(key) or any(n not in g for n in st.session_state[key]):
    st.session_state[key] = [start]
path: list[str] = st.session_state[key]
node = path[-1]
data = g.nodes[node]

story, chart = st.columns([2, 3], gap="large")
with story:
    st.markdown(f"#### Step {len(path)} · {common.KIND_NAMES.get(data['kind'], data['kind'])}")
    st.markdown(f"# {common.md(data['label'])}")
    roles = roles_of(data)
    if roles and data["kind"] != "end":
        who = ", ".join(roles)
        if data["involves"]:
            who += f" (with {', '.join(data['involves'])})"
        st.markdown(f"### Who: {common.md(who)}")
    timed = [row for row in g.graph["timescales"] if row.regulated_step == node]
    if timed:
        labels = dict(g.nodes(data="label"))
        st.markdown("### When:")
        for row in timed:
            st.markdown(
                f"### {common.md(row.in_words(labels))} ({common.md(row.modality)}, {format_section(row.source)})"
            )
    elif data["kind"] not in {"trigger", "end"}:
        st.markdown("### When: the policy sets no timescale for this step")
    if data["modality"]:
        wording = f" — “{common.md(data['wording'])}”" if data["wording"] else ""
        st.markdown(f"**The policy says:** {common.md(data['modality'])}{wording}")
    cited = common.node_citation(data["iri"])
    if cited is not None:
        st.markdown(f"### Why: {common.md(str(cited))}")
        if cited.section_title:
            st.caption(cited.section_title)
        if cited.quote:
            st.markdown(f"#### “{common.md(' '.join(cited.quote.split()))}”")
    if data["ambiguity"]:
        st.info(data["ambiguity"], icon=":material/help:")

    st.divider()
    ways = choices(g, node)
    if data["kind"] == "end" or not ways:
        st.success("End of the pathway.", icon=":material/flag:")
    elif data["kind"] == "decision" or len(ways) > 1:
        st.markdown("### Which way?")
        for number, (text, target) in enumerate(ways):
            st.button(
                text,
                key=f"walk-branch-{number}",
                on_click=go,
                args=(key, target),
                type="primary",
                width="stretch",
                wrap=True,
            )
    else:
        st.button(
            "Next",
            key="walk-next",
            on_click=go,
            args=(key, ways[0][1]),
            type="primary",
            icon=":material/arrow_downward:",
            width="stretch",
        )
    controls = st.columns(2)
    controls[0].button(
        "Back", key="walk-back", on_click=back, args=(key,), disabled=len(path) < 2, icon=":material/undo:"
    )
    controls[1].button(
        "Restart", key="walk-restart", on_click=restart, args=(key, start), icon=":material/restart_alt:"
    )

with chart:
    overlay = Overlay(case_id="walkthrough", route=list(path), visited={n: [] for n in path})
    dot = flowchart(g, overlay)
    dot.attr(label=f"{chosen.flowchart_title}\nWalkthrough: step {len(path)}")
    dot.node(node, color="#d35400", penwidth="5")
    st.graphviz_chart(dot, width="stretch")
    st.caption("Path so far: " + " → ".join(g.nodes[n]["label"] for n in path))
