"""End to end: the explorer served by `streamlit run`, driven in a real headless Chromium.

Checks what only a browser shows: Streamlit's Graphviz renders each flowchart to an SVG,
the case's route is drawn highlighted (SVG groups of class ``visited`` / ``on-route``),
and the walkthrough advances on a click. Screenshots go to ``test-artifacts/`` (gitignored)
for a person to look at.

Skipped (with the reason) when /usr/bin/chromium is missing, unless the CI variable is set,
in which case a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import csv
import re
import time
from pathlib import Path

import pytest
from streamlit_server import ARTIFACTS, CHART, headless_chromium, refuse_remote, running_explorer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-cases.csv"
PAGE_TIMEOUT_MS = 45_000
AUDIT_TIMEOUT_MS = 600_000  # a large upload's audit, on a loaded machine


@pytest.fixture(scope="module")
def server():
    """`streamlit run app.py` on a free loopback port; always terminated."""
    with running_explorer("streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with headless_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A page whose every request is intercepted: one to any host but loopback (a font, an
    icon, a CDN, usage statistics) is refused and fails the test."""
    context = browser.new_context(viewport={"width": 1600, "height": 2200})
    remote = refuse_remote(context)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield page
    finally:
        with contextlib.suppress(Exception):
            context.close()
    assert remote == [], f"the explorer asked for something off this machine: {remote}"


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(f"{CHART} g.node", state="attached")


def _idle(page) -> None:
    """Wait (bounded) until Streamlit has finished rerunning the script: its running
    indicator gone and no element left over from the run before (``data-stale``)."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')""",
        timeout=PAGE_TIMEOUT_MS,
    )


