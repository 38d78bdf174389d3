"""Reading case records: CSV event logs, Turtle and JSON-LD, good and bad.

File-level problems raise InputError naming the file; a problem in a row rejects only that
row's case, with one line naming the file, the row and what is wrong; the other cases of
the file still load, so cases in the file = cases loaded + cases rejected.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from rdflib.namespace import SKOS

from pathways.cases import CaseBatch, CaseRecord, read_bytes, read_cases, resolver
from pathways.cases.workdays import LAST_YEAR
from pathways.errors import InputError
from pathways.model.policy import authorities, node_id
from pathways.model.terms import label

AUTHORITY, PATHWAY = "cheshire-east", "step-down-assessment"
HEADER = "case_id,authority,pathway,activity,timestamp,role,evidence"
GOOD = [
    "GOOD-1,cheshire-east,step-down-assessment,need-reduced,2025-07-17T09:15,Social Worker,",
    "GOOD-1,cheshire-east,step-down-assessment,complete-cf-assessment,2025-07-22T09:15,Social Worker,"
    "recommended-action-safety-plan;tasks-interventions-outlined",
    "GOOD-2,knowsley,step-down-cin,final-cin-meeting,2025-06-02T10:00,Social Worker,",
]
BAD_ROW = 5  # the first row after the header and GOOD


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def load(data: bytes, name: str = "cases.csv") -> CaseBatch:
    return read_bytes(data, name)


def case_ids_in(data: bytes) -> set[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return {r[0].strip() for r in rows[1:] if r and r[0].strip()}


def one_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message


# ---------------------------------------------------------------- good CSV


def test_good_rows_load() -> None:
    batch = load(csv_bytes(*GOOD))
    assert not batch.rejected
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2"]
    first = batch.cases[0]
    assert (first.authority, first.pathway) == (AUTHORITY, PATHWAY)
    assert [e.node for e in first.events] == ["need-reduced", "complete-cf-assessment"]
    assert first.events[0].when == datetime(2025, 7, 17, 9, 15)
    assert first.events[0].row == 2 and first.events[1].row == 3
    assert first.source == "cases.csv"


@pytest.mark.parametrize("missing", ["case_id", "authority", "pathway", "activity", "timestamp", "role"])
def test_each_required_column_is_required(missing: str) -> None:
    columns = HEADER.split(",")
    keep = [i for i, c in enumerate(columns) if c != missing]
    rows = [",".join(r.split(",")[i] for i in keep) for r in GOOD]
    data = csv_bytes(*rows, header=",".join(columns[i] for i in keep))
    with pytest.raises(InputError) as caught:
        load(data, "nocol.csv")
    message = str(caught.value)
    one_line(message)
    assert message.startswith("nocol.csv:")
    assert re.search(rf"missing column\(s\) {missing}\b", message), message


def test_evidence_and_other_case_columns_are_optional() -> None:
    header = "case_id,authority,pathway,activity,timestamp,role"
    rows = [",".join(r.split(",")[:6]) for r in GOOD]
    batch = load(csv_bytes(*rows, header=header))
    assert len(batch.cases) == 2 and not batch.rejected
    assert all(e.evidence == () for c in batch.cases for e in c.events)


@pytest.mark.parametrize(
    "header",
    [
        "case:concept:name,case:authority,case:pathway,concept:name,time:timestamp,org:role,evidence",
        "case:concept:name,authority,pathway,concept:name,time:timestamp,org:resource,evidence",
        "Case_ID , AUTHORITY,Pathway,Activity,TimeStamp,Role,Evidence",
    ],
)
def test_xes_aliases_and_header_case(header: str) -> None:
    batch = load(csv_bytes(*GOOD, header=header))
    assert not batch.rejected
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2"]
    assert batch.cases[0].events[1].evidence == ("recommended-action-safety-plan", "tasks-interventions-outlined")
    assert batch.cases[0].events[0].role == "Social Worker"


def test_alias_and_its_column_together_is_a_duplicate() -> None:
    header = "case_id,case:concept:name,authority,pathway,activity,timestamp,role"
    with pytest.raises(InputError, match=r"dup\.csv: duplicate column\(s\) case_id"):
        load(csv_bytes(header=header), "dup.csv")


def test_extra_columns_are_allowed() -> None:
    header = "worker_id,case_id,authority,pathway,notes,activity,timestamp,role,evidence,lifecycle:transition"
    rows = []
    for number, row in enumerate(GOOD):
        case_id, authority, pathway, activity, timestamp, role, evidence = row.split(",")
        rows.append(
            f"W{number},{case_id},{authority},{pathway},a note,{activity},{timestamp},{role},{evidence},complete"
        )
    batch = load(csv_bytes(*rows, header=header))
    assert not batch.rejected
    assert [len(c.events) for c in batch.cases] == [2, 1]
    assert batch.cases[0].events[1].evidence == ("recommended-action-safety-plan", "tasks-interventions-outlined")


def fold(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").split()).casefold()


def _step_with_alt_label() -> tuple[str, str, str]:
    """A step of the pathway with a label and an alt label naming no other step (read from the model)."""
    lookup = resolver()
    graph = lookup.graph
    plan = lookup.pathways[AUTHORITY, PATHWAY]
    names = lookup.steps(AUTHORITY, PATHWAY)
    for node in sorted(set(names.values())):
        for alt in sorted(map(str, graph.objects(node, SKOS.altLabel))):
            name = label(graph, node)
            if name and names.get(fold(alt)) == node:
                return node_id(plan.iri, node), name, alt
    pytest.fail(f"no step of {AUTHORITY}/{PATHWAY} has an alt label")


def test_activity_by_id_label_and_alt_label_case_insensitively() -> None:
    step, name, alt = _step_with_alt_label()
    spellings = [step, step.upper(), step.replace("-", " "), name, name.upper(), name.lower(), alt, alt.swapcase()]
    rows = [
        f'S-{i},{AUTHORITY},{PATHWAY},"{spelling}",2025-07-{10 + i:02d},Social Worker,'
        for i, spelling in enumerate(spellings)
    ]
    batch = load(csv_bytes(*rows))
    assert not batch.rejected, [r.message for r in batch.rejected]
    assert [c.events[0].node for c in batch.cases] == [step] * len(spellings)


def test_role_by_label_alt_label_or_id() -> None:
    lookup = resolver()
    social_worker = next(
        iri for iri in set(lookup.roles(AUTHORITY).values()) if str(iri).endswith("/role-social-worker")
    )
    alt = sorted(map(str, lookup.graph.objects(social_worker, SKOS.altLabel)))[0]
    spellings = [
        "Social Worker",
        "social worker",
        "SOCIAL WORKER",
        alt,
        alt.upper(),
        "role-social-worker",
        "social-worker",
        "social_worker",
        str(social_worker),
    ]
    rows = [
        f'R-{i},{AUTHORITY},{PATHWAY},need-reduced,2025-07-{10 + i:02d},"{spelling}",'
        for i, spelling in enumerate(spellings)
    ]
    batch = load(csv_bytes(*rows))
    assert not batch.rejected, [r.message for r in batch.rejected]
    assert {c.events[0].role_iri for c in batch.cases} == {social_worker}
    assert {c.events[0].role for c in batch.cases} == {label(lookup.graph, social_worker)}


def test_a_role_of_the_other_authority_is_not_accepted() -> None:
    row = f"X-1,{AUTHORITY},{PATHWAY},need-reduced,2025-07-10,Family First Case Manager,"
    batch = load(csv_bytes(row))
    assert not batch.cases
    assert "is not a role of cheshire-east" in batch.rejected[0].message


def test_events_are_sorted_by_time_and_numbered() -> None:
    rows = [
        "T-1,cheshire-east,step-down-assessment,team-manager-agrees-step-down,2025-07-25T09:42,Team Manager,",
        "T-1,cheshire-east,step-down-assessment,need-reduced,2025-07-17T09:15,Social Worker,",
        "T-1,cheshire-east,step-down-assessment,family-consents,2025-07-22T09:42,Family,",
        "T-1,cheshire-east,step-down-assessment,complete-cf-assessment,2025-07-22T09:15,Social Worker,",
    ]
    record = load(csv_bytes(*rows)).cases[0]
    assert [e.node for e in record.events] == [
        "need-reduced",
        "complete-cf-assessment",
        "family-consents",
        "team-manager-agrees-step-down",
    ]
    assert [e.sequence for e in record.events] == [1, 2, 3, 4]
    assert [e.row for e in record.events] == [3, 5, 4, 2]


def test_date_only_and_date_time_events_sort_together() -> None:
    rows = [
        "T-2,cheshire-east,step-down-assessment,complete-cf-assessment,2025-07-22T09:15,Social Worker,",
        "T-2,cheshire-east,step-down-assessment,need-reduced,2025-07-22,Social Worker,",
        "T-2,cheshire-east,step-down-assessment,family-consents,2025-07-21T23:59,Family,",
    ]
    record = load(csv_bytes(*rows)).cases[0]
    assert [e.node for e in record.events] == ["family-consents", "need-reduced", "complete-cf-assessment"]
    assert [e.has_time for e in record.events] == [True, False, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/07/2025", date(2025, 7, 17)),
        ("05/06/2025", date(2025, 6, 5)),  # 5 June, not 6 May
        ("5/6/2025", date(2025, 6, 5)),
        ("01/12/2025 14:30", datetime(2025, 12, 1, 14, 30)),  # Cheshire East is in force from January 2025
        ("01/12/2025 09:05:07", datetime(2025, 12, 1, 9, 5, 7)),
        ("2025-07-17", date(2025, 7, 17)),
        ("2025-07-17 09:15", datetime(2025, 7, 17, 9, 15)),
        ("2025-07-17T08:15Z", datetime(2025, 7, 17, 9, 15)),  # UTC read as UK clock time (BST)
        ("2025-01-17T09:15+00:00", datetime(2025, 1, 17, 9, 15)),  # GMT
    ],
)
def test_timestamps(text: str, expected: date | datetime) -> None:
    batch = load(csv_bytes(f"D-1,cheshire-east,step-down-assessment,need-reduced,{text},Social Worker,"))
    assert not batch.rejected, [r.message for r in batch.rejected]
    when = batch.cases[0].events[0].when
    assert when == expected and type(when) is type(expected)


def test_a_bom_at_the_start_is_ignored() -> None:
    batch = load(b"\xef\xbb\xbf" + csv_bytes(*GOOD))
    assert not batch.rejected
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2"]


def test_evidence_and_concerns_are_split_on_semicolons() -> None:
    header = "case_id,authority,pathway,activity,timestamp,role,evidence,concerns,level_after"
    rows = [
        "E-1,cheshire-east,step-down-assessment,need-reduced,2025-07-17,Social Worker,,"
        '"Neglect; Non engagement",Extra Help',
        "E-1,cheshire-east,step-down-assessment,complete-cf-assessment,2025-07-22,Social Worker,"
        "recommended-action-safety-plan; tasks-interventions-outlined ;;contingency-plan-disengagement,"
        "open_early_help_plan,Extra Help",
    ]
    record = load(csv_bytes(*rows, header=header)).cases[0]
    assert record.events[1].evidence == (
        "recommended-action-safety-plan",
        "tasks-interventions-outlined",
        "contingency-plan-disengagement",
    )
    assert record.events[0].evidence == ()
    assert record.concerns == {"neglect", "non-engagement", "open-early-help-plan"}
    assert record.level_after == "Extra Help"


def test_blank_lines_are_skipped() -> None:
    batch = load(csv_bytes(GOOD[0], "", ",,,,,,", GOOD[1], GOOD[2]))
    assert not batch.rejected and len(batch.cases) == 2


# ---------------------------------------------------------------- bad CSV: whole file


def _future() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


FILE_ERRORS = [
    ("empty", b"", "empty file"),
    ("blank", b" \n\n \n", "empty file"),
    ("header only", csv_bytes(), "no events"),
    ("semicolons", csv_bytes(*GOOD).replace(b",", b";"), "missing column(s) case_id, authority"),
    ("tabs", csv_bytes(*GOOD).replace(b",", b"\t"), "is the file comma-separated?"),
    ("missing role column", csv_bytes(header=HEADER.replace(",role", "")), "missing column(s) role"),
    ("duplicate column", csv_bytes(header=HEADER + ",role"), "duplicate column(s) role"),
    (
        "latin-1 bytes",
        csv_bytes(GOOD[0].replace("Social Worker", "Social Worker caf\xe9")).replace(b"\xc3\xa9", b"\xe9"),
        "not UTF-8 text (byte ",
    ),
    ("UTF-16", "\n".join([HEADER, *GOOD]).encode("utf-16"), "not UTF-8 text"),
    ("spreadsheet", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "missing column(s)"),
]


@pytest.mark.parametrize(("what", "data", "expected"), FILE_ERRORS, ids=[e[0] for e in FILE_ERRORS])
def test_file_level_problems_raise_input_error(what: str, data: bytes, expected: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load(data, "upload.csv")
    message = str(caught.value)
    one_line(message)
    assert message.startswith("upload.csv: ")
    assert expected in message
    # the same through read_cases, naming the path
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(f"{path}: ")):
        read_cases([path])


def test_semicolon_file_hint() -> None:
    with pytest.raises(InputError, match=r"is the file comma-separated\?"):
        load(csv_bytes(*GOOD).replace(b",", b";"))


def test_unreadable_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(InputError, match=re.escape(f"{missing}: cannot be read")):
        read_cases([missing])


def test_unknown_file_type() -> None:
    with pytest.raises(InputError, match=r"cases\.xlsx: unknown file type '\.xlsx'"):
        read_bytes(csv_bytes(*GOOD), "cases.xlsx")


# ---------------------------------------------------------------- bad CSV: one case rejected

CE_ROW = "BAD,cheshire-east,step-down-assessment,{activity},{timestamp},{role},"


def bad_row(activity: str = "need-reduced", timestamp: str = "2025-07-17T09:00", role: str = "Social Worker") -> str:
    return CE_ROW.format(activity=activity, timestamp=timestamp, role=role)


ROW_ERRORS = [
    ("unknown activity", [bad_row(activity="make-tea")], "row 5", "activity 'make-tea' is not a step of"),
    (
        "activity of another pathway",
        [bad_row(activity="final-cin-meeting")],
        "row 5",
        "'final-cin-meeting' is not a step",
    ),
    ("unknown role", [bad_row(role="Wizard")], "row 5", "role 'Wizard' is not a role of cheshire-east"),
    ("empty role", [bad_row(role="")], "row 5", "role '' is not a role"),
    (
        "unknown authority",
        ["BAD,wirral,step-down-assessment,need-reduced,2025-07-17,Social Worker,"],
        "case BAD",
        "unknown authority 'wirral' (known: " + ", ".join(a.id for a in authorities()) + ")",
    ),
    (
        "unknown pathway",
        ["BAD,cheshire-east,step-sideways,need-reduced,2025-07-17,Social Worker,"],
        "case BAD",
        "unknown pathway 'step-sideways' for cheshire-east",
    ),
    ("unparseable date", [bad_row(timestamp="last Tuesday")], "row 5", "timestamp 'last Tuesday': not an ISO 8601"),
    ("US date", [bad_row(timestamp="07/17/2025")], "row 5", "timestamp '07/17/2025'"),
    ("empty date", [bad_row(timestamp="")], "row 5", "empty timestamp"),
    ("impossible date", [bad_row(timestamp="2025-02-31")], "row 5", "timestamp '2025-02-31': day is out of range"),
    ("impossible UK date", [bad_row(timestamp="31/02/2025")], "row 5", "timestamp '31/02/2025': day is out of range"),
    ("impossible time", [bad_row(timestamp="2025-02-03T25:00")], "row 5", "timestamp '2025-02-03T25:00'"),
    ("five-digit year", [bad_row(timestamp="20255-01-01")], "row 5", "timestamp '20255-01-01'"),
    ("five-digit year with time", [bad_row(timestamp="20255-01-01T10:00")], "row 5", "timestamp '20255-01-01T10:00'"),
    ("future date", [bad_row(timestamp=_future())], "row 5", "is in the future"),
    ("far future", [bad_row(timestamp="2099-01-01")], "row 5", f"is outside 2000-{LAST_YEAR}"),
    ("before 2000", [bad_row(timestamp="1999-12-31")], "row 5", "1999-12-31 is outside 2000"),
    (
        "mixed time zones",
        [
            bad_row(timestamp="2025-07-17T09:00+01:00"),
            bad_row(activity="complete-cf-assessment", timestamp="2025-07-18T09:00"),
        ],
        "row 6",
        "timestamps with and without a time zone are mixed in case 'BAD'",
    ),
    ("duplicate event", [bad_row(), bad_row()], "row 6", "duplicate event (same activity, timestamp and role)"),
    (
        "duplicate event, other spelling",
        [bad_row(), bad_row(role="social worker", activity="NEED-REDUCED")],
        "row 6",
        "duplicate event",
    ),
    ("too many fields", [bad_row() + ",surplus"], "row 5", "8 fields, header has 7"),
    ("too few fields", ["BAD,cheshire-east,step-down-assessment"], "row 5", "3 fields, header has 7"),
    (
        "unclosed quote",
        ['BAD,cheshire-east,step-down-assessment,"need-reduced,2025-07-17,Social Worker,'],
        "row 5",
        "fields, header has 7",
    ),
    (
        "conflicting authority",
        [bad_row(), "BAD,knowsley,step-down-assessment,need-reduced,2025-07-18,Social Worker,"],
        "row 6",
        "case 'BAD' has authority 'knowsley' here but 'cheshire-east' earlier",
    ),
    (
        "conflicting pathway",
        [bad_row(), "BAD,cheshire-east,step-down-cin,need-reduced,2025-07-18,Social Worker,"],
        "row 6",
        "case 'BAD' has pathway 'step-down-cin' here but 'step-down-assessment' earlier",
    ),
    (
        "bad row after good rows",
        [bad_row(), bad_row(timestamp="2025-07-18"), bad_row(role="Wizard", timestamp="2025-07-19")],
        "row 7",
        "role 'Wizard'",
    ),
    ("oversized field", [bad_row(activity="x" * 200_000)], "row 5", "is not a step of"),
]


@pytest.mark.parametrize(("what", "rows", "where", "expected"), ROW_ERRORS, ids=[e[0] for e in ROW_ERRORS])
def test_row_problems_reject_only_their_case(what: str, rows: list[str], where: str, expected: str) -> None:
    data = csv_bytes(*GOOD, *rows)
    batch = load(data, "upload.csv")
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2"]
    assert [r.case_id for r in batch.rejected] == ["BAD"]
    message = batch.rejected[0].message
    one_line(message)
    assert len(message) < 400, message
    assert message.startswith("upload.csv, ")
    assert where in message
    assert expected in message
    assert str(batch.rejected[0]) == message
    # nothing lost
    assert len(case_ids_in(data)) == len(batch.cases) + len(batch.rejected)


@pytest.mark.parametrize(
    "row",
    [
        "BAD,wirral,step-down-assessment,need-reduced,2025-07-17,Social Worker,",
        "BAD,cheshire-east,step-sideways,need-reduced,2025-07-17,Social Worker,",
    ],
    ids=["authority", "pathway"],
)
def test_unknown_authority_or_pathway_names_the_row(row: str) -> None:
    batch = load(csv_bytes(*GOOD, row), "upload.csv")
    assert f"row {BAD_ROW}" in batch.rejected[0].message


def test_empty_case_id_is_rejected_by_row() -> None:
    data = csv_bytes(*GOOD, ",cheshire-east,step-down-assessment,need-reduced,2025-07-17,Social Worker,")
    batch = load(data, "upload.csv")
    assert len(batch.cases) == 2
    assert [r.message for r in batch.rejected] == ["upload.csv, row 5: empty case_id"]


def test_many_bad_cases_none_lost() -> None:
    rows = [GOOD[0], GOOD[1], GOOD[2]]
    # the unclosed quote swallows the rest of the file, so it goes last
    ordered = sorted(ROW_ERRORS, key=lambda e: e[0] == "unclosed quote")
    for number, (_what, bad, _where, _expected) in enumerate(ordered):
        rows += [r.replace("BAD,", f"BAD-{number},", 1) for r in bad]
    data = csv_bytes(*rows)
    batch = load(data)
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2"]
    assert sorted(r.case_id for r in batch.rejected) == sorted(f"BAD-{n}" for n in range(len(ROW_ERRORS)))
    assert len(case_ids_in(data)) == len(batch.cases) + len(batch.rejected)


def test_only_bad_rows_is_still_a_batch() -> None:
    batch = load(csv_bytes(bad_row(activity="make-tea")))
    assert not batch.cases and len(batch.rejected) == 1


def test_the_same_case_in_two_files_is_rejected_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(csv_bytes(*GOOD))
    second.write_bytes(csv_bytes(GOOD[2], "GOOD-3,knowsley,step-down-cin,final-cin-meeting,2025-06-03,Social Worker,"))
    batch = read_cases([first, second])
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2", "GOOD-3"]
    assert [(r.case_id, r.source) for r in batch.rejected] == [("GOOD-2", str(second))]
    assert f"also in {first}" in batch.rejected[0].message


def test_sample_file_loads_completely(sample_csv: Path) -> None:
    batch = read_cases([sample_csv])
    assert not batch.rejected
    assert len(batch.cases) == len(case_ids_in(sample_csv.read_bytes())) == 24


# ---------------------------------------------------------------- Turtle and JSON-LD


def comparable(record: CaseRecord) -> tuple:
    """A case record without where it came from (file name, CSV row numbers); evidence as a set."""
    events = tuple(
        (e.sequence, e.node, e.node_iri, e.when, e.role, e.role_iri, frozenset(e.evidence)) for e in record.events
    )
    return (
        record.case_id,
        record.authority,
        record.pathway,
        record.pathway_iri,
        events,
        frozenset(record.concerns),
        record.level_before,
        record.level_after,
    )


@pytest.fixture(scope="module")
def csv_case(data_dir: Path) -> CaseRecord:
    batch = read_cases([data_dir / "ce-case.csv"])
    assert not batch.rejected
    (record,) = batch.cases
    assert len(record.events) == 4 and record.level_after == "Targeted Lower Tier"
    return record


@pytest.mark.parametrize("name", ["ce-case.ttl", "ce-case.jsonld"])
def test_rdf_loads_to_the_same_case_as_csv(name: str, data_dir: Path, csv_case: CaseRecord, no_network) -> None:
    batch = read_cases([data_dir / name])
    assert not batch.rejected, [r.message for r in batch.rejected]
    (record,) = batch.cases
    assert record.source == str(data_dir / name)
    assert comparable(record) == comparable(csv_case)


@pytest.mark.parametrize("name", ["ce-case.ttl", "ce-case.jsonld"])
def test_rdf_level_after_is_the_models_label(name: str, data_dir: Path) -> None:
    # pw:levelAfter is a level IRI of the model; the record holds its label, as a CSV gives it
    (record,) = read_cases([data_dir / name]).cases
    assert record.level_after == "Targeted Lower Tier"


def test_json_suffix_is_read_as_json_ld(data_dir: Path, csv_case: CaseRecord) -> None:
    batch = read_bytes((data_dir / "ce-case.jsonld").read_bytes(), "upload.json")
    assert comparable(batch.cases[0]) == comparable(csv_case)


TTL_PREFIXES = """@prefix pw: <https://w3id.org/stepupdown/pathways#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ce: <https://w3id.org/stepupdown/cheshire-east/> .
@prefix ex: <https://example.org/> .
"""


def ttl_case(case_id: str, pathway: str = "ce:step-down-assessment", event: str = "") -> str:
    event = event or (
        "pw:carriesOut ce:step-down-assessment.need-reduced ; "
        'prov:startedAtTime "2025-07-17T09:15:00"^^xsd:dateTime ; pw:byRole ce:role-social-worker'
    )
    return (
        f'ex:{case_id} a pw:Case ; pw:caseId "{case_id}" ; pw:onPathway {pathway} ; pw:event ex:{case_id}-e1 .\n'
        f"ex:{case_id}-e1 {event} .\n"
    )


def test_rdf_bad_case_rejected_others_kept() -> None:
    text = (
        TTL_PREFIXES
        + ttl_case("OK-1")
        + ttl_case(
            "BAD-STEP",
            event=(
                "pw:carriesOut ce:step-down-assessment.make-tea ; "
                'prov:startedAtTime "2025-07-17T09:15:00"^^xsd:dateTime ; pw:byRole ce:role-social-worker'
            ),
        )
        + ttl_case("BAD-PATH", pathway="ce:step-sideways")
        + ttl_case(
            "NO-TIME", event=("pw:carriesOut ce:step-down-assessment.need-reduced ; pw:byRole ce:role-social-worker")
        )
    )
    batch = read_bytes(text.encode(), "cases.ttl")
    assert [c.case_id for c in batch.cases] == ["OK-1"]
    messages = {r.case_id: r.message for r in batch.rejected}
    assert set(messages) == {"BAD-STEP", "BAD-PATH", "NO-TIME"}
    for message in messages.values():
        one_line(message)
        assert message.startswith("cases.ttl, case ")
    assert "is not a step of cheshire-east/step-down-assessment" in messages["BAD-STEP"]
    assert "is not a pathway of the model" in messages["BAD-PATH"]
    assert "missing prov:startedAtTime" in messages["NO-TIME"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("broken.ttl", TTL_PREFIXES + 'ex:c a pw:Case ; pw:caseId "C-1" ', "not valid Turtle"),
        ("undeclared.ttl", "zz:c a pw:Case .\n", "not valid Turtle"),
        ("broken.jsonld", '{"@id": "https://example.org/c", "pw:caseId": ', "not valid JSON-LD"),
        ("broken.json", "[1, 2,", "not valid JSON-LD"),
        ("nocase.ttl", TTL_PREFIXES + 'ex:c pw:caseId "C-1" .\n', "no pw:Case in the file"),
        ("empty.ttl", "", "no pw:Case in the file"),
    ],
)
def test_malformed_rdf_is_an_input_error_naming_the_file(name: str, text: str, expected: str, no_network) -> None:
    with pytest.raises(InputError) as caught:
        read_bytes(text.encode(), f"uploads/{name}")
    message = str(caught.value)
    one_line(message)
    assert message.startswith(f"uploads/{name}: ")
    assert expected in message


@pytest.mark.parametrize(
    "context",
    [
        "https://example.org/context.jsonld",
        ["https://example.org/context.jsonld", {"pw": "https://w3id.org/stepupdown/pathways#"}],
        {"@import": "https://example.org/context.jsonld", "pw": "https://w3id.org/stepupdown/pathways#"},
    ],
    ids=["string", "list", "import"],
)
def test_remote_json_ld_context_is_refused_without_network(context, data_dir: Path, no_network, tmp_path: Path) -> None:
    document = json.loads((data_dir / "ce-case.jsonld").read_text())
    document["@context"] = context
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as caught:
        read_cases([path])
    message = str(caught.value)
    one_line(message)
    assert message.startswith(f"{path}: ")
    assert "not fetched" in message


def test_nested_remote_context_is_refused_without_network(data_dir: Path, no_network) -> None:
    document = json.loads((data_dir / "ce-case.jsonld").read_text())
    document["event"][0]["@context"] = "https://example.org/nested.jsonld"
    with pytest.raises(InputError, match=r"nested\.jsonld: remote JSON-LD @context is not fetched"):
        read_bytes(json.dumps(document).encode(), "nested.jsonld")


def test_no_network_fixture_blocks_sockets(no_network) -> None:
    import urllib.request

    with pytest.raises(AssertionError, match="network socket"):
        urllib.request.urlopen("http://example.org/", timeout=1)


def test_owl_imports_is_refused(data_dir: Path, no_network) -> None:
    text = (data_dir / "ce-case.ttl").read_text() + (
        "\n<https://example.org/cases/> <http://www.w3.org/2002/07/owl#imports> <https://example.org/more.ttl> .\n"
    )
    with pytest.raises(InputError, match=r"^imports\.ttl: owl:imports is not followed"):
        read_bytes(text.encode(), "imports.ttl")


def test_events_before_the_policy_was_issued_are_rejected_with_the_row(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "case_id,authority,pathway,activity,timestamp,role\n"
        "OLD,cheshire-east,step-down-assessment,complete-cf-assessment,2024-06-03,Social Worker\n"
        "NEW,cheshire-east,step-down-assessment,complete-cf-assessment,2025-06-03,Social Worker\n"
    )
    batch = read_cases([path])
    assert [c.case_id for c in batch.cases] == ["NEW"]
    (rejection,) = batch.rejected
    assert "old.csv, case OLD, row 2" in rejection.message
    assert "before the cheshire-east policy came into force (January 2025)" in rejection.message


def test_a_case_whose_early_help_began_before_the_policy_is_audited(tmp_path):
    """A state that existed before the policy (Early Help already open) is no reason to
    refuse the case: only a case every event of which predates the policy is refused."""
    path = tmp_path / "open.csv"
    path.write_text(
        "case_id,authority,pathway,activity,timestamp,role\n"
        "OPEN,cheshire-east,step-up-early-help,early-help-intervention-started,2024-09-02,Lead Person\n"
        "OPEN,cheshire-east,step-up-early-help,discuss-in-supervision,2025-03-03,Lead Person\n"
    )
    batch = read_cases([path])
    assert [c.case_id for c in batch.cases] == ["OPEN"] and not batch.rejected


def test_rdf_with_a_term_the_vocabulary_does_not_define_is_refused(tmp_path):
    path = tmp_path / "odd.ttl"
    path.write_text(
        "@prefix pw: <https://w3id.org/stepupdown/pathways#> .\n"
        '<urn:c> a pw:Case ; pw:caseId "C1" ; pw:favouriteColour "blue" .\n'
    )
    with pytest.raises(InputError, match=r"odd.ttl: unknown term pw:favouriteColour in the triple"):
        read_cases([path])


KEY_ERRORS = [
    (
        "evidence typo",
        "GOOD-3,cheshire-east,step-down-assessment,complete-cf-assessment,2025-07-22T09:15,Social Worker,"
        "recommended-action-safty-plan,",
        "evidence key 'recommended-action-safty-plan' is not a key of the model; "
        "did you mean 'recommended-action-safety-plan'?",
    ),
    (
        "concern typo",
        "GOOD-3,cheshire-east,step-down-assessment,need-reduced,2025-07-17T09:15,Social Worker,,neglekt",
        "concern key 'neglekt' is not a key of the model; did you mean 'neglect'?",
    ),
    (
        "NUL in the case id",
        "GOOD\x003,cheshire-east,step-down-assessment,need-reduced,2025-07-17T09:15,Social Worker,,",
        "the case id contains a NUL character",
    ),
]


@pytest.mark.parametrize(("what", "row", "expected"), KEY_ERRORS, ids=[k[0] for k in KEY_ERRORS])
def test_keys_the_model_does_not_know_reject_their_case(what: str, row: str, expected: str) -> None:
    """A typo in an evidence or concern key would change the findings silently: refused, with a hint."""
    batch = load(csv_bytes(*(g + "," for g in GOOD), row, header=HEADER + ",concerns"), "upload.csv")
    assert [c.case_id for c in batch.cases] == ["GOOD-1", "GOOD-2"]
    (rejection,) = batch.rejected
    one_line(rejection.message)
    assert rejection.message.startswith("upload.csv, ") and "row 5" in rejection.message
    assert rejection.message.endswith(expected)


def test_keys_are_matched_as_names_are_and_kept_as_the_model_spells_them() -> None:
    row = (
        "GOOD-3,cheshire-east,step-down-assessment,complete-cf-assessment,2025-07-22T09:15,Social Worker,"
        "Recommended Action Safety_Plan,Open Early Help Plan"
    )
    record = load(csv_bytes(row, header=HEADER + ",concerns")).cases[0]
    assert record.events[0].evidence == ("recommended-action-safety-plan",)
    assert record.concerns == {"open-early-help-plan"}


@pytest.mark.parametrize("depth", [100, 200_000])
def test_deeply_nested_json_ld_is_one_line(depth: int) -> None:
    """Nesting that would exhaust a recursive parser is refused before any parser recurses."""
    data = ("[" * depth + "]" * depth).encode()
    with pytest.raises(InputError) as caught:
        load(data, "deep.jsonld")
    one_line(str(caught.value))
    assert str(caught.value) == "deep.jsonld: JSON nested more than 64 levels deep; not a case record"


def test_events_in_the_hour_the_clocks_go_back_keep_the_order_they_happened_in() -> None:
    """On 26 October 2025 the UK clock shows 01:00-02:00 twice: 01:40 BST (00:40 UTC) came
    half an hour before 01:10 GMT, and the events are numbered in that order."""
    rows = [
        "AUTUMN-1,cheshire-east,step-down-assessment,complete-cf-assessment,2025-10-26T01:10+00:00,Social Worker,",
        "AUTUMN-1,cheshire-east,step-down-assessment,need-reduced,2025-10-26T01:40+01:00,Social Worker,",
    ]
    (record,) = load(csv_bytes(*rows)).cases
    assert [e.node for e in record.events] == ["need-reduced", "complete-cf-assessment"]
    assert [e.when.fold for e in record.events] == [0, 1]
