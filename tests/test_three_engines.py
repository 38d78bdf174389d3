"""Every audit engine gives pySHACL's findings, finding by finding and byte for byte.

Three sets of cases are audited once each with pySHACL, the reference semantics (case by
case):

- ``conformance``: cases of the audit conformance suite (tests/conformance/), written
  from the policy texts, read as a user's file would be: the first case of each kind and
  severity of expected finding, and the first compliant case of each pathway (the whole
  suite is 121 cases, two minutes of pySHACL: tests/test_conformance.py compares the
  fast engine with pySHACL on all of it, and ``benchmarks/differential.py
  --conformance`` every engine);
- ``adversarial``: synthetic cases re-spelled, re-dated and re-timed the ways real
  exports differ (tests/adversarial.py: names, UTC offsets, UK dates, the clock changes,
  bank holidays, service-hours edges, repeated steps, shuffled rows, same-day pairs);
- ``synthetic``: synthetic cases each given a deviation where one fits, and the shipped
  sample.

Every other engine of the registry (:data:`pathways.audit.engines.ENGINES`: an engine is
checked here as soon as it is registered) must give the same findings, every field of
every finding, case by case; and ``pathways validate --format csv`` and ``--format json``
must write the same bytes, and exit with the same code, whichever ``--engine`` is chosen.

pySHACL takes about a second a case, so it audits each set once, in as many processes as
there are cores; the command's runs with ``--engine pyshacl`` answer from those results
(a record they were not computed for is audited for real, and counted: there must be
none). A disagreement found here is kept as a strict expected failure in
KNOWN_DISAGREEMENTS, with the case, until the engine is fixed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import astuple
from pathlib import Path

import pytest
from adversarial import AS_OF, KINDS, NIGHT, adversarial_cases, clock_changes, service_hours, springs_forward
from conformance_suite import load_cases
from typer.testing import CliRunner

from pathways.audit import ENGINES, RULE_KINDS, SEVERITIES, audit_cases, available_cores
from pathways.cases import read_cases, read_csv
from pathways.cases.synth import Generator, cases_csv, synthesise
from pathways.cases.workdays import england_bank_holidays
from pathways.cli import app
from pathways.model.resources import SAMPLE_CASES

REFERENCE = "pyshacl"
CANDIDATES = [name for name in ENGINES if name != REFERENCE]
SETS = ("conformance", "adversarial", "synthetic")
SEED = 16
ADVERSARIAL_CASES = 30
SYNTHETIC_CASES = 40
FORMATS = ("csv", "json")
# (engine, set) -> why that engine's findings differ from pySHACL's on that set (the
# minimal case is in the reason); each is a strict expected failure.
KNOWN_DISAGREEMENTS: dict[tuple[str, str], str] = {}


def _marked(engine: str, name: str):
    reason = KNOWN_DISAGREEMENTS.get((engine, name))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(engine, name, marks=marks, id=f"{engine}-{name}")


PAIRS = [_marked(engine, name) for engine in CANDIDATES for name in SETS]


def conformance_selection() -> tuple[str, list[str]]:
    """The suite's CSV text cut to the first case of each expected (kind, severity) and the
    first compliant case of each pathway, with the ids chosen, in the suite's order."""
    text, expected, cases = load_cases()
    chosen, seen = [], set()
    for case_id, case in cases.items():
        wanted = {(x.kind, x.severity) for x in expected[case_id]} or {
            ("compliant", case["authority"], case["pathway"])
        }
        if wanted - seen:
            chosen.append(case_id)
            seen |= wanted
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([rows[0], *(r for r in rows[1:] if r[0] in chosen)])
    return buffer.getvalue(), chosen


@pytest.fixture(scope="module")
def adversarial():
    return adversarial_cases(ADVERSARIAL_CASES, SEED)


@pytest.fixture(scope="module")
def files(tmp_path_factory, adversarial) -> dict[str, list[Path]]:
    """Each set as the files a user would pass to ``pathways validate``."""
    folder = tmp_path_factory.mktemp("three-engines")
    cases, _ = synthesise(SYNTHETIC_CASES, seed=SEED, deviation_share=1.0, today=AS_OF)
    texts = {"conformance": conformance_selection()[0], "adversarial": adversarial.csv, "synthetic": cases_csv(cases)}
    written = {}
    for name, text in texts.items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        written[name] = [path]
    written["synthetic"].append(SAMPLE_CASES)
    return written


