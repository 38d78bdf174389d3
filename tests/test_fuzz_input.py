"""Random rows and random RDF thrown at the case loaders: only clean results or clean
errors (InputError for the file, or one-line rejections), never another exception."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.cases import REQUIRED_COLUMNS, CaseBatch, read_bytes
from pathways.errors import InputError

ACTIVITIES = ["complete-cf-assessment", "Family consents", "team-manager-agrees-step-down", "nonsense", ""]
ROLES = ["Social Worker", "team manager", "Family", "Wizard", ""]
TIMESTAMPS = [
    "2025-03-03",
    "2025-03-03T09:30",
    "03/03/2025",
    "2025-02-31",
    "20255-01-01",
    "2025-03-03T09:30+01:00",
    "yesterday",
    "",
    "2099-01-01",
]
cell = st.one_of(st.text(max_size=30), st.sampled_from(ACTIVITIES + ROLES + TIMESTAMPS))
row = st.fixed_dictionaries(
    {
        "case_id": st.sampled_from(["A", "B", "C", ""]),
        "authority": st.sampled_from(["cheshire-east", "knowsley", "CHESHIRE-EAST", "wirral", ""]),
        "pathway": st.sampled_from(["step-down-assessment", "step-up-planned", "nope", ""]),
        "activity": st.one_of(st.sampled_from(ACTIVITIES), st.text(max_size=20)),
        "timestamp": st.one_of(st.sampled_from(TIMESTAMPS), st.text(max_size=20)),
        "role": st.one_of(st.sampled_from(ROLES), st.text(max_size=20)),
        "evidence": cell,
    }
)


def assert_clean(read) -> CaseBatch | None:
    try:
        batch = read()
    except InputError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        return None
    for rejection in batch.rejected:
        assert rejection.message and "\n" not in rejection.message
    return batch


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, max_size=12), st.booleans())
def test_random_csv_rows_give_clean_results_or_clean_errors(rows, shuffle_header):
    columns = [*list(REQUIRED_COLUMNS), "evidence"]
    if shuffle_header:
        columns.reverse()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    batch = assert_clean(lambda: read_bytes(buffer.getvalue().encode("utf-8"), "fuzz.csv"))
    if batch is not None:
        ids = {r["case_id"] for r in rows if any(v.strip() for v in r.values())}
        read = {c.case_id for c in batch.cases} | {r.case_id for r in batch.rejected}
        assert read == ids, "a case was lost"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["f.csv", "f.ttl", "f.jsonld", "f.xes"]))
def test_random_bytes_give_clean_errors(data, name):
    assert_clean(lambda: read_bytes(data, name))


TTL_PIECES = [
    "@prefix pw: <https://w3id.org/stepupdown/pathways#> .",
    "@prefix prov: <http://www.w3.org/ns/prov#> .",
    "<urn:c> a pw:Case .",
    '<urn:c> pw:caseId "C1" .',
    "<urn:c> pw:onPathway <https://w3id.org/stepupdown/cheshire-east/step-down-assessment> .",
    "<urn:c> pw:onPathway <https://example.org/unknown> .",
    "<urn:c> pw:event <urn:e1> .",
    "<urn:e1> pw:carriesOut <https://w3id.org/stepupdown/cheshire-east/step-down-assessment.family-consents> .",
    "<urn:e1> pw:carriesOut <https://example.org/x> .",
    '<urn:e1> prov:startedAtTime "2025-03-03" .',
    '<urn:e1> prov:startedAtTime "not a date" .',
    "<urn:e1> pw:byRole <https://w3id.org/stepupdown/cheshire-east/role-family> .",
    '<urn:e1> pw:byRole "Family" .',
    "<urn:e1> pw:unknownTerm 42 .",
    "<urn:x> <http://www.w3.org/2002/07/owl#imports> <https://example.org/o.ttl> .",
    "this is not turtle",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TTL_PIECES), max_size=12))
def test_random_turtle_gives_clean_results_or_clean_errors(pieces):
    text = "\n".join(["@prefix pw: <https://w3id.org/stepupdown/pathways#> .", *pieces])
    assert_clean(lambda: read_bytes(text.encode("utf-8"), "fuzz.ttl"))


XES_ATTRIBUTES = st.sampled_from(
    ["concept:name", "time:timestamp", "org:role", "authority", "pathway", "evidence", "outcome", "role", "x"]
)
xes_attribute = st.tuples(
    st.sampled_from(["string", "date", "float", "int", "boolean"]),
    XES_ATTRIBUTES,
    st.one_of(
        st.sampled_from(ACTIVITIES + ROLES + TIMESTAMPS + ["knowsley", "step-up-planned", "nan"]), st.text(max_size=15)
    ),
)
xes_event = st.lists(xes_attribute, max_size=5)
xes_trace = st.tuples(st.lists(xes_attribute, max_size=4), st.lists(xes_event, max_size=4))


def _attribute_xml(kind: str, key: str, value: str) -> str:
    from xml.sax.saxutils import quoteattr

    return f"<{kind} key={quoteattr(key)} value={quoteattr(value)}/>"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(xes_trace, max_size=5))
def test_random_xes_traces_give_clean_results_or_clean_errors(traces):
    body = "".join(
        "<trace>"
        + "".join(_attribute_xml(*a) for a in attributes)
        + "".join("<event>" + "".join(_attribute_xml(*a) for a in event) + "</event>" for event in events)
        + "</trace>"
        for attributes, events in traces
    )
    text = f'<log xmlns="http://www.xes-standard.org/">{body}</log>'
    assert_clean(lambda: read_bytes(text.encode("utf-8"), "fuzz.xes"))


map_row = st.fixed_dictionaries(
    {
        "local_name": st.one_of(st.text(max_size=15), st.sampled_from(["SW", "Closure", "need-reduced", ""])),
        "authority": st.sampled_from(["knowsley", "cheshire-east", "wirral", ""]),
        "pathway": st.sampled_from(["step-down-cin", "step-up-planned", "nope", ""]),
        "step": st.sampled_from(["final-cin-meeting", "need-reduced", "Final CIN meeting held", "nope", ""]),
        "role": st.sampled_from(["Social Worker", "team manager", "Wizard", ""]),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(map_row, max_size=8))
def test_random_activity_maps_give_a_map_or_one_line(rows):
    from pathways.cases import read_activity_map

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["local_name", "authority", "pathway", "step", "role"])
    writer.writeheader()
    writer.writerows(rows)
    assert_clean(lambda: read_activity_map(buffer.getvalue(), "map.csv").apply() and CaseBatch())
