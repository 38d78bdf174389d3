"""Compare page (for policy authors and commissioners): two authorities' pathways of one kind side by side.

The two flowcharts are the Flowcharts page's charts, recoloured and drawn at one scale: nodes
that the alignment states as corresponding share a fill colour and a group number (M1, M2, ...,
inside the box) across the two charts; a node with no counterpart on the other pathway is white
with a red dashed border. Below them, the
comparison table of ``pathways compare`` (every row citing both policies) and the summary metrics.

Register it in app.py / explorer.pages() with ``st.Page(explorer.compare.page, title="Compare", ...)``.
"""

from __future__ import annotations

import graphviz
import streamlit as st

from explorer import common
from pathways import compare as comparison
from pathways.render.comparison import pair_title
from pathways.render.palette import MATCH_COLOURS
from viz.flowchart import flowchart

UNMATCHED_BORDER = "#c0392b"
CHART_POINTS = 460  # a column's width at 1440 pixels, in points (one chart each side)


def group_colour(number: int) -> str:
    """The fill of match group ``number`` (1-based), from a palette of distinct pastels."""
    return MATCH_COLOURS[(number - 1) % len(MATCH_COLOURS)]


@st.cache_resource(show_spinner=False)
def natural_width(authority_id: str, pathway_id: str) -> float:
    """A pathway chart's width in points as Graphviz lays it out (no legend)."""
    import pygraphviz

    agraph = pygraphviz.AGraph(string=flowchart(common.digraph(authority_id, pathway_id), legend=False).source)
    agraph.layout(prog="dot")
    return float(agraph.graph_attr["bb"].split(",")[2])


def coloured_flowchart(
    authority_id: str, pathway_id: str, groups: dict[str, int], scale: float = 1.0
) -> graphviz.Digraph:
    """The pathway's flowchart with matched nodes filled by group colour and numbered in the box
    (M1, M2, ...), unmatched ones marked, drawn at ``scale`` (the same for both charts)."""
    digraph = common.digraph(authority_id, pathway_id)
    badges = {node: f"M{number}" for node, number in groups.items()}
    badges |= {node: "\u2718 no counterpart" for node in digraph if node not in groups}
    dot = flowchart(digraph, legend=False, badges=badges)
    width = natural_width(authority_id, pathway_id) * scale / 72
    dot.attr(size=f"{width:.2f},1000")
    for node, data in digraph.nodes(data=True):
        kind = data["kind"]
        style = {"trigger": "rounded,filled,bold", "end": "rounded,filled"}.get(kind, "filled")
        if data["optional"] or data["escalation"]:
            style += ",dashed"
        if node in groups:
            dot.node(node, fillcolor=group_colour(groups[node]), style=style, fontcolor="#222222",
                     **{"class": f"match-{groups[node]}"})  # fmt: skip
        else:
            dot.node(
                node,
                fillcolor="#ffffff",
                color=UNMATCHED_BORDER,
                penwidth="2",
                style=style.replace("filled", "filled,dashed") if "dashed" not in style else style,
                fontcolor="#555555",
                **{"class": "no-counterpart"},
            )
    return dot


@st.cache_resource(show_spinner="Comparing the two policies…")
def cached_comparison(a_id: str, b_id: str, kind: str | None) -> comparison.Comparison:
    return comparison.compare_authorities(a_id, b_id, kind, common.model())


def aligned_authority_pairs() -> list[tuple[str, str]]:
    return sorted(tuple(sorted(al.authorities)) for al in comparison.alignments(common.model()))


def _metrics_table(result: comparison.Comparison, pair: comparison.PathwayPair) -> list[dict]:
    return [{"metric": name, result.a.name: str(va), result.b.name: str(vb)} for name, (va, vb) in pair.metrics.items()]


ROW_COLUMNS = {
    "aspect": st.column_config.TextColumn(width="small"),
    "match": st.column_config.TextColumn(width="small"),
}