@pytest.fixture(scope="module")
def reference(files):
    """pySHACL's audit of each set, once."""
    return {
        name: audit_cases(read_cases(paths), engine_name=REFERENCE, workers=available_cores())
        for name, paths in files.items()
    }


def signature(result) -> tuple[list, list]:
    """Every field of every finding, case by case in input order; and the rejected inputs."""
    cases = [(r.case.case_id, sorted(astuple(f) for f in r.findings)) for r in result.results]
    return cases, [(r.case_id, r.message) for r in result.rejected]


def first_differences(expected, found, limit: int = 5) -> list[str]:
    """The first findings only one side has, for the assertion message."""
    lines = []
    for (case_id, want), (other_id, got) in zip(expected[0], found[0], strict=False):
        if case_id != other_id:
            return [f"cases out of step: {case_id} and {other_id}"]
        lines += [f"only {REFERENCE}: {f}" for f in want if f not in got]
        lines += [f"only the engine: {f}" for f in got if f not in want]
        if len(lines) >= limit:
            break
    return lines[:limit]


@pytest.mark.parametrize(("engine", "name"), PAIRS)
def test_every_engine_gives_pyshacls_findings(engine, name, files, reference):
    expected = signature(reference[name])
    found = signature(audit_cases(read_cases(files[name]), engine_name=engine))
    assert len(found[0]) == len(expected[0])
    assert found == expected, "\n".join(first_differences(expected, found))


class Replayed:
    """The reference engine answering from the results computed once; a record those
    results do not hold (or hold differently) is audited for real, and counted."""

    def __init__(self, real, results) -> None:
        self.name, self.description, self.chunk = real.name, real.description, real.chunk
        self.real = real
        self.results = {r.case.case_id: r for r in results}
        self.misses = 0

    def prepare(self, records) -> None:
        return None

    def audit_records(self, records):
        answers = []
        for record in records:
            known = self.results.get(record.case_id)
            if known is None or known.case != record:
                self.misses += 1
                known = self.real.audit_records([record])[0]
            answers.append(known)
        return answers


def validate(paths: list[Path], engine: str, fmt: str, output: Path) -> tuple[int, bytes]:
    args = ["validate", *map(str, paths), "--engine", engine, "--format", fmt, "-o", str(output), "--workers", "1"]
    run = CliRunner().invoke(app, args)
    assert run.exit_code in (0, 1, 2), run.output
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    return run.exit_code, output.read_bytes()


@pytest.fixture(scope="module")
def reference_output(files, reference, tmp_path_factory) -> dict[tuple[str, str], tuple[int, bytes]]:
    """What ``pathways validate --engine pyshacl`` writes for each set and format."""
    folder = tmp_path_factory.mktemp("reference-output")
    written = {}
    with pytest.MonkeyPatch.context() as patch:
        for name, paths in files.items():
            replayed = Replayed(ENGINES[REFERENCE], reference[name].results)
            patch.setitem(ENGINES, REFERENCE, replayed)
            for fmt in FORMATS:
                written[name, fmt] = validate(paths, REFERENCE, fmt, folder / f"{name}.{fmt}")
            assert replayed.misses == 0, f"{name}: {replayed.misses} records read differently by the command"
    return written


@pytest.mark.parametrize(("engine", "name"), PAIRS)
def test_validate_writes_the_same_bytes_with_every_engine(engine, name, files, reference_output, tmp_path):
    for fmt in FORMATS:
        code, text = validate(files[name], engine, fmt, tmp_path / f"{name}.{fmt}")
        expected_code, expected = reference_output[name, fmt]
        assert code == expected_code, fmt
        if text != expected:
            at = next(i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b)
            pytest.fail(f"{fmt} differs at byte {at}: {text[at - 80 : at + 80]!r} vs {expected[at - 80 : at + 80]!r}")
        assert text == expected


def test_the_reference_findings_cover_every_rule_kind_and_severity(reference):
    """The sets between them hold a finding of every rule kind a file can give, and of every severity."""
    findings = [f for result in reference.values() for f in result.findings]
    # the structural shapes never fire on cases read from files (tests/test_engine.py breaks case graphs for them)
    kinds = {kind for kind, words in RULE_KINDS.items() if not words.startswith("malformed")}
    assert {f.rule.split(":")[0] for f in findings} == kinds
    assert {f.severity for f in findings} == set(SEVERITIES)
    adversarial = {f.rule.split(":")[0] for f in reference["adversarial"].findings}
    assert {"service-hours", "timescale"} <= adversarial
    assert sum(len(r.results) for r in reference.values()) <= 125, "more pySHACL work than this file's budget"


