"""HTML documentation of the Pathways vocabulary, generated from its labels and definitions.

pyLODE was tried first: the newest release installable on Python 3.11 (3.4.1) fails on import,
and later ones need Python 3.12, so this small generator of our own reads the same things
pyLODE would (rdfs:label, skos:definition, rdfs:comment, rdfs:subClassOf, rdfs:domain,
rdfs:range, individuals) from the loaded model: ``ontology/vocabulary.ttl`` plus the terms
that alignment files define. It works offline and needs nothing beyond rdflib.

Every term of the ``pw:`` namespace the vocabulary declares a class, an object or datatype
property or a datatype has its section, and a datatype defined by restricting another
shows its definition:

>>> from pathways.model.resources import ONTOLOGY_DIR
>>> vocabulary = Graph().parse(ONTOLOGY_DIR / "vocabulary.ttl")
>>> page = vocabulary_html()
>>> missing = [
...     t for _, _, kind in SECTIONS for t in vocabulary.subjects(RDF.type, kind)
...     if isinstance(t, URIRef) and str(t).startswith(str(PW)) and f'id="{_anchor(t)}"' not in page
... ]
>>> missing, '<h2 id="datatypes">Datatypes</h2>' in page
([], True)
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.term import Node

from pathways.model.loading import load_model
from pathways.model.terms import label, text
from pathways.model.vocabulary import DCTERMS, OWL, PREFIXES, PW, RDF, RDFS, SKOS

SECTIONS = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("datatypes", "Datatypes", RDFS.Datatype),
)


def _anchor(term: Node) -> str:
    return "term-" + str(term).rsplit("#", 1)[-1]


def curie(graph: Graph, term: Node) -> str:
    """A prefixed name for a term when a project prefix covers it, else the IRI."""
    value = str(term)
    for prefix, namespace in PREFIXES.items():
        if value.startswith(str(namespace)) and len(value) > len(str(namespace)):
            return f"{prefix}:{value[len(str(namespace)) :]}"
    return value


def _link(graph: Graph, term: Node, documented: set[Node]) -> str:
    name = html.escape(curie(graph, term))
    if term in documented:
        return f'<a href="#{_anchor(term)}"><code>{name}</code></a>'
    return f"<code>{name}</code>"


def _terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    found = [t for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef) and str(t).startswith(str(PW))]
    return sorted(set(found), key=lambda t: curie(graph, t).lower())


def _individuals(graph: Graph, classes: Iterable[URIRef]) -> dict[URIRef, list[URIRef]]:
    found: dict[URIRef, list[URIRef]] = {}
    for cls in classes:
        members = [
            t
            for t in graph.subjects(RDF.type, cls)
            if isinstance(t, URIRef) and str(t).startswith(str(PW)) and (t, RDF.type, OWL.Class) not in graph
        ]
        if members:
            found[cls] = sorted(set(members), key=lambda t: curie(graph, t).lower())
    return found


def vocabulary_html(graph: Graph | None = None) -> str:
    """A standalone HTML page documenting every class, property, datatype and named individual
    of the pw: namespace."""
    graph = graph if graph is not None else load_model()
    esc = html.escape
    ontology = URIRef(str(PW).rstrip("#"))
    groups = {key: _terms(graph, kind) for key, _, kind in SECTIONS}
    individuals = _individuals(graph, groups["classes"])
    documented = {t for terms in groups.values() for t in terms} | {t for ts in individuals.values() for t in ts}

    title = text(graph, ontology, RDFS.label) or "Pathways vocabulary"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>",
        "body{font-family:system-ui,Helvetica,Arial,sans-serif;max-width:70rem;margin:2rem auto;color:#222;"
        "padding:0 1rem}",
        "section.term{border-top:1px solid #ddd;padding:.6rem 0}h3{margin:.2rem 0}",
        "dl{display:grid;grid-template-columns:10rem 1fr;gap:.2rem .8rem;margin:.4rem 0}dt{color:#666}",
        "code{background:#f4f4f4;padding:0 .2rem}nav li{display:inline;margin-right:.6rem}",
        "</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        "<dl>",
        f"<dt>IRI</dt><dd><code>{esc(str(PW))}</code></dd>",
    ]
    version = text(graph, ontology, OWL.versionInfo)
    if version:
        out.append(f"<dt>Version</dt><dd>{esc(version)}</dd>")
    description = text(graph, ontology, DCTERMS.description)
    if description:
        out.append(f"<dt>Description</dt><dd>{esc(description)}</dd>")
    out.append("</dl>")
    out.append("<nav><ul>")
    for key, heading, _ in SECTIONS:
        out.append(f'<li><a href="#{key}">{esc(heading)} ({len(groups[key])})</a></li>')
    out.append(f'<li><a href="#individuals">Named individuals ({sum(len(v) for v in individuals.values())})</a></li>')
    out.append("</ul></nav>")

    for key, heading, _ in SECTIONS:
        out.append(f'<h2 id="{key}">{esc(heading)}</h2>')
        for term in groups[key]:
            out += _term_html(graph, term, documented)
    out.append('<h2 id="individuals">Named individuals</h2>')
    for cls, members in individuals.items():
        out.append(f"<h3>{_link(graph, cls, documented)} {esc(label(graph, cls))}</h3>")
        for term in members:
            out += _term_html(graph, term, documented)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _term_html(graph: Graph, term: URIRef, documented: set[Node]) -> list[str]:
    esc = html.escape
    rows = [("IRI", f"<code>{esc(str(term))}</code>")]
    types = [t for t in graph.objects(term, RDF.type) if t not in (OWL.Class,)]
    if types:
        rows.append(("Type", ", ".join(_link(graph, t, documented) for t in sorted(types, key=str))))
    for name, predicate in (
        ("Definition", SKOS.definition),
        ("Comment", RDFS.comment),
        ("Identifier", DCTERMS.identifier),
    ):
        value = text(graph, term, predicate)
        if value:
            rows.append((name, esc(value)))
    definitions = [_data_range(graph, v) for v in graph.objects(term, OWL.equivalentClass)]
    if (term, RDF.type, RDFS.Datatype) in graph and definitions:
        rows.append(("Equivalent to", "; ".join(sorted(definitions))))
    for name, predicate in (
        ("Subclass of", RDFS.subClassOf),
        ("Subproperty of", RDFS.subPropertyOf),
        ("Domain", RDFS.domain),
        ("Range", RDFS.range),
    ):
        values = sorted(graph.objects(term, predicate), key=str)
        if values:
            rows.append((name, ", ".join(_link(graph, v, documented) for v in values)))
    subclasses = sorted(graph.subjects(RDFS.subClassOf, term), key=str)
    if subclasses:
        rows.append(("Superclass of", ", ".join(_link(graph, v, documented) for v in subclasses)))
    lines = [
        f'<section class="term" id="{_anchor(term)}">',
        f"<h3>{esc(label(graph, term))} <small><code>{esc(curie(graph, term))}</code></small></h3>",
        "<dl>",
    ]
    lines += [f"<dt>{esc(name)}</dt><dd>{value}</dd>" for name, value in rows]
    lines += ["</dl>", "</section>"]
    return lines


def _data_range(graph: Graph, node: Node) -> str:
    """A datatype's definition in words: a named datatype, or one restricted by facets
    (e.g. ``xsd:string`` with ``xsd:pattern "[0-9]{4}"``)."""
    esc = html.escape
    base = graph.value(node, OWL.onDatatype)
    if base is None:
        return f"<code>{esc(curie(graph, node))}</code>"
    facets = [
        f"<code>{esc(curie(graph, facet))}</code> <code>{esc(str(value))}</code>"
        for restriction in graph.items(graph.value(node, OWL.withRestrictions))
        for facet, value in sorted(graph.predicate_objects(restriction), key=str)
    ]
    return f"<code>{esc(curie(graph, base))}</code>" + (" restricted by " + ", ".join(facets) if facets else "")
