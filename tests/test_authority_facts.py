"""Each authority's encoding against the expectations read from its policy document.

The tables live beside the authority, as data: ``tests/authorities/<authority id>/facts.json`` (facts
read from the document, section by section, each of which must be in the model and cite that
section) and ``document.json`` (the document's issue date and source file, its pathways in order,
its numbered sections, minimum counts). Adding a folder adds its tables; no test names an authority.
The format is described in ``tests/authorities/README.md``; the checks are in ``authority_checks.py``.
"""

from __future__ import annotations

import pytest
from authority_checks import Encoding, normalise, read_document, read_facts, run_fact, table_folders
from rdflib import Graph, Literal

from pathways.model.loading import load_model
from pathways.model.resources import SOURCES_DIR
from pathways.model.vocabulary import DCTERMS, PW, RDF, SKOS

FOLDERS = table_folders()
DOCUMENTS = {folder.name: read_document(folder) for folder in FOLDERS}


@pytest.fixture(scope="module")
def g() -> Graph:
    return load_model()


def fact_id(param) -> str:
    authority_id, fact = param
    return f"{authority_id} | " + " | ".join(str(v) for v in fact.values())


FACTS = [(folder.name, fact) for folder in FOLDERS for fact in read_facts(folder)]


def test_there_are_tables() -> None:
    assert FOLDERS, "no tests/authorities/<authority id>/ folder"
    for folder in FOLDERS:
        assert (folder / "facts.json").is_file() or (folder / "document.json").is_file(), folder


@pytest.mark.parametrize("authority_id", [f.name for f in FOLDERS])
def test_folder_names_an_authority(g: Graph, authority_id: str) -> None:
    Encoding.of(g, authority_id)


@pytest.mark.parametrize("param", FACTS, ids=[fact_id(p) for p in FACTS])
def test_document_fact(g: Graph, param) -> None:
    authority_id, fact = param
    run_fact(Encoding.of(g, authority_id), fact)


def with_key(key: str) -> list[str]:
    """The authorities whose document.json sets ``key`` (to anything but null, false or empty)."""
    return [authority_id for authority_id, document in DOCUMENTS.items() if document.get(key)]


@pytest.mark.parametrize("authority_id", with_key("documents"))
def test_documents(g: Graph, authority_id: str) -> None:
    """The authority's policy documents: their source files and issue dates."""
    a = Encoding.of(g, authority_id)
    found = [
        {"source_file": str(g.value(d, PW.sourceFile)), "issued": str(g.value(d, DCTERMS.issued))} for d in a.documents
    ]
    expected = DOCUMENTS[authority_id]["documents"]
    assert sorted(found, key=str) == sorted(expected, key=str)
    for document in expected:
        assert (SOURCES_DIR / document["source_file"]).is_file()


PATHWAYS = [
    (authority_id, index, entry)
    for authority_id in with_key("pathways")
    for index, entry in enumerate(DOCUMENTS[authority_id]["pathways"])
]


@pytest.mark.parametrize(("authority_id", "index", "entry"), PATHWAYS, ids=[f"{a}/{e['id']}" for a, _, e in PATHWAYS])
def test_pathway_order_and_title(g: Graph, authority_id: str, index: int, entry: dict) -> None:
    """The document's pathways, in the order it presents them, with their flowchart titles."""
    p = Encoding.of(g, authority_id).pathway(entry["id"])
    assert int(g.value(p, PW.order)) == index + 1
    assert str(g.value(p, PW.flowchartTitle)).startswith(entry["flowchart_title_starts_with"])


SECTIONS = [
    (authority_id, number) for authority_id in with_key("sections") for number in DOCUMENTS[authority_id]["sections"]
]


@pytest.mark.parametrize(("authority_id", "number"), SECTIONS, ids=[f"{a}/{n}" for a, n in SECTIONS])
def test_numbered_section(g: Graph, authority_id: str, number: str) -> None:
    """Each numbered section is one pw:Section titled with the document's heading "<number>. <title>"
    (white space and curly quotes aside) and is cited."""
    a = Encoding.of(g, authority_id)
    sections = [s for s in a.sections if (s, PW.sectionNumber, Literal(number)) in g]
    assert len(sections) == 1
    title = str(g.value(sections[0], DCTERMS.title))
    headings = {normalise(line) for text in a.source_texts() for line in text.splitlines()}
    assert normalise(f"{number}. {title}") in headings
    cited = {str(g.value(s, PW.sectionNumber)) for s in g.objects(None, PW.source) if a.owns(s)}
    assert number in cited


@pytest.mark.parametrize("authority_id", with_key("at_least"))
def test_minimum_counts(g: Graph, authority_id: str) -> None:
    a = Encoding.of(g, authority_id)
    at_least = DOCUMENTS[authority_id]["at_least"]
    unknown = set(at_least) - {"quotes", "requirements", "timescales_per_pathway"}
    assert not unknown, f"unknown counts {sorted(unknown)}"
    if "quotes" in at_least:
        assert len(a.own_quotes()) >= at_least["quotes"]
    if "requirements" in at_least:
        requirements = [r for r in g.subjects(RDF.type, PW.Requirement) if a.owns(r)]
        assert len(requirements) >= at_least["requirements"]
    if "timescales_per_pathway" in at_least:
        for pathway_id in a.pathway_ids:
            timescales = [
                t for t in g.subjects(PW.onPathway, a.pathway(pathway_id)) if (t, RDF.type, PW.Timescale) in g
            ]
            assert len(timescales) >= at_least["timescales_per_pathway"], pathway_id


@pytest.mark.parametrize("authority_id", with_key("levels"))
def test_levels(g: Graph, authority_id: str) -> None:
    """How many levels of need the authority's scheme has, and which is lowest and highest."""
    a = Encoding.of(g, authority_id)
    expected = DOCUMENTS[authority_id]["levels"]
    [scheme] = a.level_schemes
    levels = {s: int(g.value(s, PW.rank)) for s in g.subjects(SKOS.inScheme, scheme)}
    assert len(levels) == expected["count"]
    lowest = a.labelled(PW.LevelOfNeed, expected["lowest"], SKOS.prefLabel)
    highest = a.labelled(PW.LevelOfNeed, expected["highest"], SKOS.prefLabel)
    assert levels[lowest] == min(levels.values())
    assert levels[highest] == max(levels.values())


@pytest.mark.parametrize("authority_id", with_key("recorded_as_unique"))
def test_recorded_as_keys_are_unique(g: Graph, authority_id: str) -> None:
    """Where the document gives every requirement its own evidence, no two share a pw:recordedAs key."""
    a = Encoding.of(g, authority_id)
    keys = [str(g.value(r, PW.recordedAs)) for r in g.subjects(RDF.type, PW.Requirement) if a.owns(r)]
    assert len(keys) == len(set(keys)), "recordedAs keys must be unique"
