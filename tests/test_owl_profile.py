"""The vocabulary and the whole model are OWL 2 DL, and a reasoner finds them consistent with
no unsatisfiable class.

Two maintained tools, both run offline:

- the OWL API's OWL 2 DL profile checker (Debian's ``libowlapi-java``), through
  ``tests/owl/ProfileCheck.java``: no violation, and no triple the RDF-to-OWL mapping leaves
  unparsed, in ``ontology/vocabulary.ttl`` alone and in the whole model (the files
  ``pathways.model.loading`` loads: the vocabulary, every authority and every alignment,
  merged). The OWL API also drops some triples without reporting them (the cells of an RDF
  list that no OWL construct uses), so the ontology it read is written back and compared
  with the model: it keeps every triple. The model holds no RDF list outside OWL's own
  constructs (an ordered escalation route is its ``pw:EscalationStep`` individuals, each
  with its ``pw:order``);
- the HermiT reasoner, as bundled by ``owlready2`` (a test dependency): the whole model is
  consistent and no named class is unsatisfiable.

Each tool is first shown to catch what it is run for, on small planted mistakes, so a pass
is not a tool that saw nothing. The profile check is skipped only when a JDK (the program is
a single source file, compiled when launched) or the OWL API is missing, the reasoner only
when Java is; ``make owl`` installs both, as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pathways.model.loading import load_graph, model_files
from pathways.model.resources import ONTOLOGY_DIR
from pathways.model.vocabulary import OWL, PW, RDF, RDFS, XSD

JARS = Path("/usr/share/java")
PROGRAM = Path(__file__).parent / "owl" / "ProfileCheck.java"
# The OWL API (one jar of all its modules) and the jars of the Debian packages
# libowlapi-java depends on that loading Turtle and checking the profile use (one slf4j
# binding, the silent one).
CLASS_PATH = [
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-rdf-api",
    "hppcrt",
    "jsr305",
    "atinject-jsr330-api",
    "xz",
    "rdf4j-model-api",
    "rdf4j-model",
    "rdf4j-model-vocabulary",
    "rdf4j-rio-api",
    "rdf4j-util",
    "slf4j-api",
    "slf4j-nop",
]

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="Java is not installed (`make owl` installs a JDK)"
)
needs_owlapi = pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("javac") is None or not (JARS / "owlapi-distribution.jar").is_file(),
    reason="a JDK or the OWL API is not installed (Debian's default-jdk-headless and libowlapi-java; `make owl`)",
)

# Small ontologies with one mistake each of the kinds the model had, and what the checker says.
PREFIXES = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
<https://example.org/ontology> a owl:Ontology .
"""
PLANTED = {
    "list range": (
        "ex:p a owl:ObjectProperty ; rdfs:range rdf:List .",
        "Use of reserved vocabulary for class IRI: rdf:List",
    ),
    "date range": (
        "ex:d a owl:DatatypeProperty ; rdfs:range xsd:date .",
        "Use of undeclared datatype: xsd:date",
    ),
    "year-month value": (
        'ex:d a owl:DatatypeProperty . ex:x ex:d "2025-01"^^xsd:gYearMonth .',
        "Use of undeclared datatype: xsd:gYearMonth",
    ),
    "undeclared external class": (
        "ex:A a owl:Class ; rdfs:subClassOf skos:Concept .",
        "Use of undeclared class: <http://www.w3.org/2004/02/skos/core#Concept>",
    ),
    "undeclared external link": (
        "ex:a skos:broader ex:b .",
        "Use of undeclared annotation property: <http://www.w3.org/2004/02/skos/core#broader>",
    ),
    "an import (never followed)": (
        "<https://example.org/ontology> owl:imports <http://www.w3.org/ns/prov-o> .",
        "Import not followed: http://www.w3.org/ns/prov-o",
    ),
    "object and annotation property at once": (
        "ex:p a owl:ObjectProperty , owl:AnnotationProperty . ex:x ex:p ex:y .",
        "Cannot pun between properties: <https://example.org/p>",
    ),
}
# An RDF list as a property's value, as the model's escalation routes once were: the OWL API
# reports nothing and drops the list's cells, which the read-back comparison must catch.
LIST_VALUE = "ex:p a owl:ObjectProperty . ex:x ex:p ( ex:a ex:b ) ."
LIST_VALUE_FILE = "planted-list-value.ttl"


