"""Another SHACL engine, Apache Jena's (Debian's ``libapache-jena-java``), on the two files
anyone can re-run the audit from gives pySHACL's results, finding by finding.

``pathways export --format shapes`` writes the portable shapes and ``pathways validate
CASES --data-graph FILE`` the data graph (as ``tests/test_rerun_elsewhere.py`` re-runs
plain pySHACL on them). Jena validates each data graph whole; pySHACL validates the same
data graph case by case: each case's triples (the subjects under the case's IRI) beside
every other triple of the file, which is the pathways' rules (no rule reads another case;
whole, pySHACL's time grows faster than the graph: tens of minutes on the conformance
suite's). pySHACL runs with each SPARQL query parsed once
(``pathways.model.sparql_cache``: rdflib's own evaluation, about twenty times faster), and
the two reports must hold the same results: focus node, source shape, severity, value and
messages, counted as a multiset.

Debian's Jena 4.5.0 (bookworm) cannot start as shipped: jena-core.jar holds its copy of
Xerces's classes under the package ``xerces`` but their message files under
``org/apache/jena/ext/xerces``, so the regular-expression parser finds no
``xerces.impl.xpath.regex.message`` bundle and the built-in XSD types fail to initialise
("internal error" from ``XSSimpleTypeDecl.applyFacets1`` while ``XSDDatatype`` loads):
the files are not where the classes look, so no JRE, class path order or ``javax.xml``
property changes it. The launcher below writes those message files, read from
jena-core.jar itself, where the classes look for them. The test is skipped only
when Java or Jena is missing (``make jena`` installs both, as root).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conformance_suite import load_cases
from rdflib import Graph, Literal

from pathways.audit.results import ValidationResult, results_from_report
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.resources import SAMPLE_CASES
from pathways.model.vocabulary import CASE, SH

JARS = Path("/usr/share/java")
# Jena's own jars and those of the Debian packages libapache-jena-java depends on that its
# SHACL validator loads (one slf4j binding: Debian ships several, which clash together).
CLASS_PATH = [
    "jena-core",
    "jena-base",
    "jena-iri",
    "jena-arq",
    "jena-shacl",
    "jena-cmds",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "guava",
    "gson",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jakarta.json-api",
    "jsonld-java",
    "titanium-json-ld",
    "httpclient",
    "httpcore",
    "protobuf",
    "thrift",
    "slf4j-api",
    "slf4j-simple",
]

Key = tuple[str, str, str, str | None, tuple[str, ...]]

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not (JARS / "jena-shacl.jar").is_file(),
    reason="Java or Apache Jena is not installed (Debian's libapache-jena-java and a JRE; `make jena` installs them)",
)


def pathways(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pathways", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def key(result: ValidationResult) -> Key:
    value = None if result.value is None else str(result.value)
    return (str(result.focus), str(result.shape), str(result.severity), value, tuple(sorted(result.messages)))


def message_files(core: Path, folder: Path) -> Path:
    """jena-core's Xerces message files, also written where its classes look for them."""
    with zipfile.ZipFile(core) as jar:
        names = jar.namelist()
        if "xerces/impl/dv/SchemaDVFactory.class" in names:
            for name in names:
                if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                    target = folder / name.removeprefix("org/apache/jena/ext/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
    return folder


@pytest.fixture(scope="module")
def jena(tmp_path_factory: pytest.TempPathFactory):
    """A function validating data with shapes by Jena's SHACL validator; the report graph."""
    jars = [JARS / f"{name}.jar" for name in CLASS_PATH]
    missing = [str(jar) for jar in jars if not jar.is_file()]
    assert not missing, f"Jena is installed but these jars of its dependencies are not: {missing}"
    overlay = message_files(JARS / "jena-core.jar", tmp_path_factory.mktemp("jena-messages"))
    class_path = os.pathsep.join([str(overlay), *map(str, jars)])

    def validate(shapes: Path, data: Path) -> Graph:
        command = ["java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", class_path, "shacl.shacl"]
        done = subprocess.run(
            [*command, "validate", "--shapes", str(shapes), "--data", str(data)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return Graph().parse(data=done.stdout, format="turtle")

    return validate


def synthetic_and_sample() -> str:
    cases, _ = synthesise(40, seed=15, deviation_share=0.6)
    sample = SAMPLE_CASES.read_text(encoding="utf-8").splitlines(keepends=True)
    return cases_csv(cases) + "".join(sample[1:])


SETS = {"conformance-suite": lambda: load_cases()[0], "synthetic-and-sample": synthetic_and_sample}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shapes")
    exported = pathways("export", "--format", "shapes", "-o", "shapes.ttl", cwd=folder)
    assert exported.returncode == 0, exported.stderr
    return folder / "shapes.ttl"


def written(name: str, folder: Path) -> tuple[Path, Counter[Key]]:
    """The data graph of a set of cases, and the audit's own results on them (its SHACL
    report: the default engine, which tests/test_three_engines.py holds to pySHACL's)."""
    (folder / "cases.csv").write_text(SETS[name](), encoding="utf-8")
    done = pathways("validate", "cases.csv", "-f", "ttl", "-o", "audit.ttl", "--data-graph", "data.ttl", cwd=folder)
    assert done.returncode in (0, 1), done.stderr
    audit = Graph().parse(folder / "audit.ttl", format="turtle")
    return folder / "data.ttl", Counter(key(r) for r in results_from_report(audit))


# what the forked pySHACL workers read (inherited, never pickled)
_SHARED: dict[str, object] = {}


def _pyshacl_case(case: str) -> list[Key]:
    from pyshacl import validate

    from pathways.model import sparql_cache

    sparql_cache.install()
    data = Graph()
    for triple in _SHARED["rules"]:
        data.add(triple)
    for triple in _SHARED["cases"][case]:
        data.add(triple)
    _, report, _ = validate(data, shacl_graph=_SHARED["shapes"], inference="none", allow_warnings=True, inplace=True)
    return [key(r) for r in results_from_report(report)]


def pyshacl_results(shapes: Path, data: Path) -> Counter[Key]:
    """pySHACL's results on the data graph, each case's triples with all the rules."""
    graph = Graph().parse(data, format="turtle")
    rules, cases = [], {}
    for triple in graph:
        subject = str(triple[0])
        if subject.startswith(str(CASE)):
            cases.setdefault(subject.removeprefix(str(CASE)).split("/")[0], []).append(triple)
        else:
            rules.append(triple)
    assert cases, "the data graph holds cases"
    _SHARED.update(rules=rules, cases=cases, shapes=Graph().parse(shapes, format="turtle"))
    try:
        with multiprocessing.get_context("fork").Pool(len(os.sched_getaffinity(0))) as pool:
            found = Counter(k for keys in pool.map(_pyshacl_case, sorted(cases), chunksize=1) for k in keys)
    finally:
        _SHARED.clear()
    return found


# Plain pySHACL on the exported files is run on the synthetic set; on the conformance suite
# (121 cases, minutes of pySHACL) Jena is held to the audit's report, which equals plain
# pySHACL's on the same files (tests/test_rerun_elsewhere.py, tests/test_conformance.py).
PLAIN_PYSHACL = {"synthetic-and-sample"}


@pytest.mark.parametrize("name", list(SETS))
def test_jena_gives_pyshacls_results(name: str, jena, shapes: Path, tmp_path: Path) -> None:
    data, audited = written(name, tmp_path)
    report = jena(shapes, data)
    theirs = Counter(key(r) for r in results_from_report(report))
    ours = pyshacl_results(shapes, data) if name in PLAIN_PYSHACL else audited
    assert ours == audited, "plain pySHACL on the exported files gives the audit's results"
    assert sum(ours.values()) > 10, "the cases have findings"
    assert {k[2] for k in ours} >= {str(SH.Violation), str(SH.Warning)}
    only_jena = sorted((theirs - ours).elements())
    only_pyshacl = sorted((ours - theirs).elements())
    assert not only_jena and not only_pyshacl, f"Jena only: {only_jena}\npySHACL only: {only_pyshacl}"
    assert set(report.objects(None, SH.conforms)) == {Literal(False)}
