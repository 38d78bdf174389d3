"""Walkthrough page (for trainers): step through a pathway one node at a time, from its trigger.

Made for a projector at 1920×1080 or 1366×768: the current step's name and the buttons that
move on (each branch of a decision, Back, Restart) come first, above the fold; beside the
step's who / when / why, a close-up of the chart (the step before, the step, the ways on)
is drawn large, so the current step is always in view; the whole chart is one click away.
The route is kept in the page's address (``?authority=…&pathway=…&steps=a,b,c``), so a
trainer can bookmark a step and come back to it.
"""

from __future__ import annotations

from itertools import pairwise

import streamlit as st

from explorer import common
from pathways.model import display_order, format_section, roles_of, trigger
from viz.flowchart import Overlay, flowchart

PLAIN_KINDS = {"trigger": "how it starts", "activity": "a step", "decision": "a decision", "end": "where it ends"}
WHOLE = "walk-whole"  # the key of the whole chart's section (open or closed)


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


def route_from_address(g, steps: str) -> list[str] | None:
    """The route a bookmarked address names, if it is a walk of this chart from its trigger."""
    path = [s for s in steps.split(",") if s]
    if not path or path[0] != trigger(g) or any(n not in g for n in path):
        return None
    if any(not g.has_edge(a, b) for a, b in pairwise(path)):
        return None
    return path


def restore_from_address() -> None:
    """On the first run of a session, take the authority, pathway and route from the address."""
    if st.session_state.get("walk-restored"):
        return
    st.session_state["walk-restored"] = True
    params = st.query_params
    authority_id, pathway_id = params.get("authority"), params.get("pathway")
    known = {(p.authority.id, p.id) for p in common.all_pathways()}
    if (authority_id, pathway_id) not in known:
        return
    st.session_state["walk-authority"] = authority_id
    st.session_state[f"walk-pathway-{authority_id}"] = pathway_id
    path = route_from_address(common.digraph(authority_id, pathway_id), params.get("steps", ""))
    if path:
        st.session_state[path_key(authority_id, pathway_id)] = path


def close_up(g, path: list[str]):
    """The step before, the current step and the ways on: a small chart drawn large."""
    node = path[-1]
    keep = [*path[-2:], *g.successors(node)]
    part = g.subgraph(keep).copy()
    part.graph.update(g.graph, flowchart_title="")
    overlay = Overlay(case_id="walkthrough", route=path[-2:], visited={n: [] for n in path[-2:]})
    dot = flowchart(part, overlay, legend=False)
    dot.attr(label="", nodesep="0.6", ranksep="0.5")
    dot.node(node, color="#d35400", penwidth="6")
    return dot


def whole_chart(g, title: str, path: list[str]):
    """The whole pathway with the route so far, the current step outlined."""
    overlay = Overlay(case_id="walkthrough", route=list(path), visited={n: [] for n in path})
    whole = flowchart(g, overlay)
    whole.attr(label=f"{title}\nWalkthrough: step {len(path)}")
    whole.node(path[-1], color="#d35400", penwidth="5")
    return whole


# The DOT of both charts depends only on the pathway (read once per process) and the route:
# made once per route and kept in memory (a Back, a Restart or another trainer on the same
# route draws them at once). Bounded: a route is a few steps of one of a few pathways.
@st.cache_data(show_spinner=False, max_entries=512)
def close_up_source(authority_id: str, pathway_id: str, path: tuple[str, ...]) -> str:
    return close_up(common.digraph(authority_id, pathway_id), list(path)).source


@st.cache_data(show_spinner=False, max_entries=512)
def whole_chart_source(authority_id: str, pathway_id: str, path: tuple[str, ...]) -> str:
    title = common.plan(authority_id, pathway_id).flowchart_title
    return whole_chart(common.digraph(authority_id, pathway_id), title, list(path)).source


