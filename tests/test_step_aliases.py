"""Step ids are a stable public interface: a renamed id stays as an alias that still resolves.

A renamed step keeps its old IRI as ``owl:deprecated true ; dcterms:isReplacedBy`` the step
that replaces it (or another alias). An event naming the old id (or the old IRI) resolves to
the live step and is audited as it; the alias is no step, so nothing drawn, listed or
exported as a pathway shows it. ``pathways check`` refuses an alias that leads to no step,
a chain that loops, and an alias that is a live step or shares a live step's name. The
shipped model renames nothing: these tests add aliases to a copy of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from pathways.cases.csv_input import read_csv
from pathways.cases.rdf_input import read_rdf
from pathways.cases.resolving import Resolver, fold, renamed_steps
from pathways.model.checking import alias_problems, check_model
from pathways.model.graph import build_pathway_graph
from pathways.model.loading import load_graph, load_model, model_files
from pathways.model.policy import pathway
from pathways.model.resources import EXAMPLES_DIR, ONTOLOGY_DIR

CE = "https://w3id.org/stepupdown/cheshire-east/"
PATHWAY = "step-down-assessment"
LIVE = URIRef(f"{CE}{PATHWAY}.complete-cf-assessment")
SAMPLE = EXAMPLES_DIR / "sample-cases.csv"
CASE_TTL = Path(__file__).parent / "data" / "ce-case.ttl"

PREFIX = "\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
ALIASES = (
    PREFIX
    + """
ce:step-down-assessment.complete-assessment owl:deprecated true ;
    dcterms:isReplacedBy ce:step-down-assessment.complete-cf-assessment .

ce:step-down-assessment.assessment-done owl:deprecated true ;
    dcterms:isReplacedBy ce:step-down-assessment.complete-assessment .
