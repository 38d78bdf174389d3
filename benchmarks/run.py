"""Audit benchmark: prints cases/s of each engine at growing sizes, peak memory, and the
time to draw a flowchart with a case highlighted.

    python benchmarks/run.py [--sizes 1000 10000] [--reference 20]

Figures, not assertions: the targets (issue "Audit at scale") are read off this table.
"""

from __future__ import annotations

import argparse
import resource
import time

from pathways.audit import audit, audit_case, rules_graph, shapes_graph
from pathways.case_rdf import case_graph
from pathways.cases import CaseBatch, read_csv
from pathways.synth import cases_csv, synthesise
from pathways.trace import trace_case


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def whole_graph_pyshacl(batch: CaseBatch) -> None:
    """Plain pySHACL on one graph holding every case (the naive approach)."""
    from pyshacl import validate
    from rdflib import Graph

    data = Graph()
    for key in {(r.authority, r.pathway) for r in batch.cases}:
        for triple in rules_graph(*key):
            data.add(triple)
    for record in batch.cases:
        case_graph(record, data)
    validate(data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True, inplace=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reference", type=int, default=20, help="cases for the pySHACL reference runs")
    args = parser.parse_args()

    rows = []
    for size in args.sizes:
        cases, _ = synthesise(size, seed=size, deviation_share=0.1)
        batch, read_s = timed(read_csv, cases_csv(cases), f"bench-{size}.csv")
        result, audit_s = timed(audit, batch)
        rows.append(("fast (Oxigraph, set-at-a-time)", size, read_s, audit_s, len(result.findings)))

    cases, _ = synthesise(args.reference, seed=1, deviation_share=0.1)
    small = read_csv(cases_csv(cases), "reference.csv")
    audit(small)  # warm caches
    _, per_case_s = timed(lambda: [audit_case(r) for r in small.cases])
    rows.append(("pySHACL case by case", args.reference, 0.0, per_case_s, 0))
    _, whole_s = timed(whole_graph_pyshacl, small)
    rows.append(("pySHACL whole graph", args.reference, 0.0, whole_s, 0))

    print(f"{'engine':34} {'cases':>7} {'read s':>8} {'audit s':>9} {'cases/s':>9} {'findings':>9}")
    for name, size, read_s, audit_s, findings in rows:
        print(f"{name:34} {size:>7} {read_s:>8.1f} {audit_s:>9.1f} {size / audit_s:>9.1f} {findings:>9}")
    fast = rows[0][1] / rows[0][3]
    print(
        f"fast engine vs pySHACL case by case: {fast / (rows[-2][1] / rows[-2][3]):.0f}x; "
        f"vs whole graph: {fast / (rows[-1][1] / rows[-1][3]):.0f}x"
    )
    print(f"peak memory: {peak_memory_mib():.0f} MiB")

    from pathways.graph import pathway_graph
    from viz.flowchart import flowchart
    from viz.overlay import case_overlay

    record = small.cases[0]
    digraph = pathway_graph(record.authority, record.pathway)
    findings = audit(CaseBatch(cases=[record])).findings
    _, draw_s = timed(lambda: flowchart(digraph, case_overlay(record, trace_case(record, digraph), findings)).source)
    print(f"flowchart with a case highlighted (DOT, model loaded): {draw_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
