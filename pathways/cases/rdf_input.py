r"""Reading case records written as RDF (Turtle or JSON-LD) in the project's vocabulary.

A ``pw:Case`` with ``pw:caseId`` and ``pw:onPathway``, and ``pw:event``\ s each with
``pw:carriesOut``, ``prov:startedAtTime`` and ``pw:byRole``. Nothing is fetched: remote
JSON-LD contexts and ``owl:imports`` are refused, and a ``pw:`` term the vocabulary does
not define is an error naming the triple.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph, URIRef

from pathways.cases.records import CaseBatch
from pathways.cases.resolving import RawCase, RawEvent, Resolver, finish, resolver
from pathways.errors import InputError, RowError
from pathways.model.terms import label
from pathways.model.vocabulary import PROV, PW, RDF

__all__ = ["read_rdf"]


@contextmanager
def _literal_warnings_silenced() -> Iterator[None]:
    """Keep rdflib's log of literals it cannot convert quiet while a case file is parsed:
    it prints the lexical form, which is case data, with a traceback."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def source_of(where: str) -> str:
    """The file named by a "FILE, case ID" location."""
    return where.split(",")[0]


def read_rdf(text: str, source: str, fmt: str, lookup: Resolver | None = None) -> CaseBatch:
    """Read Turtle or JSON-LD case records in the project's vocabulary (no remote contexts)."""
    lookup = lookup or resolver()
    if fmt == "json-ld":
        _refuse_remote_contexts(text, source)
    graph = Graph()
    try:
        with _literal_warnings_silenced():
            graph.parse(data=text, format=fmt, publicID=f"urn:pathways:upload:{Path(source).name}")
    except Exception as exc:  # rdflib raises many parser-specific types
        detail = " ".join(str(exc).split())[:200]
        raise InputError(f"{source}: not valid {'Turtle' if fmt == 'turtle' else 'JSON-LD'}: {detail}") from None
    if any(True for _ in graph.triples((None, URIRef("http://www.w3.org/2002/07/owl#imports"), None))):
        raise InputError(f"{source}: owl:imports is not followed; put everything in the file")
    for triple in graph:
        unknown = next(
            (
                t
                for t in (triple[1], triple[2])
                if isinstance(t, URIRef) and t.startswith(str(PW)) and t not in lookup.vocabulary
            ),
            None,
        )
        if unknown is not None:
            raise InputError(
                f"{source}: unknown term {unknown.n3(graph.namespace_manager)} in the triple "
                f"{' '.join(t.n3(graph.namespace_manager) for t in triple)[:200]}"
            )
    raws: dict[str, RawCase] = {}
    broken: dict[str, str] = {}
    cases = list(graph.subjects(RDF.type, PW.Case))
    if not cases:
        raise InputError(f"{source}: no pw:Case in the file")
    for case in cases:
        case_id = str(graph.value(case, PW.caseId) or "")
        where = f"{source}, case {case_id or case}"
        try:
            raws[case_id] = _raw_from_rdf(graph, case, case_id, where, lookup)
        except RowError as exc:
            broken[case_id or str(case)] = str(exc)
    return finish(raws, broken, source, lookup)


# A case record in JSON-LD nests a few levels (case, events, values); JSON nested deeper
# than this is refused before any parser recurses into it.
MAX_JSON_DEPTH = 64


def _depth(document: object) -> int:
    """How deep a JSON value nests (without recursion, so any depth can be measured)."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            items = value.values() if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return deepest


def _refuse_remote_contexts(text: str, source: str) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON-LD: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise InputError(f"{source}: JSON nested more than {MAX_JSON_DEPTH} levels deep; not a case record") from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise InputError(f"{source}: JSON nested more than {MAX_JSON_DEPTH} levels deep; not a case record")

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    contexts = item if isinstance(item, list) else [item]
                    if any(isinstance(c, str) for c in contexts):
                        raise InputError(f"{source}: remote JSON-LD @context is not fetched; inline the context")
                if key == "@import" or (key == "@context" and isinstance(item, dict) and "@import" in item):
                    raise InputError(f"{source}: JSON-LD @import is not fetched; inline the context")
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)


def _raw_from_rdf(graph: Graph, case: URIRef, case_id: str, where: str, lookup: Resolver) -> RawCase:
    if not case_id:
        raise RowError(f"{where}: pw:Case without pw:caseId", source=source_of(where))
    plan = graph.value(case, PW.onPathway)
    match = next(((a, p) for (a, p), pw_ in lookup.pathways.items() if pw_.iri == plan), None)
    if match is None:
        raise RowError(
            f"{where}: pw:onPathway {plan} is not a pathway of the model", source=source_of(where), case_id=case_id
        )
    raw = RawCase(case_id, where, authority=match[0], pathway=match[1])
    raw.concerns = {str(c) for c in graph.objects(case, PW.concern)}
    raw.level_before = label(lookup.graph, graph.value(case, PW.levelBefore))  # the model's label ("" if none)
    raw.level_after = label(lookup.graph, graph.value(case, PW.levelAfter))  # the model's label ("" if none)
    for _number, event in enumerate(sorted(graph.objects(case, PW.event), key=str), start=1):
        step = graph.value(event, PW.carriesOut)
        started = graph.value(event, PROV.startedAtTime)
        role = graph.value(event, PW.byRole)
        if step is None or started is None or role is None:
            missing = [
                n
                for n, v in (("pw:carriesOut", step), ("prov:startedAtTime", started), ("pw:byRole", role))
                if v is None
            ]
            raise RowError(
                f"{where}, event {event}: missing {', '.join(missing)}", source=source_of(where), case_id=case_id
            )
        raw.events.append(
            RawEvent(
                None,
                str(step),
                str(started),
                str(role),
                tuple(str(v) for v in graph.objects(event, PW.evidence)),
                str(graph.value(event, PW.outcome) or ""),
            )
        )
    return raw
