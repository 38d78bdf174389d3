"""Load: five browser sessions each audit 1,000 synthetic cases at once while a sixth keeps
opening the Flowcharts page; the explorer must finish every audit and stay responsive.

One `streamlit run app.py` on a free loopback port, driven by Playwright (async API, one
Debian Chromium, one browser context per session). Per-session audit times and the probe's
page times go to ``test-artifacts/load-report.txt`` (and stdout). Every wait is bounded.

Skipped (with the reason) when /usr/bin/chromium is missing, unless the CI variable is set,
in which case a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit_server import ARTIFACTS, CHART, CHROMIUM, CHROMIUM_ARGS, running_explorer

from pathways.cases.synth import cases_csv, synthesise

pytestmark = [pytest.mark.browser, pytest.mark.load]

ROOT = Path(__file__).resolve().parent.parent
REPORT = ARTIFACTS / "load-report.txt"
SESSIONS = 5
CASES = 1_000
SEEDS = [7_001 + n for n in range(SESSIONS)]
PAGE_TIMEOUT_MS = 60_000
AUDIT_TIMEOUT_MS = 300_000  # per session, from the upload to the metrics
PROBE_TIMEOUT_MS = 60_000  # one Flowcharts load
PROBE_PAUSE_SECONDS = 1.0
IDLE_PROBES = 3
# Worst Flowcharts load while the audits run: observed 10.0-12.6 s (the first load, as the five
# sessions open the Audit page together; the rest 1.4-6.5 s) on 2 CPUs, so about 2.5x that.
PROBE_LIMIT_SECONDS = 30.0


@pytest.fixture
def server():
    """`streamlit run app.py` on a free loopback port; always terminated."""
    with running_explorer("streamlit-load-server.log") as url:
        yield url


@dataclass
class Session:
    number: int
    path: Path
    metrics: dict[str, str] = field(default_factory=dict)
    open_seconds: float | None = None  # Audit page open with the uploader showing
    audit_seconds: float | None = None  # upload to the result metrics
    error: str = ""


@dataclass
class Probe:
    idle: list[float] = field(default_factory=list)
    busy: list[float] = field(default_factory=list)
    warm_up: float | None = None
    error: str = ""


def _metric(page, label: str):
    """The value of the st.metric whose label is exactly ``label``."""
    name = page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return page.get_by_test_id("stMetric").filter(has=name).get_by_test_id("stMetricValue")


async def _audit(browser, url: str, session: Session) -> None:
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1600, "height": 1200})
    try:
        page = await context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        started = time.monotonic()
        await page.goto(f"{url}/audit", wait_until="domcontentloaded")
        await page.get_by_text("Upload case files", exact=True).click()
        chooser = page.get_by_test_id("stFileUploaderDropzoneInput")
        await chooser.wait_for(state="attached")
        session.open_seconds = time.monotonic() - started
        uploaded = time.monotonic()
        await chooser.set_input_files(str(session.path))
        await expect(_metric(page, "Audited")).to_have_text(re.compile(r"^1,?000$"), timeout=AUDIT_TIMEOUT_MS)
        session.audit_seconds = time.monotonic() - uploaded
        for label in ("Cases in", "Audited", "Rejected", "Conforming"):
            session.metrics[label] = (await _metric(page, label).inner_text()).strip()
        if await page.get_by_test_id("stException").count():
            session.error = "the page shows an exception"
        if session.number == 1:
            await page.screenshot(path=str(ARTIFACTS / "load-audit.png"))
    except Exception as exc:  # recorded and reported; the test asserts on it
        session.error = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    finally:
        with contextlib.suppress(Exception):
            await context.close()


async def _load_flowcharts(page, url: str) -> float:
    started = time.monotonic()
    await page.goto(url, wait_until="domcontentloaded")
    await page.locator(f"{CHART} g.node").first.wait_for(state="attached", timeout=PROBE_TIMEOUT_MS)
    return time.monotonic() - started


async def _probe(page, url: str, probe: Probe, stop: asyncio.Event) -> None:
    try:
        while not stop.is_set():
            probe.busy.append(await _load_flowcharts(page, url))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PROBE_PAUSE_SECONDS)
    except Exception as exc:
        probe.error = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]


async def _run(url: str, sessions: list[Session], probe: Probe) -> float:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(viewport={"width": 1600, "height": 1200})
            page = await context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            probe.warm_up = await _load_flowcharts(page, url)  # the first load reads the model
            for _ in range(IDLE_PROBES):
                probe.idle.append(await _load_flowcharts(page, url))
            stop = asyncio.Event()
            started = time.monotonic()
            watcher = asyncio.create_task(_probe(page, url, probe, stop))
            try:
                await asyncio.gather(*(_audit(browser, url, s) for s in sessions))
            finally:
                stop.set()
                await asyncio.wait_for(watcher, PROBE_TIMEOUT_MS / 1000 + 10)
            return time.monotonic() - started
        finally:
            await browser.close()


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:6.1f}"


def _report(sessions: list[Session], probe: Probe, wall: float) -> str:
    lines = [
        f"Explorer load test: {len(sessions)} sessions each auditing {CASES:,} synthetic cases, "
        f"a probe reloading Flowcharts meanwhile ({os.cpu_count()} CPUs)",
        "",
        "session  open s  audit s  cases in  audited  rejected  conforming  problem",
    ]
    for s in sessions:
        m = s.metrics
        lines.append(
            f"{s.number:>7}  {_seconds(s.open_seconds)}  {_seconds(s.audit_seconds):>7}  "
            f"{m.get('Cases in', '-'):>8}  {m.get('Audited', '-'):>7}  {m.get('Rejected', '-'):>8}  "
            f"{m.get('Conforming', '-'):>10}  {s.error}"
        )
    lines.append(f"all {len(sessions)} audits done in {wall:.1f} s (wall clock)")
    lines.append("")
    lines.append("probe (Flowcharts page until the chart's SVG shows), seconds:")
    lines.append(f"  first load (reads the model): {_seconds(probe.warm_up).strip()}")
    for name, values in (("idle", probe.idle), ("during the audits", probe.busy)):
        if values:
            lines.append(
                f"  {name}: {len(values)} loads, median {statistics.median(values):.2f}, "
                f"worst {max(values):.2f}, best {min(values):.2f}"
            )
        else:
            lines.append(f"  {name}: no loads")
    if probe.busy:
        lines.append("  each load during the audits: " + " ".join(f"{v:.1f}" for v in probe.busy))
    if probe.error:
        lines.append(f"  probe problem: {probe.error}")
    lines.append(f"  limit on the worst load during the audits: {PROBE_LIMIT_SECONDS:.0f} s")
    return "\n".join(lines) + "\n"


def test_five_sessions_audit_a_thousand_cases_each_while_flowcharts_stay_responsive(server, tmp_path):
    sessions = []
    for number, seed in enumerate(SEEDS, start=1):
        path = tmp_path / f"load-{number}.csv"
        path.write_text(cases_csv(synthesise(CASES, seed=seed)[0]), encoding="utf-8")
        sessions.append(Session(number, path))
    probe = Probe()

    wall = asyncio.run(_run(server, sessions, probe))

    report = _report(sessions, probe, wall)
    REPORT.write_text(report, encoding="utf-8")
    print("\n" + report)
    for s in sessions:
        assert not s.error, f"session {s.number}: {s.error} (see {REPORT})"
        count = re.compile(r"^1,?000$")
        assert count.match(s.metrics["Cases in"]) and count.match(s.metrics["Audited"]), s.metrics
        assert s.metrics["Rejected"] == "0", s.metrics
    assert not probe.error, f"probe: {probe.error} (see {REPORT})"
    assert len(probe.busy) >= 3, f"the probe loaded Flowcharts only {len(probe.busy)} times during the audits"
    worst = max(probe.busy)
    assert worst < PROBE_LIMIT_SECONDS, f"Flowcharts took {worst:.1f} s while {SESSIONS} sessions audited"
