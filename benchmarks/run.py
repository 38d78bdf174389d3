"""Audit benchmark: `pathways validate` at growing sizes, the engines against plain pySHACL,
peak memory, and the time to draw a flowchart with a case highlighted.

    python benchmarks/run.py [--sizes 1000 10000 100000] [--reference 20] [--whole-graph 5 10]

Figures, not assertions: the targets of the issue "Audit at scale" are read off this table.
Every case is synthetic (``pathways synth``: both authorities, 10% with injected
deviations), written to a temporary directory that is removed afterwards.

What is measured:

* ``pathways validate`` run as a command (a separate process, all CPU cores) on each size:
  wall-clock time from start to exit, cases per second, and the peak memory of the
  command and its worker processes together (the sum of their proportional set sizes,
  so pages shared between them are counted once, sampled every 2 s: reading the sizes
  walks each process's page tables, about 25 ms for a 1.7 GB process, so sampling more
  often takes a noticeable share of a core from the command being measured);
* in this process, on one core: the set-at-a-time engine, plain pySHACL case by case (the
  reference semantics) and plain pySHACL over one graph holding every case (only at
  sizes that finish within ``--whole-graph-limit`` seconds), and the ratios between them;
* the flowchart: DOT text of a pathway with a case's route, dates and findings drawn on it
  (what the explorer hands to the browser), and the same laid out to SVG by Graphviz.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pathways.audit import audit_cases as audit
from pathways.audit.engines.reference import audit_case
from pathways.audit.rules import rules_graph, shapes_graph
from pathways.audit.workers import available_cores
from pathways.cases import CaseBatch, read_csv
from pathways.cases.rdf import case_graph
from pathways.cases.synth import cases_csv, synthesise

PATHWAYS = [sys.executable, "-m", "pathways"]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


SAMPLE_SECONDS = 2.0


def _tree_memory_bytes(root: int) -> int:
    """Memory of a process and all its descendants (Linux /proc): the sum of their
    proportional set sizes, so pages the forked workers share with their parent are
    counted once, not once per process."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
        pending += children.get(pid, [])
    return total


