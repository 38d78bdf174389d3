"""Audit benchmark: every engine of ``pathways validate`` side by side at growing sizes,
where the time of the default engine goes, and the time to draw a flowchart.

    python benchmarks/run.py [--sizes 10000 100000 1000000] [--pyshacl-max 200]
                             [--pyshacl-sample 100] [--stages 10000] [--workers N]
                             [--timeout 1800] [--engines ...] [--quick]

Figures, not assertions: the targets of the issue "Audit at scale" (100,000 cases in
under 6 s, 1,000,000 in under 60 s with a peak under 4 GiB) are read off the last line.
Every case is synthetic (``pathways synth``: both authorities, 10% with injected
deviations), written to a temporary directory that is removed afterwards. ``--quick``
(sizes 1,000 and 10,000, pySHACL on 20 cases) is a smoke test.

What is measured:

* the machine: CPU model, the cores this process may run on, memory, load average, and
  the versions of Python, polars, pyoxigraph and pySHACL;
* ``pathways validate FILE --engine E --workers N --format csv`` run as a command (a
  separate process) for each engine of :data:`pathways.audit.engines.ENGINES` on each
  size, one at a time:

  - wall: from start to exit (start-up, reading, auditing and writing the report);
    read and audit: the command's own split of that, from its summary line;
  - CPU: user plus system time of the command and of every worker it forked (they are
    waited for, so the kernel adds their time to the command's; read with ``os.wait4``);
  - peak: the largest sum of the proportional set sizes of the command and its workers
    (Linux ``/proc/PID/smaps_rollup``, so pages the forked workers share with their
    parent count once), sampled at 0.2, 0.5 and 1 s and then every 2 s: reading the sizes
    walks each process's page tables, about 25 ms for a 1.7 GB process, so sampling more
    often takes a noticeable share of a core from the command; a peak between two
    samples is missed;
  - findings: the rows of the CSV report; they must agree between the engines;
  - CPU per case and its ratio to pySHACL's: pySHACL's CPU per case is measured by the
    same command on a small sample (``--pyshacl-sample`` cases, start-up included, a few
    per cent of it at 100 cases); each engine's is its CPU at that size divided by the
    cases, start-up included, which is most of it at small sizes;
  - pySHACL (about a second of CPU a case) runs only on the sample and at the sizes up to
    ``--pyshacl-max``, the set-at-a-time engine up to ``--fast-max``; a larger size is
    reported as not run, with its estimated CPU;
  - a size whose file would be larger than the reader accepts
    (:data:`pathways.cases.limits.MAX_FILE_BYTES`, about 4.5 million synthetic cases; estimated
    from the bytes a case takes in the files already written, so such a file is never
    written) is reported as refused by the reader, a command that fails or runs past
    ``--timeout`` as such;
* in this process, the columnar engine's stages on one size (``--stages``), wall and CPU
  time (``time.process_time``: this process, every thread, so polars' threads count):
  reading the file (:func:`pathways.cases.read_cases`) and the model side
  (``columnar.model_side`` for each pathway, then ``columnar.prepare``) called directly;
  then ``ENGINES["columnar"].audit_records`` itself, on the cases sorted by pathway and
  cut into chunks as the command does, with the functions it calls for each stage timed
  where it calls them (the names it looks up are wrapped for that run, then restored): the
  check that the structural shapes hold by construction (``well_formed_as_written``), the
  events tables (``columnar.case_tables``), each compiled rule's kernel (the ``kernel`` of
  each rule ``columnar.compiled_rules()`` gives, its solutions listed), the shapes no
  kernel covers (``setwise.remaining_results``) and the results made into findings
  (:func:`pathways.audit.findings.findings_from_results`); what is left of the call (the
  kernels' solutions made into validation results, grouping the cases) is "the rest".
  Past ``--timeout`` the stages stop and the time so far is printed;
* the flowchart: DOT text of a pathway with a case's route, dates and findings drawn on it
  (what the explorer hands to the browser), and the same laid out to SVG by Graphviz.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from pathways.audit.engines import DEFAULT_ENGINE, ENGINES
from pathways.cases.limits import MAX_FILE_BYTES

PATHWAYS = [sys.executable, "-m", "pathways"]
DEVIATIONS = 0.1
TARGETS = ((100_000, 6.0), (1_000_000, 60.0))
PEAK_TARGET_MIB = 4 * 1024
PEAK_TARGET_SIZE = 1_000_000
SAMPLE_AT = (0.2, 0.5, 1.0)
SAMPLE_SECONDS = 2.0


# ------------------------------------------------------------------ the machine


def _first(path: str, pattern: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                match = re.match(pattern, line)
                if match:
                    return match[1].strip()
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def machine_lines(workers: int) -> list[str]:
    cpu = _first("/proc/cpuinfo", r"model name\s*:(.*)") or platform.processor() or "unknown"
    total = _first("/proc/meminfo", r"MemTotal:\s*(\d+)")
    free = _first("/proc/meminfo", r"MemAvailable:\s*(\d+)")
    memory = (
        f"{int(total) / 2**20:.1f} GiB RAM ({int(free) / 2**20:.1f} GiB available)" if total and free else "RAM unknown"
    )
    try:
        load = "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "load average unknown"
    return [
        f"machine: {cpu}; {available_cores()} cores available of {os.cpu_count()}; {memory}; {load}",
        f"Python {platform.python_version()}; polars {_version('polars')}; pyoxigraph {_version('pyoxigraph')}; "
        f"pySHACL {_version('pyshacl')}; pathways validate --workers {workers}",
    ]


# ------------------------------------------------------------------ running the command


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
        except (OSError, IndexError, ValueError):
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


@dataclass
class Run:
    """One engine on one size: the measurements, or why there are none."""

    engine: str
    cases: int
    status: str = ""  # empty when measured
    wall: float = 0.0
    cpu: float = 0.0
    peak_mib: float = 0.0
    read: float = float("nan")
    audit: float = float("nan")
    findings: int = 0

    @property
    def measured(self) -> bool:
        return not self.status

    @property
    def cpu_per_case(self) -> float:
        return self.cpu / self.cases


def _summary(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_validate(engine: str, csv_path: Path, out: Path, cases: int, workers: int, timeout: float) -> Run:
    """Run ``pathways validate`` as a command: wall and CPU time (its own and its workers'),
    peak memory of them together, its own read/audit split and the findings written."""
    command = [*PATHWAYS, "validate", str(csv_path), "--engine", engine, "--format", "csv", "--output", str(out)]
    command += ["--workers", str(workers)]
    log = out.with_suffix(".stderr")
    peak = 0
    timed_out = threading.Event()
    with log.open("w", encoding="utf-8") as stderr:
        start = time.perf_counter()
        # A session of its own, so that a timeout ends the command and its workers together.
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            waits = [SAMPLE_AT[0], *(b - a for a, b in itertools.pairwise(SAMPLE_AT))]
            while not done.wait(waits.pop(0) if waits else SAMPLE_SECONDS):
                peak = max(peak, _tree_memory_bytes(process.pid))

        def stop() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # interrupted: end the command and its workers with this run
            stop()
            os.wait4(process.pid, 0)
            raise
        finally:
            timer.cancel()
            done.set()
        wall = time.perf_counter() - start
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    run = Run(engine, cases, wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_mib=peak / 2**20)
    summary = _summary(text)
    if timed_out.is_set():
        run.status = f"timed out after {timeout:,g} s ({run.cpu:.1f} s CPU by the command itself)"
    elif "larger than" in text:
        run.status = f"refused by the reader: {summary}"
    elif process.returncode not in (0, 1):
        run.status = f"failed (exit {process.returncode}): {summary[:200]}"
    if not run.measured:
        return run
    split = re.search(r"read in ([\d.]+) s, audited in ([\d.]+) s", summary)
    if split:
        run.read, run.audit = float(split[1]), float(split[2])
    with out.open(encoding="utf-8", newline="") as handle:
        run.findings = sum(1 for _ in csv.reader(handle)) - 1
    return run


def synthesise_file(path: Path, cases: int, seed: int) -> str:
    """Write ``cases`` synthetic cases with ``pathways synth``; an empty string, or why not."""
    command = [*PATHWAYS, "synth", "--cases", str(cases), "--seed", str(seed), "--deviations", str(DEVIATIONS)]
    done = subprocess.run([*command, "--output", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        return f"pathways synth failed (exit {done.returncode}): {_summary(done.stderr)[:200]}"
    return ""


# ------------------------------------------------------------------ the columnar engine's stages


class Stages:
    """Wall and CPU seconds added up by stage, in the order the stages first ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}

    def time(self, name: str, function, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:  # stopped part way (a timeout), the time so far still counts
            spent = self.seconds.setdefault(name, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu


def _local(iri) -> str:
    return re.split(r"[#/]", str(iri))[-1]


REST = "solutions to validation results, and the rest"


def columnar_stages(path: Path, stages: Stages) -> int:
    """Each stage of the columnar engine on the cases of ``path``: reading and the model
    side called directly, then ``ENGINES["columnar"].audit_records`` chunk by chunk as the
    command calls it, with the functions it calls for each stage timed where it calls them
    (the names it looks up are wrapped for the run; what no wrapper covers is the rest).
    Adds to ``stages`` as it goes; returns the findings."""
    from dataclasses import replace

    from pathways.audit.engines import columnar, setwise
    from pathways.cases import read_cases

    batch = stages.time("read the file (read_cases)", read_cases, [path])
    records = sorted(batch.cases, key=lambda r: (r.authority, r.pathway))  # as the command sorts them

    def model() -> None:
        for key in sorted({(r.authority, r.pathway) for r in records}):
            columnar.model_side(*key)
        columnar.prepare(records)

    stages.time("model side (model_side + prepare)", model)

    def timed(name: str, function):
        return lambda *args, **kwargs: stages.time(name, function, *args, **kwargs)

    def solved(name: str, kernel):
        return timed(name, lambda tables, side: list(kernel(tables, side)))

    compiled_rules = columnar.compiled_rules
    left = [_local(c) for c in getattr(columnar, "COMPILED", {}) if c not in compiled_rules()]
    if left:
        print(
            f"  note: {', '.join(left)} not compiled (its constraint differs from the one its kernel was written "
            "for): evaluated by the set-at-a-time engine, in remaining_results"
        )
    instrumented = {
        constraint: (replace(rule, kernel=solved(f"kernel {_local(constraint)}", rule.kernel)), users)
        for constraint, (rule, users) in compiled_rules().items()
    }
    wrappers = [
        (columnar, "well_formed_as_written", "structure holds by construction (check)"),
        (columnar, "case_tables", "events tables (case_tables)"),
        (setwise, "remaining_results", "shapes no kernel covers (setwise.remaining_results)"),
        (columnar, "findings_from_results", "results to findings (findings_from_results)"),
    ]
    saved = {(module, name): getattr(module, name) for module, name, _ in wrappers if hasattr(module, name)}
    for module, name, _ in wrappers:
        if (module, name) not in saved:
            print(f"  note: {module.__name__}.{name} not found: its time is counted in the rest")
    inner = [label for module, name, label in wrappers if (module, name) in saved]
    inner += [f"kernel {_local(c)}" for c in instrumented]
    chunk = ENGINES["columnar"].chunk
    audited = []
    try:
        columnar.compiled_rules = lambda: instrumented
        for module, name, label in wrappers:
            if (module, name) in saved:
                setattr(module, name, timed(label, saved[module, name]))
        for start in range(0, len(records), chunk):
            audited += stages.time(REST, ENGINES["columnar"].audit_records, records[start : start + chunk])
    finally:
        columnar.compiled_rules = compiled_rules
        for (module, name), function in saved.items():
            setattr(module, name, function)
        if REST in stages.seconds:
            rest = stages.seconds.pop(REST)
            for label in inner:
                if label in stages.seconds:
                    rest[0] -= stages.seconds[label][0]
                    rest[1] -= stages.seconds[label][1]
            stages.seconds[REST] = rest
    return sum(len(r.findings) for r in audited)


class StagesTimedOut(Exception):
    pass


def _stop_stages(*_) -> None:
    raise StagesTimedOut


# ------------------------------------------------------------------ the flowchart


def flowchart_times(record, repeats: int = 20) -> tuple[float, float]:
    """Median seconds to build the DOT text with a case highlighted, and to lay it out as SVG."""
    import pygraphviz

    from pathways.audit import audit_case
    from pathways.cases.trace import trace_case
    from pathways.model.graph import pathway_graph
    from viz.flowchart import flowchart
    from viz.overlay import case_overlay

    digraph = pathway_graph(record.authority, record.pathway)
    findings = audit_case(record).findings

    def dot() -> str:
        return flowchart(digraph, case_overlay(record, trace_case(record, digraph), findings)).source

    def timed(function) -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    text = dot()
    dot_times = [timed(dot) for _ in range(repeats)]
    svg_times = [timed(lambda: pygraphviz.AGraph(string=text).draw(format="svg", prog="dot")) for _ in range(5)]
    return statistics.median(dot_times), statistics.median(svg_times)


# ------------------------------------------------------------------ the report


def _rate(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.2f}"


def _ratio(reference: float | None, cpu_per_case: float) -> str:
    """An engine's CPU a case as a fraction of pySHACL's: 1/N is N times less."""
    if reference is None or cpu_per_case <= 0:
        return "-"
    times = reference / cpu_per_case
    return f"1/{times:,.0f}" if times >= 10 else f"1/{times:.1f}"


def print_table(rows: list[Run], reference: float | None) -> None:
    print()
    print(
        f"pathways validate, as a command (synthetic cases, both authorities, {DEVIATIONS:.0%} with deviations); "
        "CPU: user+sys of the command and its workers"
    )
    header = (
        f"{'cases':>9} {'engine':9} {'wall s':>8} {'read s':>7} {'audit s':>8} {'CPU s':>8} {'cases/s':>9} "
        f"{'peak MiB':>9} {'findings':>9} {'CPU ms/case':>12} {'vs pySHACL':>11}"
    )
    print(header)
    print("-" * len(header))
    previous = None
    for run in rows:
        if previous is not None and run.cases != previous:
            print()
        previous = run.cases
        if not run.measured:
            print(f"{run.cases:>9,} {run.engine:9} {run.status}")
            continue
        print(
            f"{run.cases:>9,} {run.engine:9} {run.wall:>8.1f} {run.read:>7.1f} {run.audit:>8.1f} {run.cpu:>8.1f} "
            f"{_rate(run.cases / run.wall):>9} {run.peak_mib:>9,.0f} {run.findings:>9,} "
            f"{run.cpu_per_case * 1000:>12.3f} {_ratio(reference, run.cpu_per_case):>11}"
        )
    differ, compared = [], False
    for size in sorted({r.cases for r in rows}):
        counts = {r.engine: r.findings for r in rows if r.cases == size and r.measured}
        compared |= len(counts) > 1
        if len(set(counts.values())) > 1:
            differ.append(f"at {size:,} cases " + ", ".join(f"{e} {n:,}" for e, n in counts.items()))
    if differ:
        print("findings DIFFER: " + "; ".join(differ))
    elif compared:
        print("findings: the same count from every engine measured at each size")
    if reference is not None:
        print(f"vs pySHACL: the engine's CPU a case as a fraction of pySHACL's ({reference:.2f} s a case)")


def print_stages(size: int, stages: Stages, findings: str) -> None:
    total_wall = sum(w for w, _ in stages.seconds.values())
    total_cpu = sum(c for _, c in stages.seconds.values())
    print()
    print(
        f"columnar engine, in this process, {size:,} cases in chunks of {ENGINES['columnar'].chunk:,} "
        f"({findings}; CPU: this process, every thread)"
    )
    print(f"{'stage':56} {'wall s':>8} {'share':>6} {'CPU s':>8}")
    for name, (wall, cpu) in stages.seconds.items():
        share = wall / total_wall if total_wall else 0
        print(f"{name:56} {wall:>8.2f} {share:>6.0%} {cpu:>8.2f}")
    print(f"{'total':56} {total_wall:>8.2f} {'':>6} {total_cpu:>8.2f}")


def target_line(rows: list[Run], engine: str, reasons: dict[int, str]) -> str:
    def run_at(size: int) -> Run | None:
        return next((r for r in rows if r.engine == engine and r.cases == size), None)

    def why(size: int) -> str:
        run = run_at(size)
        if run is not None:
            return run.status
        return reasons.get(size, "not in --sizes")

    parts = []
    for size, seconds in TARGETS:
        run = run_at(size)
        if run is not None and run.measured:
            verdict = "met" if run.wall < seconds else "NOT met"
            parts.append(f"{size:,} cases under {seconds:.0f} s wall: {verdict} ({run.wall:.1f} s)")
        else:
            parts.append(f"{size:,} cases under {seconds:.0f} s wall: not measured ({why(size)})")
    run = run_at(PEAK_TARGET_SIZE)
    if run is not None and run.measured:
        verdict = "met" if run.peak_mib < PEAK_TARGET_MIB else "NOT met"
        parts.append(f"peak under 4 GiB at {PEAK_TARGET_SIZE:,}: {verdict} ({run.peak_mib:,.0f} MiB)")
    else:
        parts.append(f"peak under 4 GiB at {PEAK_TARGET_SIZE:,}: not measured ({why(PEAK_TARGET_SIZE)})")
    return f"targets ({engine}): " + "; ".join(parts)


# ------------------------------------------------------------------ the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES))
    parser.add_argument("--pyshacl-max", type=int, default=200, help="largest size pySHACL is run on")
    parser.add_argument("--fast-max", type=int, default=100_000, help="largest size the set-at-a-time engine is run on")
    parser.add_argument("--pyshacl-sample", type=int, default=100, help="cases pySHACL's CPU a case is measured on")
    parser.add_argument("--stages", type=int, default=10_000, help="cases the columnar engine's stages are timed on")
    parser.add_argument("--workers", type=int, default=available_cores(), help="for pathways validate")
    parser.add_argument("--timeout", type=float, help="seconds before a command is stopped (1800; 300 --quick)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000 10000, pySHACL on 20 cases (a smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.pyshacl_sample = [1_000, 10_000], 20
    if args.timeout is None:
        args.timeout = 300 if args.quick else 1800
    # Stopped from outside: leave through the finally clauses (which end a running command).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    sizes = sorted(set(args.sizes))
    limit = f"{MAX_FILE_BYTES / 2**20:,.0f} MiB"
    for line in machine_lines(args.workers):
        print(line, flush=True)

    rows: list[Run] = []
    reasons: dict[int, str] = {}  # sizes that have no file, and why
    reference: float | None = None
    with tempfile.TemporaryDirectory(prefix="pathways-benchmark-") as folder:
        files: dict[int, Path] = {}
        bytes_per_case = 0.0

        def file_for(size: int, seed: int) -> Path | None:
            nonlocal bytes_per_case
            if size in files or size in reasons:
                return files.get(size)
            if not bytes_per_case and size > 1_000:  # learn the bytes a case takes before a large file
                probe = Path(folder) / "probe.csv"
                if not synthesise_file(probe, 1_000, 0):
                    bytes_per_case = probe.stat().st_size / 1_000
                    probe.unlink()
            estimate = size * bytes_per_case
            if estimate > MAX_FILE_BYTES * 1.05:
                reasons[size] = f"refused by the reader: file larger than {limit}, about {estimate / 2**20:,.0f} MiB"
                return None
            path = Path(folder) / f"cases-{size}.csv"
            print(f"  writing {size:,} synthetic cases", flush=True)
            failed = synthesise_file(path, size, seed)
            if failed:
                reasons[size] = failed
                return None
            written = path.stat().st_size
            bytes_per_case = max(bytes_per_case, written / size)
            if written > MAX_FILE_BYTES:
                reasons[size] = f"refused by the reader: file larger than {limit}: {written / 2**20:,.0f} MiB"
                path.unlink()
                return None
            files[size] = path
            return path

        def measure(engine: str, size: int, path: Path) -> Run:
            print(f"  {engine} on {size:,} cases", flush=True)
            out = Path(folder) / f"findings-{engine}-{size}.csv"
            run = run_validate(engine, path, out, size, args.workers, args.timeout)
            out.unlink(missing_ok=True)
            print(f"    {run.status or f'{run.wall:.1f} s wall, {run.cpu:.1f} s CPU'}", flush=True)
            return run

        if "pyshacl" in args.engines:
            sample = file_for(args.pyshacl_sample, seed=1)
            if sample is not None:
                run = measure("pyshacl", args.pyshacl_sample, sample)
                rows.append(run)
                if run.measured:
                    reference = run.cpu_per_case
            else:
                print(f"  pySHACL sample: {reasons[args.pyshacl_sample]}")
        for size in sizes:
            path = file_for(size, seed=size)
            for engine in args.engines:
                if path is None:
                    rows.append(Run(engine, size, status=reasons[size]))
                elif engine == "pyshacl" and size > args.pyshacl_max:
                    estimate = f", about {reference * size / 60:,.0f} min of CPU" if reference else ""
                    rows.append(Run(engine, size, status=f"not run: over --pyshacl-max {args.pyshacl_max}{estimate}"))
                elif engine == "fast" and size > args.fast_max:
                    done = [r for r in rows if r.engine == "fast" and r.measured]
                    estimate = f", about {done[-1].cpu_per_case * size / 60:,.0f} min of CPU" if done else ""
                    rows.append(Run(engine, size, status=f"not run: over --fast-max {args.fast_max:,}{estimate}"))
                elif not (engine == "pyshacl" and size == args.pyshacl_sample):
                    rows.append(measure(engine, size, path))
        rows.sort(key=lambda r: (r.cases, list(ENGINES).index(r.engine)))
        print_table(rows, reference)

        stages_path = file_for(args.stages, seed=args.stages)
        if stages_path is None:
            print(f"\ncolumnar engine's stages on {args.stages:,} cases: {reasons[args.stages]}")
        else:
            stages = Stages()
            signal.signal(signal.SIGALRM, _stop_stages)
            signal.setitimer(signal.ITIMER_REAL, args.timeout)
            try:
                findings = f"{columnar_stages(stages_path, stages):,} findings"
            except StagesTimedOut:
                findings = f"stopped after {args.timeout:,g} s: the stages so far"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            print_stages(args.stages, stages, findings)
        record = None
        if files:
            from pathways.cases import read_cases

            record = read_cases([files[min(files)]]).cases[0]

    if record is not None:
        try:
            dot_s, svg_s = flowchart_times(record)
        except Exception as exc:  # the figures above stand without it
            print(f"\nflowchart not timed: {type(exc).__name__}: {exc}")
        else:
            print(
                f"\nflowchart with a case highlighted, model loaded: DOT {dot_s * 1000:.0f} ms; "
                f"laid out to SVG by Graphviz {svg_s * 1000:.0f} ms"
            )
    print()
    print(target_line(rows, DEFAULT_ENGINE, reasons))


if __name__ == "__main__":
    main()