common.page_header(
    "Walkthrough",
    "For trainers: walk a pathway from its trigger one step at a time, with who does each step, by when "
    "and why, choosing a branch at each decision. Made to be read on a projector.",
)
restore_from_address()
authority_id, pathway_id = common.pathway_picker("walk")
g = common.digraph(authority_id, pathway_id)
key = path_key(authority_id, pathway_id)
start = trigger(g)
if not st.session_state.get(key) or route_from_address(g, ",".join(st.session_state[key])) is None:
    st.session_state[key] = [start]
path: list[str] = st.session_state[key]
node = path[-1]
data = g.nodes[node]
st.query_params.update(authority=authority_id, pathway=pathway_id, steps=",".join(path))

story, chart = st.columns([3, 2], gap="large")
with chart:  # the close-up first on the right, level with the step's name: always in view
    st.graphviz_chart(close_up_source(authority_id, pathway_id, tuple(path)), width="stretch")

with story:
    # ------------------------------------------------------------ the step and the way on, first
    st.markdown(f"#### Step {len(path)}: {PLAIN_KINDS.get(data['kind'], data['kind'])}")
    st.markdown(f"## {common.md(data['label'])}")
    ways = choices(g, node)
    if data["kind"] == "end" or not ways:
        st.success(f"End of the pathway: {data['label']}", icon=":material/flag:")
    else:
        if data["kind"] == "decision" or len(ways) > 1:
            st.markdown("**Which way?**")
        buttons = st.columns(len(ways))
        for number, (text, target) in enumerate(ways):
            buttons[number].button(
                text if len(ways) > 1 else f"Next: {text}",
                key=f"walk-branch-{number}",
                on_click=go,
                args=(key, target),
                type="primary",
                width="stretch",
                wrap=True,
            )
    moves = st.columns(2)
    moves[0].button(
        "Back", key="walk-back", on_click=back, args=(key,), disabled=len(path) < 2, icon=":material/undo:",
        width="stretch",
    )  # fmt: skip
    moves[1].button(
        "Restart", key="walk-restart", on_click=restart, args=(key, start), icon=":material/restart_alt:",
        width="stretch",
    )  # fmt: skip

    # ------------------------------------------------------------ who, when, why
    roles = roles_of(data)
    if roles and data["kind"] != "end":
        who = ", ".join(roles)
        if data["involves"]:
            who += f" (with {', '.join(data['involves'])})"
        st.markdown(f"### Who: {common.md(who)}")
    timed = [row for row in g.graph["timescales"] if row.regulated_step == node]
    labels = dict(g.nodes(data="label"))
    if timed:
        for row in timed:
            st.markdown(
                f"### When: {common.md(row.in_words(labels))} ({common.md(row.modality)}, {format_section(row.source)})"
            )
    elif data["kind"] not in {"trigger", "end"}:
        st.markdown("### When: the policy sets no timescale for this step")
    if data["modality"]:
        wording = f" — “{common.md(data['wording'])}”" if data["wording"] else ""
        st.markdown(f"### The policy says: {common.md(data['modality'])}{wording}")
    cited = common.node_citation(data["iri"])
    if cited is not None:
        st.markdown(f"### Why: {common.md(str(cited))}")
        if cited.section_title:
            st.caption(cited.section_title)
        if cited.quote:
            st.markdown(f"#### “{common.md(' '.join(cited.quote.split()))}”")
    elif data.get("model_added"):
        st.markdown("### Why: the text does not state this step; the chart adds it so a decision has two exits.")
    if data["ambiguity"]:
        st.info(data["ambiguity"], icon=":material/help:")
    st.markdown("**The route so far**")
    st.markdown("\n".join(f"{i}. {common.md(g.nodes[n]['label'])}" for i, n in enumerate(path, start=1)))

# Drawn only while open: the browser lays a chart out again whenever its DOT changes, and
# this one changes on every step (the route so far), so a closed section drawing it made
# each step take about 0.65 s instead of 0.27 s.
whole = st.expander("The whole pathway, with the route so far", key=WHOLE, on_change="rerun")
if whole.open:
    with whole:
        st.graphviz_chart(whole_chart_source(authority_id, pathway_id, tuple(path)), width="stretch")