def run_validate(csv_path: Path, out: Path, workers: int) -> dict:
    """Run ``pathways validate`` as a command; wall time, peak memory and its own summary."""
    command = [*PATHWAYS, "validate", str(csv_path), "--format", "csv", "--output", str(out)]
    command += ["--workers", str(workers)]
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_SECONDS):
            peak = max(peak, _tree_memory_bytes(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    summary = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"pathways validate failed ({process.returncode}): {summary}")
    progress_lines = sum(1 for line in stderr.splitlines() if line.startswith("pathways: audited"))
    read = re.search(r"read in ([\d.]+) s, audited in ([\d.]+) s", summary)
    return {
        "wall": wall,
        "peak_mib": peak / 2**20,
        "read": float(read[1]) if read else float("nan"),
        "audit": float(read[2]) if read else float("nan"),
        "findings": sum(1 for _ in out.open(encoding="utf-8")) - 1,
        "progress_lines": progress_lines,
    }


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


def synthetic_batch(size: int, seed: int) -> tuple[str, CaseBatch]:
    cases, _ = synthesise(size, seed=seed, deviation_share=0.1)
    text = cases_csv(cases)
    return text, read_csv(text, f"synthetic-{size}.csv")


def flowchart_times(record, repeats: int = 20) -> tuple[float, float]:
    """Median seconds to build the DOT text with a case highlighted, and to lay it out as SVG."""
    import pygraphviz

    from pathways.cases.trace import trace_case
    from pathways.model.graph import pathway_graph
    from viz.flowchart import flowchart
    from viz.overlay import case_overlay

    digraph = pathway_graph(record.authority, record.pathway)
    findings = audit(CaseBatch(cases=[record])).findings

    def dot() -> str:
        return flowchart(digraph, case_overlay(record, trace_case(record, digraph), findings)).source

    dot()
    dot_times = [timed(dot)[1] for _ in range(repeats)]
    text = dot()
    svg_times = [timed(lambda: pygraphviz.AGraph(string=text).draw(format="svg", prog="dot"))[1] for _ in range(5)]
    return statistics.median(dot_times), statistics.median(svg_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=available_cores(), help="for pathways validate")
    parser.add_argument("--reference", type=int, default=20, help="cases for pySHACL case by case")
    parser.add_argument("--whole-graph", type=int, nargs="*", default=[5, 10], help="sizes for whole-graph pySHACL")
    parser.add_argument("--whole-graph-limit", type=float, default=300, help="skip larger sizes after this many s")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {args.workers} workers; Python {sys.version.split()[0]}", flush=True)

    rows = []
    with tempfile.TemporaryDirectory(prefix="pathways-benchmark-") as folder:
        for size in args.sizes:
            cases, _ = synthesise(size, seed=size, deviation_share=0.1)
            path = Path(folder) / f"cases-{size}.csv"
            path.write_text(cases_csv(cases), encoding="utf-8")
            result = run_validate(path, Path(folder) / f"findings-{size}.csv", args.workers)
            rows.append((size, result))
            print(f"  validate {size:>7} cases: {result['wall']:.1f} s", flush=True)
            path.unlink()

    print()
    print("pathways validate (command, synthetic cases, both authorities, 10% with deviations)")
    print(f"{'cases':>8} {'wall s':>8} {'read s':>7} {'audit s':>8} {'cases/s':>8} {'peak MiB':>9} {'findings':>9}")
    for size, r in rows:
        print(
            f"{size:>8} {r['wall']:>8.1f} {r['read']:>7.1f} {r['audit']:>8.1f} {size / r['wall']:>8.0f} "
            f"{r['peak_mib']:>9.0f} {r['findings']:>9}"
        )
    progress = rows[-1][1]["progress_lines"]
    print(f"progress lines printed on the largest run: {progress}")
    largest, result = rows[-1]
    if largest >= 100_000:
        wall, peak = result["wall"], result["peak_mib"]
        print(
            f"target, 100,000 cases in under 60 s: {'met' if wall < 60 else 'NOT met'} ({wall:.0f} s); "
            f"peak memory under 4 GiB: {'met' if peak < 4096 else 'NOT met'} ({peak:,.0f} MiB)"
        )

    # One core, in this process: the engines side by side.
    _, batch = synthetic_batch(min(args.sizes[0], 1000), seed=7)
    audit(CaseBatch(cases=batch.cases[:50]))  # warm the model and the compiled shapes
    _, fast_s = timed(audit, batch, workers=1)
    fast_rate = len(batch.cases) / fast_s
    _, reference = synthetic_batch(args.reference, seed=1)
    audit_case(reference.cases[0])
    _, per_case_s = timed(lambda: [audit_case(r) for r in reference.cases])
    per_case_rate = len(reference.cases) / per_case_s
    whole = []
    for size in args.whole_graph:
        _, small = synthetic_batch(size, seed=size)
        _, seconds = timed(whole_graph_pyshacl, small)
        whole.append((size, seconds))
        if seconds > args.whole_graph_limit:
            break
    print()
    print("one core, in process")
    print(f"{'engine':40} {'cases':>7} {'seconds':>8} {'cases/s':>9} {'fast is':>9}")
    print(f"{'set-at-a-time (Oxigraph)':40} {len(batch.cases):>7} {fast_s:>8.1f} {fast_rate:>9.1f} {'':>9}")
    print(
        f"{'pySHACL case by case (reference)':40} {len(reference.cases):>7} {per_case_s:>8.1f} "
        f"{per_case_rate:>9.2f} {fast_rate / per_case_rate:>8.0f}x"
    )
    for size, seconds in whole:
        rate = size / seconds
        print(f"{'pySHACL whole graph':40} {size:>7} {seconds:>8.1f} {rate:>9.3f} {fast_rate / rate:>8.0f}x")
    speedup = largest / result["wall"] / per_case_rate
    print(f"pathways validate, {largest} cases, {args.workers} workers: {speedup:.0f}x pySHACL case by case (one core)")

    dot_s, svg_s = flowchart_times(reference.cases[0])
    print()
    print(
        f"flowchart with a case highlighted, model loaded: DOT {dot_s * 1000:.0f} ms; "
        f"laid out to SVG by Graphviz {svg_s * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
