"""An audit anyone can re-run: the data graph and the shapes, written out, validated by
plain pySHACL (as a user would, from the two files) give the audit's own results.

``pathways validate CASES --data-graph data.ttl`` writes the data graph the shapes
validate, ``pathways export --format shapes`` the shapes graph (each rule written out per
severity shape, so no engine has to pre-bind ``$currentShape``); nothing else is needed.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph

from pathways.audit.results import results_from_report
from pathways.model.resources import SAMPLE_CASES

# a wrong role, a stated order broken, a late step (the sample's ground truth) and a
# compliant case: plain pySHACL takes tens of seconds a case on a whole graph
CASES = ["CE-002", "K-008", "CE-012", "K-001"]


def pathways(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pathways", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def key(result) -> tuple[str, str, str, tuple[str, ...]]:
    return (str(result.focus), str(result.shape), str(result.severity), tuple(sorted(result.messages)))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("elsewhere")
    with SAMPLE_CASES.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["case_id"] in CASES]
    cases = folder / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = pathways(
        "validate", str(cases), "--format", "ttl", "-o", "report.ttl", "--data-graph", "data.ttl", cwd=folder
    )
    assert done.returncode in (0, 1), done.stderr
    exported = pathways("export", "--format", "shapes", "-o", "shapes.ttl", cwd=folder)
    assert exported.returncode == 0, exported.stderr
    return {name: folder / f"{name}.ttl" for name in ("report", "data", "shapes")}


def test_plain_pyshacl_on_the_written_files_gives_the_audits_results(written) -> None:
    data = Graph().parse(written["data"], format="turtle")
    shapes = Graph().parse(written["shapes"], format="turtle")
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    theirs = sorted(key(r) for r in results_from_report(report))
    ours = sorted(key(r) for r in results_from_report(Graph().parse(written["report"], format="turtle")))
    assert ours, "the chosen cases have findings"
    assert theirs == ours


def test_the_data_graph_holds_every_case(written) -> None:
    text = written["data"].read_text(encoding="utf-8")
    for case_id in CASES:
        assert f'"{case_id}"' in text, case_id


def test_the_shapes_export_is_every_shape_of_the_audit_and_portable(written) -> None:
    """Every node shape, with its severity and target, is exported; no query depends on an
    engine pre-binding $currentShape (Jena and shacl-engine do not)."""
    from rdflib.namespace import RDF, SH

    from pathways.audit import shapes_graph

    exported = Graph().parse(written["shapes"], format="turtle")
    ours = shapes_graph()
    for shape in ours.subjects(RDF.type, SH.NodeShape):
        for link in (SH.severity, SH.targetClass, SH.targetSubjectsOf):
            assert set(exported.objects(shape, link)) == set(ours.objects(shape, link)), (shape, link)
    assert not [q for q in exported.objects(None, SH.select) if "$currentShape" in str(q)]
