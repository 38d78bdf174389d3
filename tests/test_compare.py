"""Comparing authorities: the stated alignment is complete and well formed, `pathways compare`
reports every known difference between the two policies with both citations, its metrics come
from the pathway graphs, a third authority needs no code change, and the explorer's Compare
page colours corresponding steps alike."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pygraphviz
import pytest
from rdflib import Literal, URIRef
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from pathways import compare as cmp
from pathways.cli import app
from pathways.errors import InputError
from pathways.model import policy as catalogue
from pathways.model.graph import handoffs, pathway_graph, routes
from pathways.model.loading import load_graph, load_model, model_files
from pathways.model.resources import ALIGNMENTS_DIR, ONTOLOGY_DIR
from pathways.model.vocabulary import DCTERMS, PPLAN, PW, RDF, SKOS

ROOT = Path(__file__).resolve().parent.parent
KNOWN = Path(__file__).resolve().parent / "data" / "known-differences.csv"
CE, KN = "cheshire-east", "knowsley"
MATCH_TYPES = {PW.ExactMatch: "exact", PW.CloseMatch: "close", PW.PartialMatch: "partial"}
SKOS_MATCH = {
    SKOS.exactMatch: "exact",
    SKOS.closeMatch: "close",
    SKOS.broadMatch: "partial",
    SKOS.narrowMatch: "partial",
}


@pytest.fixture(scope="module")
def g():
    return load_model()


@pytest.fixture(scope="module")
def comparison():
    return cmp.compare_authorities(CE, KN)


@pytest.fixture(scope="module")
def reversed_comparison():
    return cmp.compare_authorities(KN, CE)


def known_differences() -> list[dict[str, str]]:
    with KNOWN.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def owner_id(g, term) -> str:
    """The id of the authority a term belongs to (independently of pathways.compare)."""
    for link in (PPLAN.isStepOfPlan, PW.onPathway, SKOS.inScheme, PW.partOf, PW.appliesTo, DCTERMS.isPartOf):
        target = g.value(term, link)
        if target is not None:
            return owner_id(g, target)
    if g.value(term, PW.authority) is not None:
        return str(g.value(g.value(term, PW.authority), DCTERMS.identifier))
    if (term, RDF.type, PW.Authority) in g:
        return str(g.value(term, DCTERMS.identifier))
    section = sorted(g.objects(term, PW.source))[0]
    return owner_id(g, section)


# ---------------------------------------------------------------- the alignment in the model


def test_one_alignment_file_per_pair_of_authorities(g):
    files = sorted(p.name for p in ALIGNMENTS_DIR.glob("*.ttl"))
    assert "cheshire-east--knowsley.ttl" in files
    found = cmp.alignments(g)
    assert {frozenset({CE, KN})} <= {a.authorities for a in found}
    for alignment in found:
        assert len(alignment.authorities) == 2


def test_every_pathway_is_aligned_or_explicitly_marked(g):
    for alignment in cmp.alignments(g):
        correspondences = list(g.subjects(PW.inAlignment, alignment.iri))
        two_sided = {
            t for c in correspondences if g.value(c, PW.right) for t in (g.value(c, PW.left), g.value(c, PW.right))
        }
        two_sided.discard(None)
        marked = {
            t
            for c in correspondences
            if (c, PW.noCounterpart, Literal(True)) in g
            for t in (*g.objects(c, PW.left), *g.objects(c, PW.right))
        }
        for authority_id in alignment.authorities:
            for plan in catalogue.pathways(g, authority_id):
                assert plan.iri in two_sided or plan.iri in marked, (
                    f"{authority_id}/{plan.id} neither aligned nor marked"
                )


def test_every_correspondence_is_stated_cited_and_explained(g):
    correspondences = set(g.subjects(RDF.type, PW.Correspondence))
    assert len(correspondences) > 100
    for c in correspondences:
        alignment = g.value(c, PW.inAlignment)
        assert (alignment, RDF.type, PW.Alignment) in g, c
        authorities = {str(g.value(a, DCTERMS.identifier)) for a in g.objects(alignment, PW.aligns)}
        lefts, rights = list(g.objects(c, PW.left)), list(g.objects(c, PW.right))
        assert len(lefts) <= 1 and len(rights) <= 1 and lefts + rights, c
        for term in lefts + rights:
            assert list(g.objects(term, RDF.type)), f"{c}: {term} is not in the model"
        sides = {owner_id(g, t) for t in lefts + rights}
        assert sides <= authorities and len(sides) == len(lefts + rights), f"{c}: sides {sides}"
        assert str(g.value(c, PW.rationale) or "").strip(), f"{c}: no rationale"
        cited = {owner_id(g, s) for s in g.objects(c, PW.source)}
        assert cited == authorities, f"{c}: pw:source cites {cited}, not both authorities"
        if lefts and rights:
            assert g.value(c, PW.matchType) in MATCH_TYPES, c
            assert (c, PW.noCounterpart, Literal(True)) not in g, c
        else:
            assert (c, PW.noCounterpart, Literal(True)) in g, f"{c}: one side without pw:noCounterpart"
            assert g.value(c, PW.matchType) is None, c


def test_alignment_terms_are_labelled_and_defined(g):
    for term in (PW.Alignment, PW.Correspondence, PW.left, PW.right, PW.matchType, PW.rationale, PW.noCounterpart):
        assert g.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None, term
        assert g.value(term, SKOS.definition) is not None, term


def test_levels_are_mapped_with_skos_and_the_reified_statement_agrees(g):
    level_classes = {PW.LevelOfNeed}
    level_corr = [
        c
        for c in g.subjects(RDF.type, PW.Correspondence)
        if any(set(g.objects(t, RDF.type)) & level_classes for t in (*g.objects(c, PW.left), *g.objects(c, PW.right)))
    ]
    assert level_corr
    stated = set()
    for c in level_corr:
        left, right = g.value(c, PW.left), g.value(c, PW.right)
        if right is None:
            continue
        mapping = g.value(c, PW.skosMapping)
        assert (left, mapping, right) in g, f"{c}: {mapping} not stated between {left} and {right}"
        assert MATCH_TYPES[g.value(c, PW.matchType)] == SKOS_MATCH[mapping], c
        stated.add((left, mapping, right))
    schemes = {s for s in g.subjects(RDF.type, PW.LevelScheme) if owner_id(g, s) == CE}
    ce_scheme = {concept for scheme in schemes for concept in g.subjects(SKOS.inScheme, scheme)}
    direct = {(s, p, o) for p in SKOS_MATCH for s, o in g.subject_objects(p) if s in ce_scheme}
    assert direct == stated
    mapped = {s for s, _, _ in direct}
    universal = [c for c in level_corr if g.value(c, PW.right) is None]
    assert {g.value(c, PW.left) for c in universal} | mapped >= {
        lv for lv in ce_scheme if (lv, RDF.type, PW.LevelOfNeed) in g
    }


def test_pathway_correspondences_agree_with_pathway_kinds(g):
    for c in g.subjects(RDF.type, PW.Correspondence):
        left, right = g.value(c, PW.left), g.value(c, PW.right)
        if (left, RDF.type, PW.Pathway) in g and right is not None:
            assert g.value(left, PW.pathwayKind) == g.value(right, PW.pathwayKind), c


def test_corresponding_steps_belong_to_corresponding_pathways(g):
    pairs = {
        (g.value(c, PW.left), g.value(c, PW.right))
        for c in g.subjects(RDF.type, PW.Correspondence)
        if (g.value(c, PW.left), RDF.type, PW.Pathway) in g
    }
    for c in g.subjects(RDF.type, PW.Correspondence):
        left, right = g.value(c, PW.left), g.value(c, PW.right)
        pl, pr = g.value(left, PPLAN.isStepOfPlan), g.value(right, PPLAN.isStepOfPlan)
        if pl is not None and pr is not None:
            assert (pl, pr) in pairs, f"{c}: steps of pathways that do not correspond"


# ---------------------------------------------------------------- the comparison reports the known differences


def test_known_differences_file_covers_the_brief():
    rows = known_differences()
    assert len(rows) >= 12
    ids = {r["id"] for r in rows}
    assert {
        "handover-deadline",
        "step-up-taf-wednesday",
        "checs-referral-2-hours",
        "referral-24-hours",
        "cf-assessment-45-days",
        "minimum-3-months",
        "first-taf-review",
        "bottom-lines",
        "step-up-request-contents",
        "out-of-hours",
        "escalation-cin",
        "levels-of-need",
    } <= ids
    for row in rows:
        assert row["cheshire_east_section"] and row["knowsley_section"], row["id"]
        assert row["cheshire_east_says"] or row["knowsley_says"], row["id"]


def _matches(side: cmp.Side, says: str, section: str) -> bool:
    if section not in side.sections:
        return False
    if says:
        return says.casefold() in side.text.casefold()
    return not side.stated


@pytest.mark.parametrize("known", known_differences(), ids=lambda r: r["id"])
def test_compare_reports_each_known_difference_with_both_citations(comparison, reversed_comparison, known):
    candidates = cmp.find_rows(comparison.rows(), known["pathway_kind"], known["aspect"])
    assert candidates, f"no {known['aspect']} rows for {known['pathway_kind']}"
    found = [
        r
        for r in candidates
        if _matches(r.a, known["cheshire_east_says"], known["cheshire_east_section"])
        and _matches(r.b, known["knowsley_says"], known["knowsley_section"])
    ]
    seen = [(r.a.text[:60], r.a.sections, r.b.text[:60], r.b.sections) for r in candidates]
    assert found, f"{known['id']}: not reported; rows of that aspect: {seen}"
    row = found[0]
    assert row.a.citation and row.b.citation
    # the same difference, seen from the other authority
    mirrored = [
        r
        for r in cmp.find_rows(reversed_comparison.rows(), known["pathway_kind"], known["aspect"])
        if r.a == row.b and r.b == row.a
    ]
    assert mirrored, f"{known['id']}: not reported when the authorities are swapped"


def test_every_row_cites_both_policies(comparison):
    rows = comparison.rows()
    assert len(rows) > 200
    uncited = [(r.kind, r.aspect, r.a.text[:40], r.b.text[:40]) for r in rows if not (r.a.citation and r.b.citation)]
    assert uncited == []


def test_each_aligned_pair_has_every_aspect(comparison):
    assert [(p.a.id, p.b.id) for p in comparison.pairs] == [
        ("step-down-assessment", "step-down-assessment"),
        ("step-down-cin", "step-down-cin"),
        ("step-up-immediate", "step-up-unplanned"),
        ("step-up-early-help", "step-up-planned"),
    ]
    for pair in comparison.pairs:
        aspects = {r.aspect for r in pair.rows}
        assert {"pathway", "trigger", "decision", "step", "end state", "role", "hand-offs", "document"} <= aspects
        assert {"requirement", "timescale", "escalation", "summary"} <= aspects
        unmatched = [r for r in pair.rows if r.match in (cmp.NO_COUNTERPART, cmp.NOT_ALIGNED)]
        assert any(not r.a.stated for r in unmatched) and any(not r.b.stated for r in unmatched)


def test_every_node_timescale_role_and_requirement_appears(comparison, g):
    """Nothing of either pathway is silently dropped: each node, timescale, acting role and
    requirement (or its set) is on some row of its pair."""
    for pair in comparison.pairs:
        for plan, side in ((pair.a, "a"), (pair.b, "b")):
            texts = " || ".join(getattr(r, side).text for r in pair.rows)
            digraph = pathway_graph(plan.authority.id, plan.id)
            for node, data in digraph.nodes(data=True):
                assert data["label"] in texts, f"{plan.id}: node {node} missing"
            for row in digraph.graph["timescales"]:
                assert row.label in texts, f"{plan.id}: timescale {row.label} missing"
            for requirement in catalogue.requirements(g, plan):
                assert requirement.label in texts or requirement.requirement_set in texts, requirement.id


def test_summary_metrics_are_computed_from_the_pathway_graphs(comparison):
    for pair in comparison.pairs:
        for index, plan in enumerate((pair.a, pair.b)):
            digraph = pathway_graph(plan.authority.id, plan.id)
            kinds = [k for _, k in digraph.nodes(data="kind")]
            all_routes = routes(digraph)
            distinct = {(h.from_roles, h.to_roles) for r in all_routes for h in handoffs(digraph, r)}
            metrics = {name: values[index] for name, values in pair.metrics.items()}
            assert metrics["steps"] == kinds.count("activity")
            assert metrics["decisions"] == kinds.count("decision")
            assert metrics["end states"] == kinds.count("end")
            assert metrics["routes"] == len(all_routes)
            assert metrics["hand-offs"] == len(distinct)
            assert metrics["longest route (steps)"] == max(len(r) for r in all_routes)
            assert "routes" in metrics["longest time (working days)"]


def test_the_comparison_is_symmetric(comparison, reversed_comparison):
    forward = {(r.kind, r.aspect, r.a.text, r.b.text, r.match) for r in comparison.rows()}
    backward = {(r.kind, r.aspect, r.b.text, r.a.text, r.match) for r in reversed_comparison.rows()}
    summary = {x for x in forward if x[1] in ("hand-offs", "escalation", "monitoring", "service hours", "summary")}
    assert forward - summary == backward - {x for x in backward if x[1] in {y[1] for y in summary}}


def test_no_policy_fact_or_authority_is_written_in_the_code():
    files = [*sorted((ROOT / "pathways" / "compare").glob("*.py")), ROOT / "pathways" / "render" / "comparison.py"]
    source = "".join(f.read_text(encoding="utf-8") for f in files).casefold()
    for word in ("cheshire", "knowsley", "checs", "mash", "wednesday", 'working days"', "step-down-cin", "45"):
        assert word not in source, word


def test_pathway_kind_filter_and_input_errors(g):
    only = cmp.compare_authorities(CE, KN, "planned-step-up")
    assert [(p.a.id, p.b.id) for p in only.pairs] == [("step-up-early-help", "step-up-planned")]
    assert only.general == []
    with pytest.raises(InputError, match="unknown pathway kind"):
        cmp.compare_authorities(CE, KN, "sideways")
    with pytest.raises(InputError, match="unknown authority"):
        cmp.compare_authorities(CE, "atlantis")
    with pytest.raises(InputError, match="two different authorities"):
        cmp.compare_authorities(KN, KN)


# ---------------------------------------------------------------- a third authority: one Turtle file and its alignment

THIRD = """
@prefix pw: <https://w3id.org/stepupdown/pathways#> .
@prefix ts: <https://w3id.org/stepupdown/testshire/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix p-plan: <http://purl.org/net/p-plan#> .

