"""Checking the policy model itself: authority and alignment files against the vocabulary.

A mistake in an authority file rarely fails loudly: a typo in a transition target drops a
branch, ``time:unitWeeks`` reads twelve weeks as twelve days, a misspelt modality stops a
rule applying. :func:`check_model` finds such mistakes with the model shapes
(``shapes/model/``, validated by pySHACL over the vocabulary and the files) and with the
one check SHACL cannot make: every ``pw:quote`` is found word for word in the policy text
its ``pw:source`` belongs to (``ontology/sources/``). Each problem is one line naming the
file, the subject and what is wrong.

>>> check_model()
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pathways.model.loading import load_graph, model_files, parse_turtle
from pathways.model.resources import SHAPES_DIR, SOURCES_DIR, VOCABULARY
from pathways.model.shacl import shacl_report
from pathways.model.vocabulary import DCTERMS, OWL, PPLAN, PW, RDF, RDFS, SH, SKOS, TIME

__all__ = ["Problem", "alias_problems", "check_model", "load_problems", "quote_problems", "unknown_terms"]

MODEL_SHAPES_DIR = SHAPES_DIR / "model"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the model: where, about what, and what."""

    file: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.subject}: {self.message}"


@lru_cache(maxsize=1)
def _model_shapes() -> Graph:
    return load_graph(sorted(MODEL_SHAPES_DIR.glob("*.ttl")))


def _normalise(text: str) -> str:
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def _named(graph: Graph, node: Node) -> str:
    """A subject as its file writes it: a prefixed name, or the node a blank node hangs off."""
    if isinstance(node, BNode):
        owner = next(graph.subjects(None, node), None)
        return f"a transition or value of {_named(graph, owner)}" if owner is not None else "a blank node"
    try:
        return graph.namespace_manager.normalizeUri(node)
    except ValueError:  # an IRI rdflib cannot abbreviate is shown whole
        return f"<{node}>"


def quote_problems(graph: Graph, sources_dir: Path = SOURCES_DIR) -> list[tuple[Node, str]]:
    """Each (subject, message) whose ``pw:quote`` is not word for word in its source text.

    The text is the ``pw:sourceFile`` of the document the subject's ``pw:source`` sections
    are part of; curly quotes and runs of white space are read as plain ones.
    """
    texts: dict[Node, str | None] = {}

    def text_of(document: Node) -> str | None:
        if document not in texts:
            name = graph.value(document, PW.sourceFile)
            path = sources_dir / str(name) if name is not None else None
            texts[document] = _normalise(path.read_text(encoding="utf-8")) if path and path.is_file() else None
        return texts[document]

    problems = []
    for subject, quote in graph.subject_objects(PW.quote):
        documents = {graph.value(s, DCTERMS.isPartOf) for s in graph.objects(subject, PW.source)}
        if (subject, PW.sourceFile, None) in graph:
            documents.add(subject)
        documents.discard(None)
        if not documents:
            problems.append((subject, f"quotes {str(quote)[:60]!r} but has no pw:source to check it against"))
            continue
        bodies = [text_of(d) for d in documents]
        if not any(bodies):
            problems.append((subject, "its source document has no readable pw:sourceFile in ontology/sources/"))
        elif not any(body and _normalise(str(quote)) in body for body in bodies):
            problems.append((subject, f"the quote {str(quote)[:80]!r} is not in the policy text word for word"))
    return problems


def unknown_terms(graph: Graph, defined: set[Node]) -> list[tuple[Node, str]]:
    """Each (subject, message) using a ``pw:`` term not among ``defined`` (the vocabulary's)."""
    found = set()
    for subject, predicate, value in graph:
        for term in (predicate, value):
            if isinstance(term, URIRef) and term.startswith(str(PW)) and term not in defined and term != URIRef(PW):
                found.add((subject, f"uses {_named(graph, term)}, which ontology/vocabulary.ttl does not define"))
    return sorted(found)


def _fold(value: str) -> str:
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


def alias_problems(graph: Graph) -> list[tuple[Node, str]]:
    """Each (subject, message) of a renamed step id that would not resolve to its step.

    A renamed id is kept as an alias, ``owl:deprecated true ; dcterms:isReplacedBy`` the
    step that replaces it (or another alias): the replacement must end at a step, the chain
    must not loop, and the alias must not be a live step nor share a live step's name.
    """
    deprecated = {
        s for s, v in graph.subject_objects(OWL.deprecated) if isinstance(v, Literal) and v.toPython() is True
    }
    replaced = set(graph.subjects(DCTERMS.isReplacedBy, None))
    steps = set(graph.subjects(PPLAN.isStepOfPlan, None))
    found: list[tuple[Node, str]] = []
    for alias in sorted(deprecated | replaced, key=str):
        if alias in steps:
            if alias in deprecated:
                found.append(
                    (alias, "is owl:deprecated but still a step (p-plan:isStepOfPlan): an alias is not a step")
                )
            continue
        targets = list(graph.objects(alias, DCTERMS.isReplacedBy))
        if not targets:
            found.append((alias, "is owl:deprecated but has no dcterms:isReplacedBy naming the step that replaces it"))
            continue
        if len(targets) > 1:
            found.append((alias, f"has {len(targets)} dcterms:isReplacedBy; a renamed step id has exactly one"))
            continue
        chain, node = [alias], targets[0]
        while node not in steps and node not in chain and len(list(graph.objects(node, DCTERMS.isReplacedBy))) == 1:
            chain.append(node)
            node = graph.value(node, DCTERMS.isReplacedBy)
        if node in chain:
            loop = " → ".join(_named(graph, n) for n in [*chain[chain.index(node) :], node])
            found.append((alias, f"its dcterms:isReplacedBy chain loops ({loop})"))
            continue
        if node not in steps:
            found.append((alias, f"dcterms:isReplacedBy leads to {_named(graph, node)}, which is not a step"))
            continue
        if alias not in deprecated:
            found.append(
                (alias, "has dcterms:isReplacedBy a step but is not owl:deprecated true (an alias states both)")
            )
            continue
        for plan in graph.objects(node, PPLAN.isStepOfPlan):
            prefix = str(plan) + "."
            alias_id = str(alias).removeprefix(prefix)
            for live in graph.subjects(PPLAN.isStepOfPlan, plan):
                names = [str(live).removeprefix(prefix), str(live)]
                names += [str(n) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(live, p)]
                if live != node and _fold(alias_id) in map(_fold, names):
                    found.append(
                        (alias, f"its id {alias_id!r} is also a name of the step {_named(graph, live)}, which wins")
                    )
    return found