def _drawn(page) -> None:
    """Wait until the page is drawn: no script run pending, every chart rendered, fonts loaded."""
    _idle(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                   .every(chart => chart.querySelector('canvas, svg'))
             && [...document.querySelectorAll('[data-testid="stGraphVizChart"]')]
                   .every(chart => chart.querySelector('svg g.node'))
             && document.fonts.status === 'loaded'""",
        timeout=PAGE_TIMEOUT_MS,
    )


def _shot(page, name: str, full_page: bool = True) -> None:
    """Save a screenshot once the page is drawn, after checking it shows no exception."""
    _drawn(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: the page shows an exception"


def _sample_steps(case_id: str) -> set[str]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        return {row["activity"] for row in csv.DictReader(handle) if row["case_id"] == case_id}


def test_flowcharts_page_draws_the_chart(server, page):
    _open(page, server)
    assert page.locator(f"{CHART} g.node").count() > 10
    assert page.locator(f"{CHART} g#node-need-reduced").count() == 1
    assert page.locator(f"{CHART} g.edge").count() > 10
    assert "Appendix 3 - Step Down From C&F Assessment" in page.locator(CHART).text_content()
    _shot(page, "flowcharts")


def test_case_page_highlights_the_route(server, page):
    _open(page, f"{server}/case")
    visited = page.locator(f"{CHART} g.node.visited")
    visited.first.wait_for(state="attached")
    ids = {visited.nth(i).get_attribute("id") for i in range(visited.count())}
    assert ids == {f"node-{step}" for step in _sample_steps("CE-002")}
    assert page.locator(f"{CHART} g.edge.on-route").count() >= 2
    assert page.locator(f'{CHART} g.node.visited path[stroke="#1b4f72"], {CHART} g.node.visited polygon').count()
    _shot(page, "case")


def test_audit_page_summarises_the_sample(server, page):
    page.goto(f"{server}/audit", wait_until="domcontentloaded")
    page.get_by_text("Cases in", exact=True).wait_for()
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "24"
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    page.locator('[data-testid="stDataFrame"]').last.wait_for()
    page.get_by_text("Audit report (HTML)").wait_for()  # drawn after the tables: wait, never sleep
    assert page.get_by_text("Audit report (HTML)").count() == 1
    _shot(page, "audit")


@pytest.fixture(scope="module")
def synthetic_cases() -> list:
    """20,000 synthetic cases (no real family), made once for the large-upload tests."""
    from pathways.cases.synth import synthesise

    return synthesise(20_000, seed=1_614)[0]


def _csv_upload(cases: list, name: str) -> dict:
    """The cases as a CSV file for the file chooser, in memory (never written to disk)."""
    from pathways.cases.synth import cases_csv

    return {"name": name, "mimeType": "text/csv", "buffer": cases_csv(cases).encode("utf-8")}


def _metric(page, label: str):
    """The value of the st.metric whose label is exactly ``label``."""
    name = page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return page.get_by_test_id("stMetric").filter(has=name).get_by_test_id("stMetricValue")


def _upload_to_the_audit_page(server: str, page, upload: dict) -> float:
    """Open the Audit page, choose the upload and give it the file; the time it was given."""
    page.goto(f"{server}/audit", wait_until="domcontentloaded")
    page.get_by_text("Upload case files", exact=True).click()
    chooser = page.get_by_test_id("stFileUploaderDropzoneInput")
    chooser.wait_for(state="attached")
    given = time.monotonic()
    chooser.set_input_files(upload)
    return given


def test_audit_of_a_large_upload_shows_its_progress_and_leaves_the_explorer_usable(server, page, synthetic_cases):
    """While 20,000 uploaded cases are read and audited the Audit page shows a progress bar,
    and the sidebar still answers: the Case page opens at once, before the audit has ended
    (it offers no audited cases yet), then offers the 20,000 once the audit, carried on in
    the background, has ended."""
    from playwright.sync_api import expect

    _upload_to_the_audit_page(server, page, _csv_upload(synthetic_cases, "cases-20000.csv"))
    bar = page.get_by_test_id("stProgress")
    results = page.get_by_text("Audit report (HTML)")
    # the bar, or (on a machine fast enough to audit 20,000 cases before it is drawn) the results
    expect(bar.or_(results).first).to_be_visible(timeout=AUDIT_TIMEOUT_MS)
    if bar.count() > 0:
        text = " ".join(bar.all_text_contents())  # read once, without waiting: the bar may be gone by now
        assert not text or re.search(r"Reading cases-20000\.csv…|Auditing… [0-9,]+/20,000 cases|\(\d+ s\)", text), text
        page.screenshot(path=str(ARTIFACTS / "audit-in-progress.png"), full_page=True)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Case").click()
    expect(page.get_by_role("heading", name="Case", level=1)).to_be_visible()
    sources = page.get_by_test_id("stRadio").first
    expect(sources).to_contain_text("Upload a case file")
    audited = sources.get_by_text("Cases audited on the Audit page", exact=True)
    # (the Case page answered during the audit when it offers no audited cases yet; on a fast
    # machine the audit may end before it is drawn, and the rest holds either way)

    deadline = time.monotonic() + AUDIT_TIMEOUT_MS / 1000
    while audited.count() == 0:  # each look reruns the Case page and waits for it to be drawn
        assert time.monotonic() < deadline, "the audit did not end in the background"
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Case").click()
        with contextlib.suppress(AssertionError):
            expect(audited).to_be_visible(timeout=5_000)
    audited.click()
    expect(page.get_by_text("20000 cases of cases-20000.csv audited on the Audit page.")).to_be_visible()
    assert page.get_by_test_id("stException").count() == 0


def test_audit_of_a_large_upload_ends_with_its_results(server, page, synthetic_cases):
    """10,000 uploaded cases: the results replace the progress when the audit ends, as for a
    small upload; the time from the upload to the results is printed."""
    from playwright.sync_api import expect

    given = _upload_to_the_audit_page(server, page, _csv_upload(synthetic_cases[:10_000], "cases-10000.csv"))
    expect(_metric(page, "Audited")).to_have_text(re.compile(r"^10,?000$"), timeout=AUDIT_TIMEOUT_MS)
    print(f"10,000 uploaded cases: results shown {time.monotonic() - given:.1f} s after the upload")
    expect(_metric(page, "Cases in")).to_have_text(re.compile(r"^10,?000$"))
    expect(page.get_by_test_id("stProgress")).to_have_count(0)
    page.get_by_text("Audit report (HTML)").wait_for()
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.get_by_test_id("stException").count() == 0
    page.screenshot(path=str(ARTIFACTS / "audit-large-upload.png"))


def _to_first_decision(server: str) -> str:
    """The address of the walkthrough stopped at the first decision of the default chart
    (a bookmarked step: no clicking through a page that reruns on every click)."""
    import networkx as nx

    from pathways.model.graph import pathway_graph, trigger

    digraph = pathway_graph("cheshire-east", "step-down-assessment")
    start = trigger(digraph)
    decision = min(
        (n for n, kind in digraph.nodes(data="kind") if kind == "decision"),
        key=lambda n: nx.shortest_path_length(digraph, start, n),
    )
    steps = ",".join(nx.shortest_path(digraph, start, decision))
    return f"{server}/walkthrough?authority=cheshire-east&pathway=step-down-assessment&steps={steps}"


def test_walkthrough_advances_and_restarts(server, page):
    _open(page, f"{server}/walkthrough")
    page.get_by_role("button", name=re.compile("^Next: ")).click()
    page.get_by_text("Step 2: a step").wait_for()
    _idle(page)
    _shot(page, "walkthrough")
    page.get_by_role("button", name="Restart").click()
    page.get_by_text("Step 1: how it starts").wait_for()
    _idle(page)
    assert "steps=" in page.url


def test_a_bookmarked_decision_opens_with_its_branches(server, page):
    page.goto(_to_first_decision(server), wait_until="domcontentloaded")
    page.get_by_text("Which way?").wait_for()
    page.locator(".stButton button[kind=primary]").nth(1).wait_for()  # both branches drawn
    _idle(page)
    assert page.locator(".stButton button[kind=primary]").count() >= 2
    _shot(page, "walkthrough-decision")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_walkthrough_controls_and_the_current_step_are_above_the_fold(server, browser, width, height):
    """On a projector the trainer never scrolls to move on: the step, its ways on, Back and
    Restart, and the close-up chart with the current step all fit the first screen."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(_to_first_decision(server), wait_until="domcontentloaded")
        page.get_by_text("Which way?").wait_for()
        page.locator(".stButton button[kind=primary]").nth(1).wait_for()
        current = page.locator(f"{CHART} g.node polygon[stroke='#d35400'], {CHART} g.node path[stroke='#d35400']").first
        current.wait_for(state="attached")
        _idle(page)
        buttons = [page.get_by_role("button", name="Back"), page.get_by_role("button", name="Restart")]
        buttons += [page.locator(".stButton button[kind=primary]").nth(i) for i in range(2)]
        for button in buttons:
            box = button.bounding_box()
            assert box is not None and box["y"] + box["height"] <= height, (button, box)
        box = current.bounding_box()
        assert box is not None and box["y"] < height, box
        page.screenshot(path=str(ARTIFACTS / f"walkthrough-{width}x{height}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "case", "audit", "walkthrough", "compare"])
def test_no_page_asks_for_anything_off_this_machine(server, page, path):
    """Every page, with its icons, fonts and favicon, is served from loopback (the fixture
    fails the test on any other host)."""
    page.goto(f"{server}/{path}", wait_until="load")
    page.locator('[data-testid="stSidebar"]').wait_for()
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")


# ---------------------------------------------------------------------------- screenshots at two screen sizes

SCREENS = [(1920, 1080), (1366, 768)]


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def screen(request, browser):
    """A page the size of a projector's or a laptop's screen, every request intercepted as above."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    remote = refuse_remote(context)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield page, f"{width}x{height}"
    finally:
        with contextlib.suppress(Exception):
            context.close()
    assert remote == [], f"the explorer asked for something off this machine: {remote}"


def _top_at(page, locator) -> None:
    """Scroll so that ``locator`` is at the top of the screen (Streamlit scrolls its main block)."""
    locator.scroll_into_view_if_needed()
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")


def test_audit_heatmap_monitoring_and_report_screenshots(server, screen):
    """The conformance heatmap, the monitoring section and the HTML report as a screen shows them."""
    from playwright.sync_api import expect

    page, size = screen
    page.goto(f"{server}/audit", wait_until="domcontentloaded")
    expect(_metric(page, "Cases in")).to_have_text("24", timeout=PAGE_TIMEOUT_MS)
    heading = page.get_by_role("heading", name="By pathway")
    heading.wait_for()
    page.locator(f"{CHART} g.node").first.wait_for(state="attached")
    _drawn(page)
    _top_at(page, heading)
    _shot(page, f"audit-by-pathway-{size}", full_page=False)
    _top_at(page, page.get_by_test_id("stGraphVizChart"))
    _shot(page, f"audit-heatmap-{size}", full_page=False)

    monitoring = page.get_by_role("heading", name="Monitoring (as the procedure asks)")
    monitoring.wait_for()
    first = page.locator(".st-key-audit-monitoring-0")
    expect(first).to_contain_text("Knowsley", timeout=PAGE_TIMEOUT_MS)
    expect(first).to_contain_text("weekly transfer meeting")
    expect(first.get_by_test_id("stVegaLiteChart")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.locator("[class*='st-key-audit-monitoring-']")).to_have_count(4, timeout=PAGE_TIMEOUT_MS)
    _top_at(page, monitoring)
    _shot(page, f"audit-monitoring-{size}", full_page=False)
    _top_at(page, page.locator(".st-key-audit-monitoring-2"))
    _shot(page, f"audit-monitoring-adherence-{size}", full_page=False)

    with page.expect_download() as download:
        page.get_by_text("Audit report (HTML)").click()
    saved = ARTIFACTS / "audit-report.html"
    download.value.save_as(saved)
    report = saved.read_text(encoding="utf-8")
    assert "K-002" in report
    page.set_content(report, wait_until="load")  # any request it made would fail the fixture
    page.wait_for_function("document.fonts.status === 'loaded'")
    page.screenshot(path=str(ARTIFACTS / f"audit-report-{size}.png"))
    page.screenshot(path=str(ARTIFACTS / f"audit-report-{size}-full.png"), full_page=True)


def test_compare_page_screenshots(server, screen):
    from playwright.sync_api import expect

    page, size = screen
    page.goto(f"{server}/compare", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Compare", level=1).wait_for()
    charts = page.locator(f"{CHART}")
    expect(charts).to_have_count(2, timeout=PAGE_TIMEOUT_MS)
    page.locator(f"{CHART} g.node").first.wait_for(state="attached")
    expect(page.locator(f"{CHART} g.node.no-counterpart").first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    page.get_by_test_id("stDataFrame").first.wait_for()
    _shot(page, f"compare-{size}", full_page=False)
    _top_at(page, page.get_by_test_id("stGraphVizChart").first)
    _shot(page, f"compare-charts-{size}", full_page=False)
    tabs = page.get_by_test_id("stTabs")
    _top_at(page, tabs)
    _shot(page, f"compare-summary-{size}", full_page=False)
    tabs.get_by_role("tab", name="Side by side").click()
    expect(tabs.get_by_test_id("stDataFrame").nth(1)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    _top_at(page, tabs)
    _shot(page, f"compare-side-by-side-{size}", full_page=False)
