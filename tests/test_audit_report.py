"""The HTML audit report an auditor takes away: navigable, printable, each finding's
citation printed once, reasonable at thousands of cases."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest

from pathways.audit import audit_cases
from pathways.cases import read_cases, read_csv
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.policy import pathways
from pathways.model.resources import SAMPLE_CASES
from pathways.render.audit_report import html_report


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href", "").startswith("#"):
            self.links.append(attributes["href"][1:])
        for key in ("src", "href"):
            if attributes.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(attributes[key])


@pytest.fixture(scope="module")
def sample():
    result = audit_cases(read_cases([SAMPLE_CASES]))
    return result, html_report(result, sources=[SAMPLE_CASES.name])


def test_contents_link_to_a_section_per_pathway_and_nothing_is_fetched(sample) -> None:
    result, page = sample
    parsed = Page()
    parsed.feed(page)
    assert parsed.links and set(parsed.links) <= parsed.ids, "every contents link lands on a section"
    on = {(r.case.authority, r.case.pathway) for r in result.results}
    titles = {p.flowchart_title for p in pathways() if (p.authority.id, p.id) in on}
    assert all(escape(title) in page for title in titles)
    assert parsed.external == []


def test_findings_are_grouped_under_their_case_with_the_citation_once(sample) -> None:
    result, page = sample
    for case in result.results:
        if case.findings:
            section = page.split(f"id='case-{case.case.case_id}'", 1)[1].split("</details>", 1)[0]
            for finding in case.findings:
                assert finding.rule in section
                # the message's own copy of the citation is left out: paragraph and words once each
                assert escape(f"{finding.source}: \u201c") not in section
            assert section.count("<q>") == sum(1 for f in case.findings if f.quote)


def test_only_the_severity_cell_is_coloured_and_print_opens_every_case(sample) -> None:
    _, page = sample
    assert "<tr class=" not in page
    assert re.search(r"<td class='(Violation|Warning|Info)'>", page)
    assert "beforeprint" in page and "@media print" in page


def test_two_thousand_cases_stay_a_reasonable_size() -> None:
    cases, _ = synthesise(2000, seed=12, deviation_share=0.3)
    result = audit_cases(read_csv(cases_csv(cases), "big.csv"))
    page = html_report(result)
    assert len(page.encode("utf-8")) < 3_000_000, len(page)
    assert page.count("<details") >= len({f.case_id for f in result.findings})
