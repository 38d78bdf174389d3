"""The audit engines, side by side behind one small protocol.

An engine audits a list of case records and returns one
:class:`~pathways.audit.findings.CaseResult` per record, in order. Every engine evaluates
the same shapes (``shapes/``) over the same case graph, and the differential tests hold
them to identical findings. The registry below is where the CLI's ``--engine`` choices
and the explorer's engine come from; the first engine is the default.

>>> list(ENGINES)
['columnar', 'fast', 'pyshacl']
>>> ENGINES["pyshacl"].chunk
1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathways.audit.findings import CaseResult
    from pathways.cases.records import CaseRecord

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "engine"]


@dataclass(frozen=True)
class Engine:
    """One way of evaluating the shapes.

    ``audit_records`` audits a list of records; ``prepare`` loads, before workers are
    forked, what every chunk will need; ``chunk`` is how many cases one call takes;
    ``forks`` whether chunks may be audited in forked worker processes (an engine that
    runs on every core by itself says no).
    """

    name: str
    description: str
    chunk: int
    module: str
    forks: bool = True

    def _module(self):
        from importlib import import_module

        return import_module(self.module)

    def audit_records(self, records: list[CaseRecord]) -> list[CaseResult]:
        return self._module().audit_records(records)

    def prepare(self, records: list[CaseRecord]) -> None:
        prepare: Callable[[list[CaseRecord]], None] | None = getattr(self._module(), "prepare", None)
        if prepare is not None:
            prepare(records)


# The engine modules are imported when first used: the reference engine pulls in pySHACL.
# The columnar engine's joins run on polars' thread pool, on every core, in one process;
# that pool does not survive fork (a forked worker waits forever on it), so it never forks;
# it takes 50,000 cases a call, as fewer calls share the joins with the model's tables
# (100,000 cases: 7.4 s in chunks of 5,000, 6.0 s in chunks of 50,000).
# The set-at-a-time engine takes 250 cases a query: enough to share each query's fixed
# cost (50, 250 and 2,000 measured alike).
ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("columnar", "compiled to joins over columns", 50_000, "pathways.audit.engines.columnar", forks=False),
        Engine("fast", "set-at-a-time", 250, "pathways.audit.engines.setwise"),
        Engine("pyshacl", "case by case", 1, "pathways.audit.engines.reference"),
    )
}
DEFAULT_ENGINE = next(iter(ENGINES))


def engine(name: str) -> Engine:
    """The engine called ``name``; an unknown name is a usage error listing the known ones."""
    from pathways.errors import UsageError

    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
    return ENGINES[name]
