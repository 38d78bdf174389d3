"""XES event logs (IEEE 1849-2016), the native format of PM4Py, ProM and process-mining tools.

A ``<trace>`` is a case, an ``<event>`` one event, with the standard extensions' keys:
``concept:name`` (the case id on a trace, the activity on an event), ``time:timestamp``,
``org:role`` (or ``org:resource``, or a plain ``role``). The model's own keys are plain attributes, on the
trace: ``authority``, ``pathway``, ``concerns``, ``level_before``, ``level_after``; on the
event: ``evidence``, ``outcome``. Names resolve as in CSV logs (ids, labels, alternative
labels, an activity map).

The file is parsed with :mod:`defusedxml`: a document type declaration, an entity or an
external reference is refused (no "billion laughs", nothing fetched), as is nesting
deeper than a log needs. Timestamps are written with their UTC offset (UK time), so a
tool that reads them as UTC moves nothing.

>>> from pathways.cases.synth import synthesise
>>> text = cases_xes(synthesise(2, seed=3, authority="knowsley")[0])
>>> batch = read_xes(text, "log.xes")
>>> len(batch.cases), batch.rejected
(2, [])
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pathways.cases import workdays
from pathways.cases.records import CaseBatch
from pathways.cases.resolving import RawCase, RawEvent, Resolver, finish, resolver, split_keys, take_case_fields
from pathways.errors import InputError

__all__ = ["cases_xes", "read_xes"]

XES_NAMESPACE = "http://www.xes-standard.org/"
TRACE_KEYS = {"concept:name": "case_id", "authority": "authority", "pathway": "pathway", "case:authority": "authority",
              "case:pathway": "pathway", "concerns": "concerns", "level_before": "level_before",
              "level_after": "level_after"}  # fmt: skip
EVENT_KEYS = {"concept:name": "activity", "time:timestamp": "timestamp", "org:role": "role", "org:resource": "role",
              "role": "role", "evidence": "evidence", "outcome": "outcome"}  # fmt: skip
# org:role names the role; org:resource may name the person (never taken over the role)
PREFERRED = {"org:role", "concept:name", "time:timestamp"}
MAX_DEPTH = 16  # log > trace > event > attribute > nested attributes: a log needs a handful


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attributes(element: Element, keys: dict[str, str]) -> dict[str, str]:
    """The element's own attributes (its direct children with a key), by the model's names."""
    found: dict[str, str] = {}
    found_from: dict[str, str] = {}
    for child in element:
        key = child.get("key")
        if key is None or _local(child.tag) in {"trace", "event", "global", "extension", "classifier"}:
            continue
        name = keys.get(key) or keys.get(key.casefold())
        value = (child.get("value") or "").strip()
        if _local(child.tag) in {"float", "int"} and value.casefold() == "nan":
            continue  # how pandas-based tools (PM4Py) write a missing value
        if name and (name not in found or (key in PREFERRED and found_from.get(name) not in PREFERRED)):
            found[name] = value
            found_from[name] = key
    return found


def _depth(element: Element, limit: int) -> int:
    deepest, stack = 0, [(element, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            return depth
        stack.extend((child, depth + 1) for child in node)
    return deepest


# A tool that flattens a log into a table and back (PM4Py from a CSV) may put a case's
# fields on each of its events instead of on the trace: taken as the CSV reader takes them.
CASE_FIELDS_ON_EVENTS = {k: v for k, v in TRACE_KEYS.items() if v != "case_id"}


def read_xes(text: str, source: str, lookup: Resolver | None = None) -> CaseBatch:
    """Read an XES log; file-level problems raise InputError, an event's problem rejects its case."""
    lookup = lookup or resolver()
    if not text.strip():
        raise InputError(f"{source}: empty file")
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(f"{source}: a DTD, entity or external reference is refused in XES logs") from None
    except ParseError as exc:
        line, column = exc.position
        raise InputError(f"{source}: not well-formed XML (line {line}, column {column})") from None
    if _local(root.tag) != "log":
        raise InputError(f"{source}: not an XES log (the root element is <{_local(root.tag)}>, not <log>)")
    if _depth(root, MAX_DEPTH) > MAX_DEPTH:
        raise InputError(f"{source}: elements nested deeper than {MAX_DEPTH} levels; an XES log needs far fewer")
    raws: dict[str, RawCase] = {}
    broken: dict[str, str] = {}
    for number, trace in enumerate((t for t in root if _local(t.tag) == "trace"), start=1):
        fields = _attributes(trace, TRACE_KEYS)
        case_id = fields.get("case_id", "")
        if not case_id:  # each such trace rejected on its own: nothing is lost
            broken[f"<trace {number}>"] = f"{source}, trace {number}: no concept:name (the case id)"
            continue
        if case_id in raws:
            broken.setdefault(case_id, f"{source}, trace {number}: case {case_id!r} is in two traces")
            continue
        raw = raws[case_id] = RawCase(case_id, f"{source}, case {case_id}")
        raw.authority = fields.get("authority", "").casefold()
        raw.pathway = fields.get("pathway", "")
        raw.level_before = fields.get("level_before", "")
        raw.level_after = fields.get("level_after", "")
        raw.concerns.update(split_keys(fields.get("concerns", "")))
        for event in (e for e in trace if _local(e.tag) == "event"):
            values = _attributes(event, EVENT_KEYS | CASE_FIELDS_ON_EVENTS)
            conflict = take_case_fields(raw, values)
            if conflict:
                broken.setdefault(case_id, f"{source}, case {case_id}: {conflict}")
                break
            raw.events.append(
                RawEvent(
                    None,
                    values.get("activity", ""),
                    values.get("timestamp", ""),
                    values.get("role", ""),
                    split_keys(values.get("evidence", "")),
                    values.get("outcome", ""),
                )
            )
    return finish(raws, broken, source, lookup)


def cases_xes(cases) -> str:
    """Synthetic cases as an XES log (each time with its UK offset, e.g. ``+01:00`` in summer)."""

    def attribute(kind: str, key: str, value: str) -> str:
        return f"<{kind} key={quoteattr(key)} value={quoteattr(value)}/>"

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<log xes.version="1849-2016" xmlns="{XES_NAMESPACE}">',
        '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
        '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>',
        '  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>',
    ]
    for case in cases:
        lines.append("  <trace>")
        lines.append("    " + attribute("string", "concept:name", case.case_id))
        lines.append("    " + attribute("string", "authority", case.authority))
        lines.append("    " + attribute("string", "pathway", case.pathway))
        if case.concerns:
            lines.append("    " + attribute("string", "concerns", ";".join(case.concerns)))
        if case.level_after:
            lines.append("    " + attribute("string", "level_after", case.level_after))
        for event in case.events:
            parts = [
                attribute("string", "concept:name", event.node),
                attribute("date", "time:timestamp", workdays.uk_local(event.when).isoformat(timespec="seconds")),
                attribute("string", "org:role", event.role),
            ]
            if event.evidence:
                parts.append(attribute("string", "evidence", ";".join(event.evidence)))
            if event.outcome:
                parts.append(attribute("string", "outcome", event.outcome))
            lines.append("    <event>" + "".join(parts) + "</event>")
        lines.append("  </trace>")
    lines.append("</log>")
    return "\n".join(lines) + "\n"