def load_problems(graph: Graph, files: Iterable[Path]) -> list[Problem]:
    """The mistakes the loader refuses a model for: the quick ones that silently change
    what is drawn or audited (a pw: term the vocabulary does not define, a unit the audit
    cannot count, a transition to a node outside its pathway, a role without an
    authority, a policy without the date it came into force, an authority without a
    policy). Milliseconds, so every load runs them; ``check_model`` runs them all.
    """
    found = unknown_terms(graph, set(graph.subjects(RDF.type, None)))
    for subject, unit in graph.subject_objects(TIME.unitType):
        if (unit, PW.reportedUnit, None) not in graph:
            found.append((subject, f"time:unitType {_named(graph, unit)} is not a unit of the vocabulary"))
    for node, transition in graph.subject_objects(PW.next):
        target = graph.value(transition, PW.to)
        plans = set(graph.objects(node, PPLAN.isStepOfPlan))
        if target is None or not plans & set(graph.objects(target, PPLAN.isStepOfPlan)):
            found.append((node, f"a transition leads to {_named(graph, target)}, which is not a step of its pathway"))
    for role in graph.subjects(RDF.type, PW.Role):
        if graph.value(role, PW.authority) is None:
            found.append((role, "a role needs exactly one pw:authority (without it every case naming it is rejected)"))
    for document in graph.subjects(RDF.type, PW.PolicyDocument):
        if graph.value(document, DCTERMS.issued) is None and graph.value(document, PW.effectiveFrom) is None:
            found.append(
                (
                    document,
                    "a policy document needs dcterms:issued (or pw:effectiveFrom): without it cases "
                    "from before the policy existed would be audited against it",
                )
            )
    for authority in graph.subjects(RDF.type, PW.Authority):
        if not any((d, RDF.type, PW.PolicyDocument) in graph for d in graph.subjects(PW.authority, authority)):
            found.append((authority, "an authority needs a pw:PolicyDocument (with pw:authority naming it)"))
    if not found:
        return []
    owners: dict[Node, str] = {}
    for path in files:
        for subject in parse_turtle(path).subjects():
            owners.setdefault(subject, str(path))
    return sorted({Problem(owners.get(s, "the model"), _named(graph, s), m) for s, m in found})


def check_model(files: Iterable[Path] | None = None) -> list[Problem]:
    """Every problem in the given authority and alignment files (the shipped model when
    none are given), checked beside the vocabulary; empty when the model is sound."""
    chosen = [Path(f) for f in files] if files is not None else model_files()[1:]
    everything = [VOCABULARY, *[f for f in chosen if f.resolve() != VOCABULARY.resolve()]]
    if files is not None:
        # files given on their own are checked with the rest of the shipped model beside
        # them (an alignment names both authorities); a given file stands in for the
        # shipped file of the same name
        names = {f.name for f in everything}
        everything += [f for f in model_files()[1:] if f.name not in names]
    parts = {path: parse_turtle(path) for path in everything}
    data = load_graph([])
    owners: dict[Node, str] = {}
    for path, part in parts.items():
        data += part
        for prefix, namespace in part.namespaces():
            data.bind(prefix, namespace, override=False)
        for subject in part.subjects():
            owners.setdefault(subject, str(path))
    checked = {str(f) for f in chosen}
    report = shacl_report(data, _model_shapes())
    problems: set[Problem] = set()
    for result in report.subjects(SH.focusNode, None):
        focus = report.value(result, SH.focusNode)
        where = owners.get(focus) or owners.get(next(data.subjects(None, focus), None), "")
        if where not in checked:
            continue
        message = " ".join(str(m) for m in report.objects(result, SH.resultMessage)) or "does not conform"
        problems.add(Problem(where, _named(data, focus), _shorten(data, message)))
    for subject, message in [
        *quote_problems(data),
        *unknown_terms(data, set(parts[VOCABULARY].subjects())),
        *alias_problems(data),
    ]:
        where = owners.get(subject) or owners.get(next(data.subjects(None, subject), None), "")
        if where in checked:
            problems.add(Problem(where, _named(data, subject), message))
    return sorted(problems)


def _shorten(graph: Graph, message: str) -> str:
    """IRIs in a message as prefixed names."""
    return re.sub(r"https?://[^\s,;)]+", lambda m: _named(graph, URIRef(m.group(0))), message)
