"""Reading the audit conformance suite (tests/conformance/) and scoring an audit against it.

Each YAML case becomes a CSV event log, read by the project's own reader (so the suite
audits exactly what a user's file would), then audited. A finding matches an expected one
when it is about the same case and step, with the same severity (and the same evidence key
for a requirement); a matched finding must also cite the expected paragraph. Run as a
script to print precision and recall per authority and kind:

    python tests/conformance_suite.py [--engine pyshacl]
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from pathways.cases.synth import CSV_COLUMNS as COLUMNS

SUITE = Path(__file__).resolve().parent / "conformance"


@dataclass(frozen=True)
class Expected:
    case_id: str
    step: str
    severity: str
    kind: str
    paragraph: str
    requirement: str
    quote: str
    reason: str


def suite_files() -> list[Path]:
    return sorted(SUITE.glob("*/*.yaml"))


def load_cases() -> tuple[str, dict[str, list[Expected]], dict[str, dict]]:
    """The suite as one CSV text, the expected findings by case id, and the cases by id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    expected: dict[str, list[Expected]] = {}
    cases: dict[str, dict] = {}
    for path in suite_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            cases[case["id"]] = {**case, "authority": document["authority"], "pathway": document["pathway"]}
            concerns = sorted({c for e in case["events"] for c in e.get("concerns", [])})
            for event in case["events"]:
                writer.writerow(
                    [
                        case["id"],
                        document["authority"],
                        document["pathway"],
                        event["activity"],
                        str(event["at"]).replace(" ", "T"),
                        event["role"],
                        ";".join(event.get("evidence", [])),
                        ";".join(concerns),
                        case.get("level_after", ""),
                        event.get("outcome", ""),
                    ]
                )
            expected[case["id"]] = [
                Expected(
                    case["id"],
                    x["step"],
                    x["severity"],
                    x["kind"],
                    str(x["paragraph"]),
                    x.get("requirement", ""),
                    x["quote"],
                    x["reason"],
                )
                for x in case["expected"]
            ]
    return buffer.getvalue(), expected, cases


def cites(source: str, paragraph: str) -> bool:
    """Whether a finding's citation ("Knowsley ... §2, 4", "... §4.3, Appendix 4") names the paragraph."""
    if paragraph[:1].isdigit():
        numbers = re.findall(r"(?:§|, )(\d+(?:\.\d+)*)", source)
        return paragraph in numbers
    return paragraph in source


def finding_key(finding) -> tuple[str, str, str, str]:
    requirement = finding.rule.split(":", 1)[1] if finding.rule.startswith("requirement:") else ""
    return finding.case_id, finding.node, finding.severity, requirement


@dataclass
class Score:
    matched: list
    unexpected: list
    missing: list
    rejected: list
    miscited: list

    @property
    def precision(self) -> float:
        found = len(self.matched) + len(self.unexpected)
        return len(self.matched) / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = len(self.matched) + len(self.missing)
        return len(self.matched) / wanted if wanted else 1.0


def score(result, expected: dict[str, list[Expected]], requirement_keys: dict[str, str]) -> Score:
    """Compare an AuditResult with the expectations; ``requirement_keys`` maps a requirement
    rule id to its evidence key."""
    matched, unexpected, missing, miscited = [], [], [], []
    for case_result in result.results:
        wanted = list(expected.get(case_result.case.case_id, []))
        for finding in case_result.findings:
            _, node, severity, rule_id = finding_key(finding)
            key = requirement_keys.get(rule_id, "")
            hit = next(
                (
                    x
                    for x in wanted
                    if x.step == node and x.severity == severity and (x.kind != "requirement" or x.requirement == key)
                ),
                None,
            )
            if hit is None:
                unexpected.append(finding)
                continue
            wanted.remove(hit)
            matched.append((hit, finding))
            if not cites(finding.source, hit.paragraph):
                miscited.append((hit, finding))
        missing += wanted
    rejected = [r for r in result.rejected]
    for r in rejected:
        missing += expected.get(r.case_id, [])
    return Score(matched, unexpected, missing, rejected, miscited)


def requirement_key_map() -> dict[str, str]:
    from pathways.model import pathways, requirements

    found = {}
    for plan in pathways():
        for row in requirements(None, plan):
            found[row.id] = row.key
    return found


def main(argv: list[str]) -> int:
    from pathways import audit_cases
    from pathways.cases import read_csv

    engine = argv[argv.index("--engine") + 1] if "--engine" in argv else "columnar"
    text, expected, cases = load_cases()
    batch = read_csv(text, "conformance.csv")
    result = audit_cases(batch, engine_name=engine)
    outcome = score(result, expected, requirement_key_map())
    wanted = sum(len(v) for v in expected.values())
    print(f"cases: {len(cases)}; audited {len(result.results)}; rejected {len(outcome.rejected)}")
    print(f"expected findings: {wanted}; reported: {len(outcome.matched) + len(outcome.unexpected)}")
    print(f"precision {outcome.precision:.1%}  recall {outcome.recall:.1%}  miscited {len(outcome.miscited)}")
    compliant = [c for c, x in expected.items() if not x]
    false_violations = {f.case_id for f in outcome.unexpected if f.severity == "Violation" and f.case_id in compliant}
    print(f"compliant cases with a Violation: {len(false_violations)} of {len(compliant)}")
    by_kind = Counter(f.rule.split(":")[0] for f in outcome.unexpected)
    print("unexpected by rule kind:", dict(by_kind))
    print("missing by kind:", dict(Counter(x.kind for x in outcome.missing)))
    if "-v" in argv:
        for r in outcome.rejected:
            print("REJECTED", r.message)
        for f in outcome.unexpected:
            print("UNEXPECTED", f.case_id, f.severity, f.rule, f.message[:160])
        for x in outcome.missing:
            print("MISSING", x.case_id, x.severity, x.kind, x.step, x.requirement)
        for x, f in outcome.miscited:
            print("MISCITED", x.case_id, x.paragraph, f.source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
