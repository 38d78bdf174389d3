"""The Flowcharts page's interactive chart: a Streamlit component of plain static files
(explorer/components/flowchart_view/) that pans, zooms and sends back the node clicked.

The browser tests drive the explorer served by `streamlit run` in Debian's headless Chromium
(skipped without it, unless CI is set) and wait on what the page shows, never on time.
Screenshots go to ``test-artifacts/`` for a person to look at."""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path

import pytest
from streamlit_server import ARTIFACTS, headless_chromium, refuse_remote, running_explorer

from explorer.components import FLOWCHART_VIEW
from pathways.model.graph import pathway_graph
from pathways.model.loading import load_model

ROOT = Path(__file__).resolve().parent.parent
FRAME = 'iframe[title="explorer.components.flowchart_view"]'
TIMEOUT_MS = 45_000
A4 = {(595, 842), (842, 595)}


# ---------------------------------------------------------------------------- the files


def test_the_component_is_static_files_that_load_nothing_from_the_network():
    page = (FLOWCHART_VIEW / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r"""<(?:script|link|img)\b[^>]*?(?:src|href)=["']([^"']+)""", page)
    assert sources == ["svg-pan-zoom.min.js"]
    assert (FLOWCHART_VIEW / sources[0]).is_file()
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", page)
    assert "streamlit:componentReady" in page and "streamlit:setComponentValue" in page


def test_the_vendored_script_keeps_its_licence():
    script = (FLOWCHART_VIEW / "svg-pan-zoom.min.js").read_text(encoding="utf-8")
    assert script.startswith("/*! svg-pan-zoom v3.6.2")
    assert "Copyright 2009-2010 Andrea Leofreddi" in script[:600]
    assert "Redistributions in binary form must reproduce the above copyright notice" in script[:2000]


def test_the_component_files_ship_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "explorer.components" in config["packages"]
    patterns = config["package-data"]["explorer.components"]
    package = ROOT / "explorer" / "components"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    assert {path for path in FLOWCHART_VIEW.iterdir() if path.is_file()} <= shipped


