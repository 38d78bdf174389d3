"""Explorer budgets: how long the explorer takes to answer, measured in a real browser.

    python benchmarks/explorer_budgets.py [--rounds 5] [--cases 10000] [--quick]

Figures, not assertions (the command exits 0 whatever they are): each measure is printed
with its target and whether the median met it. The explorer is started with
``streamlit run app.py`` on a free loopback port and driven in Debian's Chromium under
Playwright (the helpers of ``tests/streamlit_server.py``, as the browser tests use them).

Every time runs from the click (or the choice) to the moment the page is drawn: no script
run pending (Streamlit's running indicator gone, no element left from the run before),
and the element the action shows drawn. Nothing waits a fixed time.

* **page switch** (target under 1 s): from one page to the next through the sidebar, each
  of Flowcharts, Case, Audit, Walkthrough and Compare in turn, ``--rounds`` times; the
  first visit of each page (its caches cold) is reported on its own line;
* **walkthrough step** (target under 0.5 s): "Next" on the Walkthrough page, from a step to
  the next, ``--rounds`` times;
* **heatmap at 10,000 cases** (target under 2 s): ``--cases`` synthetic cases (both
  authorities; ``pathways synth``'s generator, no real family) written to a file, uploaded
  from it on the Audit page and audited there (the time from giving the file to the results
  drawn; when its metrics and its heatmap appeared is printed too); then another pathway
  chosen for the heatmap, each of its pathways in turn: the first choice of a pathway counts
  its cases (cold), a later one redraws it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from streamlit_server import CHART, headless_chromium, running_explorer  # noqa: E402

PAGES = {  # sidebar link -> what the page draws last that shows it is ready
    "Flowcharts": f"{CHART} g.node",
    "Case": f"{CHART} g.node",
    "Audit": "text=Audit report (HTML)",
    "Walkthrough": f"{CHART} g.node",
    "Compare": f"{CHART} g.node",
}
TARGETS = {"page switch": 1.0, "walkthrough step": 0.5, "heatmap": 2.0}
TIMEOUT_MS = 120_000
AUDIT_TIMEOUT_MS = 1_800_000

SETTLED = """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')"""


