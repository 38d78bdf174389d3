"""Differential check at size: the set-at-a-time engine against plain pySHACL, case by case.

    python benchmarks/differential.py [--cases 2000] [--deviations 0.3] [--workers 2]

The test suite runs the same comparison on a small set in CI (tests/test_engine.py);
this script runs it on thousands of synthetic cases plus the shipped sample set, which
together carry a failing example of every rule kind. pySHACL takes about a second a case
here, so 2,000 cases take about a quarter of an hour on two cores. It prints the findings
per rule kind and severity and exits 1 if any finding differs (case, rule, severity,
focus event or message), listing the first differences.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from pathways.audit import audit_cases as audit
from pathways.audit.workers import available_cores
from pathways.cases import CaseBatch, read_cases, read_csv
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.resources import SAMPLE_CASES


def signature(result) -> Counter:
    return Counter((f.case_id, f.rule, f.severity, f.focus_event, f.message) for f in result.findings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--deviations", type=float, default=0.3, help="share of synthetic cases given a deviation")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=available_cores())
    args = parser.parse_args()

    cases, _ = synthesise(args.cases, seed=args.seed, deviation_share=args.deviations)
    synthetic = read_csv(cases_csv(cases), "synthetic.csv")
    sample = read_cases([SAMPLE_CASES])
    batch = CaseBatch(cases=sample.cases + synthetic.cases)

    start = time.perf_counter()
    fast = audit(batch, workers=args.workers)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    reference = audit(batch, engine_name="pyshacl", workers=args.workers)
    reference_s = time.perf_counter() - start

    kinds = Counter((f.rule.split(":")[0], f.severity) for f in reference.findings)
    counts = f"{len(sample.cases)} sample, {len(synthetic.cases)} synthetic"
    print(f"{len(batch.cases)} cases ({counts}), {args.workers} workers")
    print(f"set-at-a-time: {fast_s:.1f} s; pySHACL case by case: {reference_s:.1f} s")
    print(f"{'rule kind':20} {'severity':10} {'findings':>9}")
    for (kind, severity), count in sorted(kinds.items()):
        print(f"{kind:20} {severity:10} {count:>9}")
    missing = signature(reference) - signature(fast)
    extra = signature(fast) - signature(reference)
    print(f"findings: pySHACL {len(reference.findings)}, set-at-a-time {len(fast.findings)}")
    if missing or extra:
        for label, differences in (("only pySHACL", missing), ("only set-at-a-time", extra)):
            for finding in list(differences)[:10]:
                print(f"{label}: {finding}")
        print(f"DIFFERENT: {sum(missing.values())} only in pySHACL, {sum(extra.values())} only in the fast engine")
        return 1
    print("identical: every finding agrees (case, rule, severity, focus event, message)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
