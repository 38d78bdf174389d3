"""Differential check at size: every audit engine against plain pySHACL, case by case.

    python benchmarks/differential.py [--cases 2000] [--deviations 0.3] [--adversarial 0]
                                      [--conformance] [--workers 2]

Every engine of the registry (``pathways.audit.engines.ENGINES``) audits the same cases
as pySHACL, the reference semantics: the shipped sample set, thousands of synthetic
cases (together they carry a failing example of every rule kind), ``--adversarial N``
cases from tests/adversarial.py (names re-spelled, UTC offsets, UK dates, the clock
changes, bank holidays, service-hours edges, repeated steps, shuffled rows, same-day
pairs) and, with ``--conformance``, the whole audit conformance suite (tests/conformance/).
The test suite runs the same comparison on about 120 cases (tests/test_three_engines.py).
pySHACL takes about a second a case here, so 2,000 cases take about a quarter of an hour
on two cores.

It prints, per engine, the findings per rule kind and severity and the time taken, and
exits 1 if any engine's findings differ from pySHACL's in any field (case, severity,
rule, message, citation, focus event, node, evidence), listing the first differences.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter
from dataclasses import astuple
from pathlib import Path

from pathways.audit import ENGINES
from pathways.audit import audit_cases as audit
from pathways.audit.findings import Finding
from pathways.audit.workers import available_cores
from pathways.cases import CaseBatch, read_cases, read_csv
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.resources import SAMPLE_CASES

REFERENCE = "pyshacl"
TESTS = Path(__file__).resolve().parent.parent / "tests"
FIELDS = list(Finding.__dataclass_fields__)


def _from_tests(name: str):
    """A helper module of the test suite (tests/NAME.py), imported by its path."""
    spec = importlib.util.spec_from_file_location(name, TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def signature(result) -> Counter:
    """Every field of every finding."""
    return Counter(astuple(f) for f in result.findings)


def _describe(finding: tuple) -> str:
    row = dict(zip(FIELDS, finding, strict=True))
    text = " | ".join(f"{name}={str(value)[:100]!r}" for name, value in row.items() if value)
    return text[:600]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="synthetic cases")
    parser.add_argument("--deviations", type=float, default=0.3, help="share of synthetic cases given a deviation")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--adversarial", type=int, default=0, metavar="N", help="adversarial cases to add")
    parser.add_argument("--conformance", action="store_true", help="also the whole audit conformance suite")
    parser.add_argument("--workers", type=int, default=available_cores())
    args = parser.parse_args()

    parts: dict[str, CaseBatch] = {"sample": read_cases([SAMPLE_CASES])}
    if args.cases:
        cases, _ = synthesise(args.cases, seed=args.seed, deviation_share=args.deviations)
        parts["synthetic"] = read_csv(cases_csv(cases), "synthetic.csv")
    if args.adversarial:
        drawn = _from_tests("adversarial").adversarial_cases(args.adversarial, args.seed)
        print(drawn.report())
        parts["adversarial"] = read_csv(drawn.csv, "adversarial.csv")
    if args.conformance:
        text, _, _ = _from_tests("conformance_suite").load_cases()
        parts["conformance"] = read_csv(text, "conformance.csv")
    batch = CaseBatch()
    for part in parts.values():
        batch.extend(part)
    counts = ", ".join(f"{len(part.cases)} {name}" for name, part in parts.items())
    print(f"{len(batch.cases)} cases ({counts}; {len(batch.rejected)} rejected), {args.workers} workers")

    engines = [REFERENCE, *(name for name in ENGINES if name != REFERENCE)]
    results, seconds = {}, {}
    for name in engines:
        start = time.perf_counter()
        results[name] = audit(batch, engine_name=name, workers=args.workers)
        seconds[name] = time.perf_counter() - start

    kinds = {
        name: Counter((f.rule.split(":")[0], f.severity) for f in result.findings) for name, result in results.items()
    }
    rows = sorted(set().union(*kinds.values()))
    print(f"{'rule kind':20} {'severity':10} " + " ".join(f"{name:>10}" for name in engines))
    for kind, severity in rows:
        print(f"{kind:20} {severity:10} " + " ".join(f"{kinds[name][kind, severity]:>10}" for name in engines))
    print(f"{'findings':31} " + " ".join(f"{len(results[name].findings):>10}" for name in engines))
    print(f"{'time (s)':31} " + " ".join(f"{seconds[name]:>10.1f}" for name in engines))

    reference = signature(results[REFERENCE])
    different = []
    for name in engines[1:]:
        found = signature(results[name])
        missing, extra = reference - found, found - reference
        if not (missing or extra):
            print(f"{name}: identical to {REFERENCE}, every field of every finding")
            continue
        different.append(name)
        for label, differences in ((f"only {REFERENCE}", missing), (f"only {name}", extra)):
            for finding in sorted(differences)[:10]:
                print(f"{label}: {_describe(finding)}")
        print(f"{name}: DIFFERENT: {sum(missing.values())} only in {REFERENCE}, {sum(extra.values())} only in {name}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
