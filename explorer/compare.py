"""Compare page (for policy authors and commissioners): two authorities' pathways of one kind side by side.

The two flowcharts are the Flowcharts page's charts, recoloured: nodes that the alignment states
as corresponding share a fill colour and a group number (M1, M2, ...) across the two charts; a
node with no counterpart on the other pathway is white with a red dashed border. Below them, the
comparison table of ``pathways compare`` (every row citing both policies) and the summary metrics.

Register it in app.py / explorer.pages() with ``st.Page(explorer.compare.page, title="Compare", ...)``.
"""

from __future__ import annotations

import colorsys

import graphviz
import streamlit as st

from explorer import common
from pathways import compare as comparison
from pathways.render.comparison import pair_title
from viz.flowchart import flowchart

UNMATCHED_BORDER = "#c0392b"


def group_colour(number: int) -> str:
    """A distinct pastel fill for match group ``number`` (golden-ratio hues)."""
    red, green, blue = colorsys.hsv_to_rgb((number * 0.618033988749895) % 1.0, 0.32, 0.98)
    return f"#{int(red * 255):02x}{int(green * 255):02x}{int(blue * 255):02x}"


def coloured_flowchart(authority_id: str, pathway_id: str, groups: dict[str, int]) -> graphviz.Digraph:
    """The pathway's flowchart with matched nodes filled by group colour and unmatched ones marked."""
    digraph = common.digraph(authority_id, pathway_id)
    dot = flowchart(digraph, legend=False)
    dot.attr(forcelabels="true")
    for node, data in digraph.nodes(data=True):
        kind = data["kind"]
        style = {"trigger": "rounded,filled,bold", "end": "rounded,filled"}.get(kind, "filled")
        if data["optional"] or data["escalation"]:
            style += ",dashed"
        if node in groups:
            number = groups[node]
            dot.node(node, fillcolor=group_colour(number), style=style, xlabel=f"M{number}", fontcolor="#222222")
        else:
            dot.node(
                node,
                fillcolor="#ffffff",
                color=UNMATCHED_BORDER,
                penwidth="2",
                style=style.replace("filled", "filled,dashed") if "dashed" not in style else style,
                xlabel="\u2718 no counterpart",
                fontcolor="#555555",
            )
    return dot


@st.cache_resource(show_spinner="Comparing the two policies…")
def cached_comparison(a_id: str, b_id: str, kind: str | None) -> comparison.Comparison:
    return comparison.compare_authorities(a_id, b_id, kind, common.model())


def aligned_authority_pairs() -> list[tuple[str, str]]:
    return sorted(tuple(sorted(al.authorities)) for al in comparison.alignments(common.model()))


def _metrics_table(result: comparison.Comparison, pair: comparison.PathwayPair) -> list[dict]:
    return [{"metric": name, result.a.name: str(va), result.b.name: str(vb)} for name, (va, vb) in pair.metrics.items()]


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
    left, right = st.columns(2, gap="medium")
    with left:
        st.subheader(result.a.name)
        st.caption(pair.a.flowchart_title)
        st.graphviz_chart(coloured_flowchart(a_id, pair.a.id, groups_a).source, width="stretch")
    with right:
        st.subheader(result.b.name)
        st.caption(pair.b.flowchart_title)
        st.graphviz_chart(coloured_flowchart(b_id, pair.b.id, groups_b).source, width="stretch")
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
        chosen = st.multiselect("Aspects", aspects, default=aspects, key=f"cmp-aspects-{kind}")
        st.dataframe(_rows_table(result, [r for r in pair.rows if r.aspect in chosen]), hide_index=True)
    with levels_tab:
        st.dataframe(_rows_table(result, everything.general), hide_index=True)