def _rows_table(result: comparison.Comparison, rows: list[comparison.Row]) -> list[dict]:
    return [
        {
            "aspect": r.aspect,
            result.a.name: r.a.display(),
            f"{result.a.name} §": r.a.citation,
            result.b.name: r.b.display(),
            f"{result.b.name} §": r.b.citation,
            "match": r.match,
            "note": r.note,
        }
        for r in rows
        if r.aspect != "summary"
    ]


def page() -> None:
    """Render the Compare page."""
    common.page_header(
        "Compare",
        "For policy authors and commissioners: two authorities' pathways of the same kind side by side, "
        "matched step by step from the stated alignment, with every difference cited in both policies.",
    )
    pairs = aligned_authority_pairs()
    if not pairs:
        st.info("No alignment between authorities is in the model (ontology/alignments/).")
        return
    names = {a.id: a.name for a in common.authorities()}
    first, second, third = st.columns([1, 1, 2])
    with first:
        a_id = st.selectbox(
            "Authority",
            sorted({x for pair in pairs for x in pair}),
            format_func=lambda a: names.get(a, a),
            key="cmp-a",
        )
    partners = sorted({y for pair in pairs for y in pair if a_id in pair and y != a_id})
    if not partners:
        st.info(f"{names.get(a_id, a_id)} has no alignment with another authority yet.")
        return
    with second:
        b_id = st.selectbox("Compared with", partners, format_func=lambda b: names.get(b, b), key=f"cmp-b-{a_id}")
    everything = cached_comparison(a_id, b_id, None)
    kinds = [p.kind for p in everything.pairs if p.a is not None and p.b is not None]
    titles = {p.kind: pair_title(everything, p) for p in everything.pairs}
    with third:
        kind = st.selectbox(
            "Pathway kind", list(dict.fromkeys(kinds)), format_func=lambda k: titles.get(k, k), key="cmp-kind"
        )
    result = cached_comparison(a_id, b_id, kind)
    pair = next(p for p in result.pairs if p.a is not None and p.b is not None)
    groups_a, groups_b = comparison.match_groups(pair)

    st.markdown(f"**Match:** {common.md(pair.match)} — {common.md(pair.rationale)}")
    # one scale for both charts: the wider fits its column, the other is drawn at the same scale
    widest = max(natural_width(a_id, pair.a.id), natural_width(b_id, pair.b.id))
    scale = min(1.0, CHART_POINTS / widest)
    left, right = st.columns(2, gap="medium")
    with left:
        st.subheader(result.a.name)
        st.caption(pair.a.flowchart_title)
        st.graphviz_chart(coloured_flowchart(a_id, pair.a.id, groups_a, scale).source, width="content")
    with right:
        st.subheader(result.b.name)
        st.caption(pair.b.flowchart_title)
        st.graphviz_chart(coloured_flowchart(b_id, pair.b.id, groups_b, scale).source, width="content")
    only_a = len(common.digraph(a_id, pair.a.id)) - len(groups_a)
    only_b = len(common.digraph(b_id, pair.b.id)) - len(groups_b)
    st.caption(
        f"Same colour and number (M1, M2, …): steps the alignment states as corresponding. "
        f"White with a red dashed border: no counterpart ({only_a} in {result.a.name}, {only_b} in {result.b.name})."
    )

    metrics_tab, rows_tab, levels_tab = st.tabs(["Summary", "Side by side", "Levels of need"])
    with metrics_tab:
        st.dataframe(_metrics_table(result, pair), hide_index=True)
    with rows_tab:
        aspects = list(dict.fromkeys(r.aspect for r in pair.rows if r.aspect != "summary"))
        choose, only = st.columns([4, 1])
        chosen = choose.multiselect("Aspects", aspects, default=aspects, key=f"cmp-aspects-{kind}")
        differences = only.toggle("Differences only", key=f"cmp-differences-{kind}")
        shown = [r for r in pair.rows if r.aspect in chosen and not (differences and r.match.startswith("exact"))]
        st.dataframe(_rows_table(result, shown), hide_index=True, column_config=ROW_COLUMNS)
    with levels_tab:
        st.dataframe(_rows_table(result, everything.general), hide_index=True)