def settled(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until no script run is pending and no element of an earlier run is left."""
    page.wait_for_function(SETTLED, timeout=timeout, polling="raf")


def timed(action: Callable[[], None], done: Callable[[], None]) -> float:
    """Seconds from ``action`` to the end of ``done`` (which waits on a page condition)."""
    start = time.perf_counter()
    action()
    done()
    return time.perf_counter() - start


def switch_to(page, name: str) -> float:
    def click() -> None:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()

    def drawn() -> None:
        page.get_by_role("heading", name=name, level=1).wait_for(timeout=TIMEOUT_MS)
        page.locator(PAGES[name]).first.wait_for(state="attached", timeout=TIMEOUT_MS)
        settled(page)

    return timed(click, drawn)


def page_switches(page, server: str, rounds: int) -> tuple[list[float], list[float]]:
    """(first visits, later visits) in seconds."""
    page.goto(server, wait_until="domcontentloaded")
    page.locator(PAGES["Flowcharts"]).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    settled(page)
    order = [*list(PAGES)[1:], "Flowcharts"]
    first = [switch_to(page, name) for name in order]
    later = [switch_to(page, name) for _ in range(rounds) for name in order]
    return first, later


def walkthrough_steps(page, server: str, rounds: int) -> list[float]:
    page.goto(f"{server}/walkthrough", wait_until="domcontentloaded")
    page.locator(f"{CHART} g.node").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    settled(page)
    times = []
    while len(times) < rounds:
        step = int(re.search(r"Step (\d+):", page.get_by_text(re.compile(r"^Step \d+:")).first.inner_text()).group(1))
        following = page.get_by_role("button", name=re.compile("^Next: "))
        if following.count() == 0:  # a decision or the end: start again
            page.get_by_role("button", name="Restart").click()
            page.get_by_text(re.compile(r"^Step 1:")).first.wait_for(timeout=TIMEOUT_MS)
            settled(page)
            continue

        def drawn(step: int = step) -> None:
            page.get_by_text(re.compile(rf"^Step {step + 1}:")).first.wait_for(timeout=TIMEOUT_MS)
            page.locator(f"{CHART} g.node").first.wait_for(state="attached", timeout=TIMEOUT_MS)
            settled(page)

        times.append(timed(following.first.click, drawn))
    return times


def heatmaps(page, server: str, cases: int) -> tuple[float, list[float], list[float]]:
    """(seconds from the upload to the results, first choices of a pathway, later choices)."""
    from pathways.cases.synth import cases_csv, synthesise
    from pathways.model.graph import pathway_graph
    from pathways.model.policy import pathways

    made = synthesise(cases, seed=10_000, deviation_share=0.1)[0]
    # A file on disk, as a user picks one: given as bytes, Playwright itself would take most
    # of the time (10,000 cases, 17 MB: 8.8 s to hand them to the browser, before any upload).
    folder = Path(tempfile.mkdtemp(prefix="explorer-budgets-"))
    upload = folder / f"cases-{cases}.csv"
    upload.write_text(cases_csv(made), encoding="utf-8")
    page.goto(f"{server}/audit", wait_until="domcontentloaded")
    page.get_by_text("Upload case files", exact=True).click()
    chooser = page.get_by_test_id("stFileUploaderDropzoneInput")
    chooser.wait_for(state="attached", timeout=TIMEOUT_MS)
    audited = page.get_by_test_id("stMetric").filter(has_text="Audited").get_by_test_id("stMetricValue")
    pattern = re.compile(rf"^{cases:,}$|^{cases}$")

    start = 0.0
    milestones: dict[str, float] = {}

    def give() -> None:
        nonlocal start
        start = time.perf_counter()
        chooser.set_input_files(upload)

    def results() -> None:
        audited.filter(has_text=pattern).wait_for(timeout=AUDIT_TIMEOUT_MS)
        milestones["metrics shown"] = time.perf_counter() - start
        page.locator(f"{CHART} g.node").first.wait_for(state="attached", timeout=AUDIT_TIMEOUT_MS)
        milestones["heatmap drawn"] = time.perf_counter() - start
        settled(page, AUDIT_TIMEOUT_MS)

    try:
        audit_seconds = timed(give, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("upload: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in milestones.items()))
    on = sorted({(c.authority, c.pathway) for c in made})
    titles = {(p.authority.id, p.id): p.flowchart_title for p in pathways()}
    nodes = {key: [f"node-{n}" for n in pathway_graph(*key)] for key in on}
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Pathway", exact=True))
    first_choice, later_choice = [], []
    for round_ in range(2):
        for key in [*on[1:], on[0]]:  # the first is shown already: it comes last in the round

            def choose(label: str = f"{titles[key]} ({key[0]})") -> None:
                field = box.get_by_role("combobox")
                field.click()
                field.fill(label)  # the list narrows to the one pathway; Enter takes it
                field.press("Enter")

            def drawn(ids: list[str] = nodes[key]) -> None:  # the chart of exactly this pathway's steps
                page.wait_for_function(
                    """ids => {
                        const svg = document.querySelector('[data-testid="stGraphVizChart"] svg');
                        if (!svg) return false;
                        const drawn = new Set([...svg.querySelectorAll('g.node[id^="node-"]')].map(g => g.id));
                        return drawn.size === ids.length && ids.every(id => drawn.has(id));
                    }""",
                    arg=ids,
                    timeout=TIMEOUT_MS,
                    polling="raf",
                )
                settled(page)

            (first_choice if round_ == 0 else later_choice).append(timed(choose, drawn))
    return audit_seconds, first_choice, later_choice


def row(measure: str, times: list[float], target: float | None) -> str:
    if not times:
        return f"{measure:<46} {'-':>5}"
    median, worst = statistics.median(times), max(times)
    met = "" if target is None else ("yes" if median < target else "NO")
    goal = "" if target is None else f"< {target:g} s"
    return f"{measure:<46} {len(times):>5} {median:>9.2f} {worst:>8.2f} {goal:>8} {met:>5}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="visits of each page, walkthrough steps")
    parser.add_argument("--cases", type=int, default=10_000, help="synthetic cases uploaded for the heatmap")
    parser.add_argument("--quick", action="store_true", help="2 rounds and 500 cases (a smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.cases = 2, 500

    from playwright.sync_api import sync_playwright  # noqa: F401  (fails early without Playwright)

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"machine: {platform.processor() or platform.machine()}; {os.cpu_count()} cores; load average {load}")
    with running_explorer("explorer-budgets-server.log") as server, headless_chromium() as chromium:
        context = chromium.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        first, later = page_switches(page, server, args.rounds)
        steps = walkthrough_steps(page, server, args.rounds)
        audit_seconds, heat_first, heat_later = heatmaps(page, server, args.cases)
        context.close()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"load average at the end {load}\n")
    print(f"{'measure':<46} {'runs':>5} {'median s':>9} {'max s':>8} {'target':>8} {'met':>5}")
    print("-" * 86)
    print(row("page switch (each page, warm)", later, TARGETS["page switch"]))
    print(row("page switch (first visit of each page, cold)", first, None))
    print(row("walkthrough step (Next)", steps, TARGETS["walkthrough step"]))
    print(row(f"heatmap at {args.cases:,} cases (first choice)", heat_first, TARGETS["heatmap"]))
    print(row(f"heatmap at {args.cases:,} cases (again)", heat_later, TARGETS["heatmap"]))
    print(f"\n{args.cases:,} uploaded cases audited and drawn {audit_seconds:.1f} s after the upload (no target)")
    print("met: the median under the target; max: the slowest run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