ts:authority a pw:Authority ; rdfs:label "Testshire"@en ; dcterms:identifier "testshire" .
ts:policy a pw:PolicyDocument ; dcterms:title "Testshire step up"@en ; pw:authority ts:authority .
ts:s1 a pw:Section ; pw:sectionNumber "1" ; dcterms:isPartOf ts:policy .
ts:levels a pw:LevelScheme ; skos:prefLabel "Testshire levels"@en ; pw:authority ts:authority ;
    skos:hasTopConcept ts:early-help , ts:social-care ; pw:source ts:s1 .
ts:early-help a pw:LevelOfNeed ; skos:inScheme ts:levels ; skos:prefLabel "Early help"@en ;
    pw:rank 1 ; pw:source ts:s1 .
ts:social-care a pw:LevelOfNeed ; skos:inScheme ts:levels ; skos:prefLabel "Social care"@en ;
    pw:rank 2 ; pw:source ts:s1 .
ts:worker a pw:Role ; rdfs:label "Key worker"@en ; pw:authority ts:authority ; pw:source ts:s1 .
ts:step-up a pw:Pathway ; dcterms:identifier "step-up" ; rdfs:label "Step up"@en ; pw:authority ts:authority ;
    pw:pathwayKind pw:PlannedStepUp ; pw:direction pw:StepUp ; pw:fromLevel ts:early-help ; pw:toLevel ts:social-care ;
    pw:source ts:s1 .