"""
)


def _copy(root: Path, extra: str) -> Path:
    shutil.copytree(ONTOLOGY_DIR, root)
    if extra:
        authority = root / "authorities" / "cheshire-east.ttl"
        authority.write_text(authority.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(tmp_path_factory.mktemp("plain") / "ontology", "")


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(tmp_path_factory.mktemp("renamed") / "ontology", ALIASES)


def _run(ontology: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PATHWAYS_ONTOLOGY": str(ontology), "COLUMNS": "200"}
    return subprocess.Popen(
        [sys.executable, "-m", "pathways", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _done(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def test_the_aliases_pass_the_check(renamed: Path) -> None:
    assert check_model([renamed / "authorities" / "cheshire-east.ttl"]) == []


def test_an_old_id_resolves_to_the_step_that_replaces_it(renamed: Path) -> None:
    lookup = Resolver(load_model(renamed))
    steps = lookup.steps("cheshire-east", PATHWAY)
    for old in ("complete-assessment", "Complete_Assessment", f"{CE}{PATHWAY}.complete-assessment", "assessment-done"):
        assert steps[fold(old)] == LIVE, old
    text = SAMPLE.read_text(encoding="utf-8").replace(
        f",{PATHWAY},complete-cf-assessment,", f",{PATHWAY},complete-assessment,"
    )
    assert f",{PATHWAY},complete-assessment," in text
    batch = read_csv(text, "renamed.csv", lookup)
    assert not batch.rejected, batch.rejected[:3]
    ids = {e.node for case in batch.cases for e in case.events}
    assert "complete-cf-assessment" in ids and "complete-assessment" not in ids


def test_a_turtle_case_may_name_the_old_iri(renamed: Path) -> None:
    lookup = Resolver(load_model(renamed))
    text = CASE_TTL.read_text(encoding="utf-8")
    old = text.replace("ce:step-down-assessment.complete-cf-assessment", "ce:step-down-assessment.complete-assessment")
    assert old != text
    new_batch, old_batch = read_rdf(text, "case.ttl", "turtle", lookup), read_rdf(old, "case.ttl", "turtle", lookup)
    assert not old_batch.rejected, old_batch.rejected
    assert old_batch.cases == new_batch.cases


def test_the_shipped_model_renames_nothing() -> None:
    assert renamed_steps(load_model()) == {}


def test_the_audit_treats_an_old_id_as_the_new_step(renamed: Path, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "new" / "cases.csv").write_text(text, encoding="utf-8")
    (tmp_path / "old" / "cases.csv").write_text(
        text.replace(f",{PATHWAY},complete-cf-assessment,", f",{PATHWAY},assessment-done,"), encoding="utf-8"
    )
    runs = {
        name: _run(
            renamed, "validate", str(tmp_path / name / "cases.csv"), "-f", "csv", "-o", str(tmp_path / f"{name}.csv")
        )
        for name in ("old", "new")
    }
    results = {name: _done(p) for name, p in runs.items()}
    assert results["old"][0] == results["new"][0] in (0, 1), results
    old = (tmp_path / "old.csv").read_text(encoding="utf-8")
    assert old == (tmp_path / "new.csv").read_text(encoding="utf-8")
    assert "complete-cf-assessment" in old and "assessment-done" not in old


def test_an_alias_is_no_step(plain: Path, renamed: Path, tmp_path: Path) -> None:
    graph = load_model(renamed)
    members = set(build_pathway_graph(graph, "cheshire-east", PATHWAY).nodes)
    assert "complete-cf-assessment" in members
    assert not {"complete-assessment", "assessment-done"} & members
    assert pathway("cheshire-east", PATHWAY, graph) == pathway("cheshire-east", PATHWAY, load_model(plain))
    commands = {
        "show": ("show", "cheshire-east", PATHWAY, "--format", "json"),
        "graphml": ("export", "--format", "graphml"),
        "dot": ("export", "--format", "dot", "-o", "{out}/dot"),
        "mermaid": ("export", "--format", "mermaid", "-o", "{out}/mermaid"),
        "bpmn": ("export", "--format", "bpmn", "-o", "{out}/bpmn"),
    }
    runs = {}
    for which, ontology in (("plain", plain), ("renamed", renamed)):
        out = tmp_path / which
        out.mkdir()
        for name, args in commands.items():
            runs[which, name] = _run(ontology, *(a.format(out=out) for a in args))
    results = {key: _done(p) for key, p in runs.items()}
    for name in commands:
        code, out, err = results["renamed", name]
        assert code == 0, err
        assert (code, out) == results["plain", name][:2], name
        assert "complete-assessment" not in out and "assessment-done" not in out, name
    for folder in ("dot", "mermaid", "bpmn"):
        written = sorted((tmp_path / "renamed" / folder).iterdir())
        assert [p.name for p in written] == sorted(p.name for p in (tmp_path / "plain" / folder).iterdir())
        for path in written:
            body = path.read_text(encoding="utf-8")
            assert body == (tmp_path / "plain" / folder / path.name).read_text(encoding="utf-8"), path.name
            assert "complete-assessment" not in body, path.name


BROKEN = {
    "leads to no step": (
        "ce:step-down-assessment.old-dangling owl:deprecated true ;\n"
        "    dcterms:isReplacedBy ce:step-down-assessment.no-such-step .\n",
        {"ce:step-down-assessment.old-dangling": "leads to ce:step-down-assessment.no-such-step, which is not a step"},
    ),
    "chain loops": (
        "ce:step-down-assessment.old-a owl:deprecated true ; dcterms:isReplacedBy ce:step-down-assessment.old-b .\n"
        "ce:step-down-assessment.old-b owl:deprecated true ; dcterms:isReplacedBy ce:step-down-assessment.old-a .\n",
        {"ce:step-down-assessment.old-a": "chain loops", "ce:step-down-assessment.old-b": "chain loops"},
    ),
    "a live step deprecated": (
        "ce:step-down-assessment.family-consents owl:deprecated true ;\n"
        "    dcterms:isReplacedBy ce:step-down-assessment.complete-cf-assessment .\n",
        {"ce:step-down-assessment.family-consents": "still a step"},
    ),
    "an id that is a live step's name": (
        "ce:step-down-assessment.family-consents-to-ongoing-support owl:deprecated true ;\n"
        "    dcterms:isReplacedBy ce:step-down-assessment.complete-cf-assessment .\n",
        {
            "ce:step-down-assessment.family-consents-to-ongoing-support": (
                "is also a name of the step ce:step-down-assessment.family-consents"
            )
        },
    ),
    "not deprecated": (
        "ce:step-down-assessment.old-kept dcterms:isReplacedBy ce:step-down-assessment.complete-cf-assessment .\n",
        {"ce:step-down-assessment.old-kept": "is not owl:deprecated true"},
    ),
    "two replacements": (
        "ce:step-down-assessment.old-twice owl:deprecated true ;\n"
        "    dcterms:isReplacedBy ce:step-down-assessment.complete-cf-assessment ,"
        " ce:step-down-assessment.family-consents .\n",
        {"ce:step-down-assessment.old-twice": "has 2 dcterms:isReplacedBy"},
    ),
}


@pytest.mark.parametrize("mistake", sorted(BROKEN))
def test_a_broken_alias_is_named_and_resolves_to_nothing(mistake: str, tmp_path: Path) -> None:
    extra, expected = BROKEN[mistake]
    ontology = _copy(tmp_path / "ontology", PREFIX + extra)
    graph = load_graph(model_files(ontology))
    problems = alias_problems(graph)
    named = {graph.namespace_manager.normalizeUri(s): m for s, m in problems}
    assert set(named) == set(expected), problems
    for subject, message in named.items():
        assert expected[subject] in message, message
    # every live name still resolves to its own step; a broken alias resolves to nothing
    steps = Resolver(graph).steps("cheshire-east", PATHWAY)
    assert steps[fold("complete-cf-assessment")] == LIVE
    assert steps[fold("family-consents")] == URIRef(f"{CE}{PATHWAY}.family-consents")
    if mistake in {"leads to no step", "chain loops", "not deprecated"}:
        assert not {fold(n.rsplit(".", 1)[-1]) for n in expected} & set(steps)


def test_pathways_check_gives_one_line_each_naming_the_file_and_the_subject(tmp_path: Path) -> None:
    ontology = _copy(tmp_path / "ontology", PREFIX + "".join(extra for extra, _ in BROKEN.values()))
    code, out, err = _done(_run(ontology, "check"))
    assert code == 2, out + err
    assert "Traceback" not in out + err
    lines = (out + err).splitlines()
    for mistake, (_, expected) in BROKEN.items():
        for subject, message in expected.items():
            found = [line for line in lines if f"cheshire-east.ttl: {subject}: " in line and message in line]
            assert len(found) == 1, (mistake, subject, out + err)
