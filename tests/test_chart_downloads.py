"""Downloading a flowchart: SVG, PNG and a PDF laid out on A4 pages (viz.printing), drawn
in-process, and offered by the Flowcharts page under ``<authority>-<pathway>.<format>``."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from defusedxml import ElementTree
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from pathways.model import pathways
from pathways.model.graph import pathway_graph
from pathways.model.loading import load_model
from viz import printing
from viz.flowchart import flowchart, laid_out, render_bytes
from viz.printing import A4, READABLE, a4_pdf, chart_blocks, fitted_pdf, plan_pages, printable

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
SIZES = {(595, 842), (842, 595)}
SVG = "{http://www.w3.org/2000/svg}"


def every_pathway() -> list[tuple[str, str]]:
    return [(p.authority.id, p.id) for p in pathways(load_model())]


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The page sizes of a PDF whose page objects are plain text, after checking its table of
    object offsets points at each object and its page tree counts its pages."""
    start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    assert pdf.startswith(b"xref", start)
    entries = re.findall(rb"(\d{10}) \d{5} ([nf])", pdf[start:])
    for number, (offset, kind) in enumerate(entries):
        if kind == b"n":
            assert re.match(rb"%d 0 obj\b" % number, pdf[int(offset) :]), number
    pages = [
        (float(w), float(h)) for w, h in re.findall(rb"/Type /Page\b[^>]*?/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    ]
    counts = re.findall(rb"/Type /Pages /Kids \[[^\]]*\] /Count (\d+)", pdf)
    assert counts == [str(len(pages)).encode()], counts
    return pages


# ---------------------------------------------------------------------------- the drawings


@pytest.fixture(scope="module")
def chart():
    load_model()
    return flowchart(pathway_graph("cheshire-east", "step-down-assessment"))


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_each_format_is_a_file_of_that_format(chart, fmt):
    data = render_bytes(chart, fmt)
    assert data.startswith(MAGIC[fmt])
    if fmt == "svg":  # the node groups the interactive chart finds by their title
        svg = ElementTree.fromstring(data)
        groups = {g.get("id"): g.findtext(f"{SVG}title") for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}
        assert groups["node-need-reduced"] == "need-reduced"
    if fmt == "png":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width > 1000 and height > 4000, (width, height)  # 1.5 times Graphviz's 96 dpi


def test_an_unknown_format_is_refused(chart):
    with pytest.raises(ValueError, match="use one of dot, svg, png, pdf"):
        render_bytes(chart, "gif")


def test_the_cli_writer_writes_what_the_explorer_offers(chart, tmp_path):
    from viz.flowchart import render

    render(chart, str(tmp_path / "chart.svg"))
    assert (tmp_path / "chart.svg").read_bytes() == render_bytes(chart, "svg")


def test_the_print_is_a_pdf_of_a4_pages(chart):
    pdf = a4_pdf(chart, "Cheshire East Council: Appendix 3 - Step Down From C&F Assessment")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = pdf_pages(pdf)
    assert len(pages) > 1 and set(pages) <= SIZES
    assert b"/BaseFont /Helvetica" in pdf and b"(Cheshire East Council: Appendix 3" in pdf  # the footer
    assert b"page 1 of %d" % len(pages) in pdf


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler's pdfinfo is not installed")
def test_a_pdf_reader_reads_the_print(chart, tmp_path):
    path = tmp_path / "chart.pdf"
    path.write_bytes(a4_pdf(chart, "Appendix 3"))
    info = subprocess.run(["pdfinfo", "-l", "99", str(path)], capture_output=True, text=True, check=True)
    assert "Syntax Error" not in info.stderr, info.stderr
    assert re.findall(r"Page +\d+ size: +(\S+) x (\S+) pts", info.stdout)
    assert {(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +(\S+) x (\S+) pts", info.stdout)} <= SIZES
    assert "Title:           Appendix 3" in info.stdout


@pytest.mark.parametrize(("authority", "pathway"), every_pathway())
def test_every_chart_prints_readably_and_breaks_pages_between_boxes(authority, pathway):
    dot = flowchart(pathway_graph(authority, pathway))
    width, height, blocks = chart_blocks(laid_out(dot, margin="0"))
    plan = plan_pages(width, height, blocks)
    page_w, page_h = printable(plan.landscape)
    assert width * plan.scale <= page_w + 0.01  # the whole width on each page
    assert plan.scale >= READABLE or plan.scale >= min(1.0, printable(True)[0] / width) * 0.999
    assert plan.bands[0][1] == height and plan.bands[-1][0] == 0.0
    for (bottom, top), (_, below_top) in zip(plan.bands, plan.bands[1:], strict=False):
        assert below_top == bottom  # the pages join up
        assert (top - bottom) * plan.scale <= page_h + 0.01
    for bottom, _ in plan.bands[:-1]:  # no box, label or key is cut by a break
        assert not [b for b in blocks if b[0] < bottom < b[1]], (bottom, plan)
    assert len(pdf_pages(a4_pdf(dot))) == len(plan.bands)


def test_a_small_chart_is_one_page_never_enlarged_and_a_wide_one_is_landscape():
    small = plan_pages(200, 300)
    assert (small.scale, len(small.bands), small.landscape) == (1.0, 1, False)
    wide = plan_pages(1400, 700)
    assert wide.landscape and len(wide.bands) == 1 and wide.paper == (A4[1], A4[0])
    tall = plan_pages(700, 3000, [(1000, 1200)])
    assert not tall.landscape and len(tall.bands) > 1 and tall.scale >= READABLE
    assert all(not (1000 < bottom < 1200) for bottom, _ in tall.bands)


def test_a_pdf_it_cannot_read_is_fitted_on_one_a4_page(chart, monkeypatch):
    def unreadable(pdf):
        raise printing._Unreadable("a cross-reference stream")

    monkeypatch.setattr(printing, "_objects", unreadable)
    pdf = a4_pdf(chart)
    assert re.findall(rb"/MediaBox \[ ?0 0 595 842 ?\]", pdf)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 1
    width, height, _ = chart_blocks(laid_out(chart, margin="0"))
    assert fitted_pdf(chart, width, height) == pdf


# ---------------------------------------------------------------------------- the page


def test_the_flowcharts_page_offers_the_three_downloads_named_after_the_pathway(monkeypatch):
    """The page registers each file as made on request (a callable): they are made here as the
    download would make them, and checked."""
    offered: list[dict] = []
    register = MediaFileManager.add_deferred
    signature = inspect.signature(register)

    def recording(self, *args, **kwargs):
        offered.append(dict(signature.bind(self, *args, **kwargs).arguments))
        return register(self, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [b.label for b in at.download_button] == ["SVG", "PNG", "PDF (A4)"]
    files = {entry["file_name"]: entry for entry in offered}
    assert set(files) == {f"cheshire-east-step-down-assessment.{fmt}" for fmt in MAGIC}
    for name, entry in files.items():
        fmt = name.rsplit(".", 1)[1]
        data = entry["data_callable"]()
        assert data.startswith(MAGIC[fmt]), name
        assert entry["mimetype"] == {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}[fmt]
        if fmt == "pdf":
            assert set(pdf_pages(data)) <= SIZES
            assert b"Cheshire East Council: Appendix 3" in data

    offered.clear()
    at.selectbox(key="fc-authority").set_value("knowsley").run()
    pathway = at.selectbox(key="fc-pathway-knowsley").value
    assert {entry["file_name"] for entry in offered} == {f"knowsley-{pathway}.{fmt}" for fmt in MAGIC}