ts:step-up.concern a pw:Trigger ; p-plan:isStepOfPlan ts:step-up ; rdfs:label "Concern grows"@en ;
    pw:performedBy ts:worker ; pw:source ts:s1 ; pw:next [ pw:to ts:step-up.refer ] .
ts:step-up.refer a pw:Activity ; p-plan:isStepOfPlan ts:step-up ; rdfs:label "Key worker refers within 3 days"@en ;
    pw:performedBy ts:worker ; pw:source ts:s1 ; pw:next [ pw:to ts:step-up.done ] .
ts:step-up.done a pw:EndState ; p-plan:isStepOfPlan ts:step-up ; rdfs:label "Stepped up"@en ;
    pw:level ts:social-care ; pw:source ts:s1 .
ts:t-refer a pw:Timescale ; pw:onPathway ts:step-up ; rdfs:label "Referral within 3 days"@en ;
    time:numericDuration 3 ; time:unitType time:unitDay ; pw:timescaleKind pw:Deadline ;
    pw:runsFrom ts:step-up.concern ; pw:runsTo ts:step-up.refer ; pw:modality pw:Must ; pw:source ts:s1 .
"""

THIRD_ALIGNMENT = """
@prefix pw: <https://w3id.org/stepupdown/pathways#> .
@prefix ts: <https://w3id.org/stepupdown/testshire/> .
@prefix kn: <https://w3id.org/stepupdown/knowsley/> .
@prefix al: <https://w3id.org/stepupdown/alignment/knowsley--testshire/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

