"""Activity maps: a case-management system's own names for steps and roles.

An export from a case-management system names its activities and roles its own way
("CIN Closure Meeting", "SW"); the audit needs the model's steps and roles. An activity
map is a CSV the auditor writes once per system, one local name per row:

========================  ===========  ==================  ===========================  ======
local_name                authority    pathway             step                         role
========================  ===========  ==================  ===========================  ======
CIN Closure Meeting       knowsley     step-down-cin       final-cin-meeting
SW                        knowsley                                                      Social Worker
========================  ===========  ==================  ===========================  ======

A row gives ``step`` (with its ``pathway``) or ``role``, never both; the step and the role
are named as case records name them (id, label or alternative label). The map adds the
local names to the names the model already knows, so records may mix the two. Every
problem in the map is one line naming the file and the row, and nothing is guessed: a
local name that would point at two steps of one pathway, or at a step the model already
calls by that name, is refused.

>>> from pathways.cases.resolving import resolver
>>> text = "local_name,authority,pathway,step,role\\nCIN Closure,knowsley,step-down-cin,final-cin-meeting,\\n"
>>> mapped = read_activity_map(text, "map.csv").apply(resolver())
>>> str(mapped.steps("knowsley", "step-down-cin")["cin closure"]).rsplit(".", 1)[-1]
'final-cin-meeting'
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from pathways.cases.resolving import Resolver, fold, resolver
from pathways.errors import InputError

__all__ = ["MAP_COLUMNS", "ActivityMap", "load_activity_map", "read_activity_map"]

MAP_COLUMNS = ("local_name", "authority", "pathway", "step", "role")


@dataclass
class ActivityMap:
    """Local names for steps (by authority and pathway) and roles (by authority)."""

    source: str
    steps: dict[tuple[str, str], dict[str, tuple[str, int]]] = field(default_factory=dict)
    roles: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)

    def apply(self, lookup: Resolver | None = None) -> Resolver:
        """A resolver that also knows the local names (the given one is left as it is)."""
        base = lookup or resolver()
        steps = {
            key: {
                local: _known(base.steps(*key), step, self.source, row, "step") for local, (step, row) in names.items()
            }
            for key, names in self.steps.items()
        }
        roles = {
            authority_id: {
                local: _known(base.roles(authority_id), role, self.source, row, "role")
                for local, (role, row) in names.items()
            }
            for authority_id, names in self.roles.items()
        }
        return base.extended(steps, roles)


def _known(table: dict[str, URIRef], name: str, source: str, row: int, what: str) -> URIRef:
    target = table.get(fold(name))
    if target is None:
        raise InputError(f"{source}, row {row}: {what} {name[:60]!r} is not in the model")
    return target


def read_activity_map(text: str, source: str, lookup: Resolver | None = None) -> ActivityMap:
    """Read an activity map from CSV text; each problem is one line naming the file and row."""
    lookup = lookup or resolver()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    reader.fieldnames = [(name or "").strip().casefold() for name in (reader.fieldnames or [])]
    missing = [c for c in MAP_COLUMNS if c not in reader.fieldnames]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)} (an activity map has {', '.join(MAP_COLUMNS)})"
        )
    found = ActivityMap(source)
    for row in reader:
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a spreadsheet's trailing empty row
        row_number = reader.line_num
        at = f"{source}, row {row_number}"
        local, authority_id = (row["local_name"] or "").strip(), (row["authority"] or "").strip().casefold()
        pathway_id, step, role = ((row[c] or "").strip() for c in ("pathway", "step", "role"))
        if not local:
            raise InputError(f"{at}: local_name is empty")
        if authority_id not in lookup.authorities:
            raise InputError(
                f"{at}: unknown authority {authority_id!r} (known: {', '.join(sorted(lookup.authorities))})"
            )
        if bool(step) == bool(role):
            raise InputError(f"{at}: give a step (with its pathway) or a role, not both and not neither")
        name = fold(local)
        if step:
            if (authority_id, pathway_id) not in lookup.pathways:
                raise InputError(f"{at}: unknown pathway {pathway_id!r} for {authority_id}")
            known = lookup.steps(authority_id, pathway_id)
            target = _known(known, step, source, row_number, "step")
            names = found.steps.setdefault((authority_id, pathway_id), {})
            _refuse_ambiguity(at, local, name, target, known, names, "step")
            names[name] = (step, row_number)
        else:
            known = lookup.roles(authority_id)
            target = _known(known, role, source, row_number, "role")
            names = found.roles.setdefault(authority_id, {})
            _refuse_ambiguity(at, local, name, target, known, names, "role")
            names[name] = (role, row_number)
    return found


def _refuse_ambiguity(
    at: str, local: str, name: str, target: URIRef, known: dict[str, URIRef], names: dict, what: str
) -> None:
    if name in known and known[name] != target:
        raise InputError(f"{at}: {local[:60]!r} is already the model's name of another {what}; it cannot be remapped")
    if name in names and known[fold(names[name][0])] != target:
        raise InputError(f"{at}: {local[:60]!r} is mapped to two {what}s (see row {names[name][1]})")


def load_activity_map(path: str | Path, lookup: Resolver | None = None) -> ActivityMap:
    """Read an activity map file (UTF-8 CSV)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return read_activity_map(text, str(path), lookup)