# ---------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def server():
    with running_explorer("chart-component-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with headless_chromium() as chromium:
        yield chromium


@contextlib.contextmanager
def opened(browser, server: str, width: int = 1600, height: int = 1200):
    """The Flowcharts page in a new context whose requests off loopback are refused and fail
    the test; yields the page once the chart is drawn in its frame."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    remote = refuse_remote(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        page.goto(server, wait_until="domcontentloaded")
        # laid out: a transform that is not the all-zero one of a frame with no size
        expect(viewport(page)).to_have_attribute("transform", re.compile(r"^matrix\((?!0,0,0,0,)"))
        yield page
    finally:
        with contextlib.suppress(Exception):
            context.close()
    assert remote == [], f"the explorer asked for something off this machine: {remote}"


def chart(page):
    return page.frame_locator(FRAME)


def viewport(page):
    return chart(page).locator("g.svg-pan-zoom_viewport")


def scale(page) -> float:
    return float(re.match(r"matrix\(([-\d.e]+)", viewport(page).get_attribute("transform")).group(1))


def details_heading(page, label: str):
    return page.locator('[data-testid="stHeading"], h3').filter(has_text=label).first


@pytest.mark.browser
def test_the_chart_draws_every_node_and_outlines_the_chosen_one(server, browser):
    from playwright.sync_api import expect

    load_model()
    digraph = pathway_graph("cheshire-east", "step-down-assessment")
    with opened(browser, server) as page:
        nodes = chart(page).locator("g.node.clickable")
        expect(nodes).to_have_count(len(digraph))
        assert {nodes.nth(i).get_attribute("data-node") for i in range(nodes.count())} == set(digraph)
        expect(chart(page).locator("g.node.selected")).to_have_attribute("data-node", "need-reduced")
        # Streamlit's own drawing stays on the page, folded away, for where the component cannot run
        assert page.locator('[data-testid="stGraphVizChart"] svg g.node').count() >= len(digraph)


@pytest.mark.browser
def test_the_buttons_the_wheel_and_a_drag_move_the_chart(server, browser):
    from playwright.sync_api import expect

    with opened(browser, server) as page:
        start = scale(page)
        before = viewport(page).get_attribute("transform")
        chart(page).get_by_role("button", name="Zoom in").click()
        expect(viewport(page)).not_to_have_attribute("transform", before)
        assert scale(page) > start

        before = viewport(page).get_attribute("transform")
        chart(page).get_by_role("button", name="Whole chart").click()
        expect(viewport(page)).not_to_have_attribute("transform", before)
        assert scale(page) < start  # the whole of a tall chart is smaller than its width

        chart(page).get_by_role("button", name="Width").click()
        expect(viewport(page)).to_have_attribute("transform", re.compile(r",0,0\)$"))  # back to the top left
        assert scale(page) == pytest.approx(start)  # and the first view's zoom

        box = page.locator(FRAME).bounding_box()
        bottom = min(box["y"] + box["height"], page.viewport_size["height"])
        x, y = box["x"] + 30, bottom - 40  # a corner of the chart on the screen
        before = viewport(page).get_attribute("transform")
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 40, y - 120, steps=5)
        page.mouse.up()
        expect(viewport(page)).not_to_have_attribute("transform", before)  # dragged
        assert scale(page) == pytest.approx(start)

        before = viewport(page).get_attribute("transform")
        page.mouse.wheel(0, -300)  # the chart is in use since the drag: the wheel zooms it
        expect(viewport(page)).not_to_have_attribute("transform", before)
        assert scale(page) > start
        expect(chart(page).locator("g.node.selected")).to_have_attribute("data-node", "need-reduced")


@pytest.mark.browser
def test_a_click_on_a_box_shows_that_nodes_details(server, browser):
    from playwright.sync_api import expect

    load_model()
    digraph = pathway_graph("cheshire-east", "step-down-assessment")
    target = "family-consents"
    label = digraph.nodes[target]["label"]
    with opened(browser, server) as page:
        chart(page).locator(f'g.node[data-node="{target}"]').click()
        expect(details_heading(page, label)).to_be_visible()
        expect(page.locator("code").filter(has_text=re.compile(f"^{target}$"))).to_be_visible()  # "Node id:"
        expect(page.get_by_role("combobox", name="Step or decision")).to_have_value(label)
        expect(chart(page).locator("g.node.selected")).to_have_attribute("data-node", target)
        # the chooser still leads: another node chosen there is outlined in the chart
        other = "complete-cf-assessment"
        page.locator('[data-testid="stSelectbox"]').nth(2).click()
        page.get_by_role("option", name=digraph.nodes[other]["label"]).click()
        expect(chart(page).locator("g.node.selected")).to_have_attribute("data-node", other)
        expect(details_heading(page, digraph.nodes[other]["label"])).to_be_visible()
        # and a click on the same box again after that is a change too
        chart(page).locator(f'g.node[data-node="{target}"]').click()
        expect(details_heading(page, label)).to_be_visible()


@pytest.mark.browser
def test_the_downloads_are_svg_png_and_an_a4_pdf_named_after_the_pathway(server, browser):
    with opened(browser, server) as page:
        for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF-")):
            with page.expect_download() as info:
                page.get_by_role("button", name=re.compile(rf"^\S*\s*{fmt}", re.IGNORECASE)).click()
            download = info.value
            assert download.suggested_filename == f"cheshire-east-step-down-assessment.{fmt}"
            data = Path(download.path()).read_bytes()
            assert data.startswith(magic), fmt
            if fmt == "pdf":
                sizes = {(int(w), int(h)) for w, h in re.findall(rb"/MediaBox \[0 0 (\d+) (\d+)\]", data)}
                assert sizes and sizes <= A4, sizes


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_the_chart_and_its_controls_start_on_the_first_screen(server, browser, width, height):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with opened(browser, server, width, height) as page:
        for name in ("SVG", "PNG", "PDF (A4)"):
            expect(page.get_by_role("button", name=name)).to_be_visible()
        frame = page.locator(FRAME).bounding_box()
        assert frame["y"] + 120 < height, frame  # the toolbar and the chart's top
        trigger = chart(page).locator("g.node.selected").bounding_box()
        assert trigger is not None and trigger["y"] < height, trigger
        page.screenshot(path=str(ARTIFACTS / f"flowcharts-{width}x{height}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