al:alignment a pw:Alignment ; pw:aligns kn:authority , ts:authority .
al:planned a pw:Correspondence ; pw:inAlignment al:alignment ; pw:left kn:step-up-planned ; pw:right ts:step-up ;
    pw:matchType pw:CloseMatch ; pw:source kn:s4 , ts:s1 ; pw:rationale "Both planned step ups." .
al:trigger a pw:Correspondence ; pw:inAlignment al:alignment ;
    pw:left kn:step-up-planned.needs-increasing ; pw:right ts:step-up.concern ;
    pw:matchType pw:CloseMatch ; pw:source kn:s4 , ts:s1 ; pw:rationale "Concern about increasing needs." .
al:wednesday a pw:Correspondence ; pw:inAlignment al:alignment ; pw:left kn:t-step-up-taf-wednesday ;
    pw:noCounterpart true ; pw:source kn:s4 , ts:s1 ; pw:rationale "Testshire fixes no day." .
al:lead a pw:Correspondence ; pw:inAlignment al:alignment ; pw:left kn:role-lead-practitioner ; pw:right ts:worker ;
    pw:matchType pw:PartialMatch ; pw:source kn:s4 , ts:s1 ; pw:rationale "The Early Help lead." .
kn:level-3 skos:closeMatch ts:early-help .
al:level a pw:Correspondence ; pw:inAlignment al:alignment ; pw:left kn:level-3 ; pw:right ts:early-help ;
    pw:matchType pw:CloseMatch ; pw:skosMapping skos:closeMatch ; pw:source kn:scope , ts:s1 ;
    pw:rationale "Early help." .