def test_the_conformance_selection_has_every_kind_of_expectation_and_every_pathway():
    _, expected, cases = load_cases()
    _, chosen = conformance_selection()
    every = {(x.kind, x.severity) for xs in expected.values() for x in xs}
    assert {(x.kind, x.severity) for c in chosen for x in expected[c]} == every
    assert {(cases[c]["authority"], cases[c]["pathway"]) for c in chosen} == {
        (c["authority"], c["pathway"]) for c in cases.values()
    }
    assert any(not expected[c] for c in chosen)


def _rows(text: str) -> dict[int, dict[str, str]]:
    """The CSV's rows by the row number the reader gives them (the header is row 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return {number: dict(zip(header, values, strict=True)) for number, values in enumerate(reader, start=2)}


def test_the_adversarial_cases_are_read_whole_and_exercise_every_kind(adversarial):
    print(adversarial.report())
    batch = read_csv(adversarial.csv, "adversarial.csv")
    assert not batch.rejected
    assert [c.case_id for c in batch.cases] == list(adversarial.kinds)
    assert not adversarial.short, adversarial.report()
    assert min(adversarial.kept()[kind] for kind in KINDS) >= ADVERSARIAL_CASES // len(KINDS)
    # every drop is the reader's refusal of a name folding does not match
    assert all(kind == "unicode-names" for kind, _, _ in adversarial.dropped), adversarial.report()

    rows = _rows(adversarial.csv)
    by_kind: dict[str, list] = {kind: [] for kind in KINDS}
    for case in batch.cases:
        by_kind[adversarial.kinds[case.case_id]].append(case)

    def events(kind):
        return [(case, event, rows[event.row]) for case in by_kind[kind] for event in case.events]

    assert any(row["activity"] != event.node for _, event, row in events("step-spelling"))
    assert any(row["role"] != event.role for _, event, row in events("role-spelling"))
    assert any(not (row["activity"] + row["role"]).isascii() for _, _, row in events("unicode-names"))
    assert any(not event.has_time for _, event, _ in events("date-only"))
    assert any(row["timestamp"].endswith("Z") for _, _, row in events("utc-offsets"))
    offsets = {
        m.group() for _, _, row in events("utc-offsets") if (m := re.search(r"[+-]\d\d:\d\d$", row["timestamp"]))
    }
    assert offsets - {"+00:00", "+01:00"}, "no time at an offset other than the UK's"
    assert any("/" in row["timestamp"] for _, _, row in events("uk-dates"))

    changes = set(clock_changes(2000, AS_OF.year))
    night = [
        event
        for _, event, _ in events("clock-change")
        if event.has_time and event.day in changes and NIGHT[0] <= event.when.time() <= NIGHT[1]
    ]
    assert night, "no timed event in the night of a clock change"
    assert {springs_forward(e.day) for e in night} == {True, False}, "not both clock changes"

    assert any(len({e.node for e in c.events}) < len(c.events) for c in by_kind["repeated-step"])
    assert any([e.row for e in c.events] != sorted(e.row for e in c.events) for c in by_kind["shuffled-rows"])
    days = [event.day for _, event, _ in events("non-working-days")]
    assert any(day in england_bank_holidays() for day in days)
    assert any(day.weekday() >= 5 for day in days)
    assert any(
        a.day == b.day and a.has_time and b.has_time
        for case in by_kind["same-day-pairs"]
        for a, b in zip(case.events, case.events[1:], strict=False)
    )

    # the service-hours steps at every edge: a minute before and after opening and closing, and on them
    generator = Generator(SEED, None, AS_OF)
    edges = set()
    for case, event, _ in events("service-hours-edges"):
        kept = service_hours(generator.pathway(case.authority, case.pathway))
        if event.node in kept and event.has_time:
            minute = event.when.hour * 60 + event.when.minute
            for weekday, opens, closes in kept[event.node].windows:
                if weekday == event.when.isoweekday():
                    edges |= {(which, minute - at) for which, at in ((0, opens), (1, closes)) if abs(minute - at) <= 1}
    assert edges == {(which, after) for which in (0, 1) for after in (-1, 0, 1)}


def test_the_adversarial_text_is_the_same_for_the_same_seed(adversarial):
    assert adversarial_cases(ADVERSARIAL_CASES, SEED).csv == adversarial.csv