@pytest.fixture(scope="module")
def whole_model(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return load_graph(model_files())


@pytest.fixture(scope="module")
def read_back(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the checker writes each ontology back to, as it read it."""
    return tmp_path_factory.mktemp("owl-read-back")


@pytest.fixture(scope="module")
def profile(
    whole_model: Graph, read_back: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, list[str]]]:
    """The checker's report on each file it is run on, by name: the axioms it read, and its
    violations (one line each), from one run of the program."""
    folder = tmp_path_factory.mktemp("owl-profile")
    files = {"vocabulary": ONTOLOGY_DIR / "vocabulary.ttl", "whole model": folder / "whole-model.ttl"}
    whole_model.serialize(files["whole model"], format="turtle")
    for name, (turtle, _) in PLANTED.items():
        files[name] = folder / f"planted-{len(files)}.ttl"
        files[name].write_text(PREFIXES + turtle + "\n", encoding="utf-8")
    files["list value"] = folder / LIST_VALUE_FILE
    files["list value"].write_text(PREFIXES + LIST_VALUE + "\n", encoding="utf-8")
    jars = [JARS / f"{name}.jar" for name in CLASS_PATH]
    missing = [str(jar) for jar in jars if not jar.is_file()]
    assert not missing, f"the OWL API is installed but these jars of its dependencies are not: {missing}"
    done = subprocess.run(
        ["java", f"-Dowl.readBack={read_back}", "-cp", os.pathsep.join(map(str, jars)), str(PROGRAM)]
        + [str(path) for path in files.values()],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines: dict[str, list[str]] = {str(path): [] for path in files.values()}
    for line in done.stdout.splitlines():
        path, _, text = line.partition("\t")
        lines[path].append(text)
    report = {}
    for name, path in files.items():
        *violations, axioms, total = lines[str(path)]
        assert axioms.startswith("axioms: ") and total == f"violations: {len(violations)}", lines[str(path)]
        report[name] = (int(axioms.removeprefix("axioms: ")), violations)
    return report


@needs_owlapi
@pytest.mark.parametrize("mistake", list(PLANTED))
def test_the_profile_checker_reports_each_planted_mistake(mistake: str, profile) -> None:
    _, violations = profile[mistake]
    expected = PLANTED[mistake][1]
    assert [v for v in violations if v.startswith(expected)], violations


@needs_owlapi
@pytest.mark.parametrize("name", ["vocabulary", "whole model"])
def test_owl2_dl_profile_has_no_violation(name: str, profile) -> None:
    axioms, violations = profile[name]
    assert axioms > (700 if name == "vocabulary" else 7000), "the checker read the file"
    assert violations == [], f"{len(violations)} OWL 2 DL violation(s) in the {name}:\n" + "\n".join(violations)


# Axioms OWL may write with their two sides in the other order.
SYMMETRIC = {
    OWL.disjointWith,
    OWL.propertyDisjointWith,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.sameAs,
    OWL.differentFrom,
}


def shapes(graph: Graph) -> Counter[tuple[Node | str, ...]]:
    """The graph's triples with each blank node as "_" (two graphs name them apart), a
    string literal in one form (RDF 1.1: "a" is "a"^^xsd:string) and the two sides of a
    symmetric axiom in one order."""

    def one(term: Node) -> Node | str:
        if isinstance(term, BNode):
            return "_"
        if isinstance(term, Literal) and term.datatype == XSD.string:
            return Literal(str(term))
        return term

    found: Counter[tuple[Node | str, ...]] = Counter()
    for s, p, o in graph:
        ends = (one(s), one(o))
        if p in SYMMETRIC:
            ends = tuple(sorted(ends, key=str))
        found[(ends[0], p, ends[1])] += 1
    return found


@needs_owlapi
def test_the_read_back_comparison_catches_a_dropped_list(profile, read_back: Path):
    given = Graph().parse(data=PREFIXES + LIST_VALUE, format="turtle")
    read = Graph().parse(read_back / LIST_VALUE_FILE)
    lost = shapes(given) - shapes(read)
    assert {p for _, p, _ in lost} == {RDF.first, RDF.rest}, sorted(map(str, lost))


@needs_owlapi
@pytest.mark.parametrize("name", ["vocabulary", "whole model"])
def test_owl_reads_every_triple(name: str, profile, read_back: Path, whole_model: Graph):
    given = whole_model if name == "whole model" else load_graph([ONTOLOGY_DIR / "vocabulary.ttl"])
    read = Graph().parse(read_back / ("whole-model.ttl" if name == "whole model" else "vocabulary.ttl"))
    lost = shapes(given) - shapes(read)
    assert not lost, f"triples OWL does not read: {sorted(map(str, lost.elements()))}"


# ---------------------------------------------------------------- the reasoner


def hermit(graph: Graph, folder: Path) -> tuple[bool, list[str]]:
    """HermiT (owlready2's) on a graph: whether it is consistent, and its unsatisfiable named classes."""
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner_hermit

    path = folder / "model.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except OwlReadyInconsistentOntologyError:
        return False, []
    return True, sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))


def vocabulary_with(*triples: tuple) -> Graph:
    graph = load_graph([ONTOLOGY_DIR / "vocabulary.ttl"])
    for triple in triples:
        graph.add(triple)
    return graph


EX = "https://example.org/"
PLANTED_INCONSISTENT = {
    "an individual of two disjoint kinds": [
        (URIRef(EX + "x"), RDF.type, PW.Role),
        (URIRef(EX + "x"), RDF.type, PW.Authority),
    ],
    "a node both a decision and an end state": [
        (URIRef(EX + "n"), RDF.type, PW.Decision),
        (URIRef(EX + "n"), RDF.type, PW.EndState),
    ],
    "a role accountable for a step and only taking part in it": [
        (URIRef(EX + "n"), PW.performedBy, URIRef(EX + "r")),
        (URIRef(EX + "n"), PW.involves, URIRef(EX + "r")),
    ],
    "a month not written YYYY-MM": [(URIRef(EX + "d"), PW.effectiveFrom, Literal("January 2025"))],
}


@needs_java
@pytest.mark.parametrize("mistake", list(PLANTED_INCONSISTENT))
def test_the_reasoner_finds_each_planted_inconsistency(mistake: str, tmp_path: Path) -> None:
    consistent, _ = hermit(vocabulary_with(*PLANTED_INCONSISTENT[mistake]), tmp_path)
    assert not consistent


@needs_java
def test_the_reasoner_finds_a_planted_unsatisfiable_class(tmp_path: Path) -> None:
    odd = URIRef(EX + "RoleAndAuthority")
    consistent, unsatisfiable = hermit(
        vocabulary_with(
            (odd, RDF.type, OWL.Class),
            (odd, RDFS.subClassOf, PW.Role),
            (odd, RDFS.subClassOf, PW.Authority),
        ),
        tmp_path,
    )
    assert consistent and unsatisfiable == [str(odd)]


@needs_java
def test_the_whole_model_is_consistent_with_no_unsatisfiable_class(whole_model: Graph, tmp_path: Path) -> None:
    consistent, unsatisfiable = hermit(whole_model, tmp_path)
    assert consistent, "HermiT finds the whole model inconsistent"
    assert unsatisfiable == [], f"unsatisfiable classes: {unsatisfiable}"