"""


def test_a_third_authority_is_compared_with_no_code_change(tmp_path):
    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, ontology)
    (ontology / "authorities" / "testshire.ttl").write_text(THIRD, encoding="utf-8")
    (ontology / "alignments" / "knowsley--testshire.ttl").write_text(THIRD_ALIGNMENT, encoding="utf-8")
    graph = load_graph(model_files(ontology))

    result = cmp.compare_authorities("knowsley", "testshire", graph=graph)
    paired = [(p.a.id if p.a else None, p.b.id if p.b else None, p.match) for p in result.pairs]
    assert ("step-up-planned", "step-up", "close") in paired
    assert ("step-down-cin", None, cmp.NOT_ALIGNED) in paired  # not aligned, and reported as such
    rows = [r for p in result.pairs if p.b is not None for r in p.rows]
    trigger = next(r for r in rows if r.aspect == "trigger")
    assert trigger.a.sections == ("4",) and trigger.b.sections == ("1",) and trigger.match == "close"
    wednesday = next(r for r in rows if r.aspect == "timescale" and "Wednesday" in r.a.text)
    assert wednesday.match == cmp.NO_COUNTERPART and wednesday.b.sections == ("1",)
    days = next(r for r in rows if r.aspect == "timescale" and "3 days" in r.b.text)
    assert days.match == cmp.NOT_ALIGNED and not days.a.stated
    assert any(r.aspect == "level" and r.match.startswith("close") for r in result.general)
    # the original pair is untouched by the new files
    assert len(cmp.compare_authorities(CE, KN, graph=graph).pairs) == 4


# ---------------------------------------------------------------- the command line


def test_compare_command_formats():
    runner = CliRunner()
    result = runner.invoke(app, ["compare", CE, KN, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert set(rows[0]) == {"kind", "aspect", CE, f"{CE} §", KN, f"{KN} §", "match", "note"}
    assert any(r["aspect"] == "timescale" and "Wednesday" in r[KN] and r[CE] == cmp.ABSENT for r in rows)

    result = runner.invoke(app, ["compare", KN, CE, "--pathway-kind", "step-down-from-cin", "--format", "json"])
    data = json.loads(result.stdout)
    assert [p["kind"] for p in data["pairs"]] == ["step-down-from-cin"]
    assert data["pairs"][0]["metrics"]["steps"] == {KN: 13, CE: 17}
    first = data["pairs"][0]["rows"][0]
    assert first[KN]["citation"].startswith("§2") and first[CE]["citation"]

    for fmt, marker in (("md", "| aspect |"), ("html", "<table>"), ("table", "Summary")):
        result = runner.invoke(app, ["compare", CE, KN, "-k", "immediate-step-up", "--format", fmt])
        assert result.exit_code == 0 and marker in result.stdout, fmt


def test_compare_command_writes_a_file_and_rejects_bad_input(tmp_path):
    out = tmp_path / "compare.html"
    result = CliRunner().invoke(app, ["compare", CE, KN, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "no counterpart" in page and "§7.2" in page

    bad = subprocess.run(
        [sys.executable, "-m", "pathways.cli", "compare", CE, KN, "--pathway-kind", "sideways"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "unknown pathway kind 'sideways'" in bad.stderr


# ---------------------------------------------------------------- the explorer's Compare page


def _compare_page():
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    from explorer.compare import page

    page()


def test_compare_page_colours_corresponding_steps_alike(comparison):
    at = AppTest.from_function(_compare_page, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="cmp-kind").set_value("step-down-from-cin").run()
    assert not at.exception, at.exception
    charts = at.get("graphviz_chart")
    assert len(charts) == 2
    left, right = (pygraphviz.AGraph(string=c.proto.spec) for c in charts)
    pair = next(p for p in comparison.pairs if p.kind == "step-down-from-cin")
    assert pair.node_pairs

    def badge(node) -> str:  # the match number, inside the box on its first line
        return node.attr["label"].split("\n", 1)[0]

    for a, b, _ in pair.node_pairs:
        assert left.get_node(a).attr["fillcolor"] == right.get_node(b).attr["fillcolor"], (a, b)
        assert badge(left.get_node(a)) == badge(right.get_node(b)), (a, b)
    matched_a = {a for a, _, _ in pair.node_pairs}
    unmatched = [n for n in left.nodes() if str(n) not in matched_a]
    assert unmatched and all("no counterpart" in badge(n) for n in unmatched)
    # one scale: each chart's size is its natural width times the same factor
    widths = [float(chart.graph_attr["size"].split(",")[0]) for chart in (left, right)]
    assert max(widths) <= 460 / 72 + 0.01
    assert len(at.dataframe) >= 2
    groups = {badge(left.get_node(a)) for a, _, _ in pair.node_pairs}
    colours = {left.get_node(a).attr["fillcolor"] for a, _, _ in pair.node_pairs}
    assert len(colours) == len(groups), "each match group has its own colour"
    everything = at.dataframe[1].value  # the "Side by side" tab
    assert any(str(m).startswith("exact") for m in everything["match"])
    at.toggle(key="cmp-differences-step-down-from-cin").set_value(True).run()
    differences = at.dataframe[1].value
    assert 0 < len(differences) < len(everything)
    assert not any(str(m).startswith("exact") for m in differences["match"])
