"""A flowchart laid out to print on A4, as a PDF made in-process.

The pathway charts are drawn top to bottom and are long: most are 38 to 52 inches tall and
10 to 18 wide, so one A4 page would shrink their 10 pt text below 3 pt. The print is
therefore laid out like this:

- A chart that fits one page at :data:`READABLE` of its size or more (its 10 pt text at 6 pt
  or larger) prints on one page, portrait or landscape, whichever prints it larger; it is
  never enlarged past its own size.
- A longer chart prints on several pages, its whole width on each, as large as the width
  allows (at most its own size), or up to :data:`SAVE_A_PAGE` smaller where that saves a
  page. Of portrait and landscape, the one that is readable in fewer pages is used (portrait
  on a tie: the charts are tall); where neither is readable, the larger print. Pages break
  between steps, never through a box, a branch label or the key; an arrow that crosses a
  break goes on at the top of the next page. Each page's footer names the chart and the page
  ("page 2 of 4").

Graphviz draws the chart once, as a one-page vector PDF the size of the drawing
(:func:`viz.flowchart.render_bytes`); that page becomes a form on each A4 page, moved and
clipped to the page's band, so the text stays vector and searchable. If Graphviz's PDF is
not of the plain kind this reads (a cross-reference table, one content stream), the chart is
fitted on a single A4 page by Graphviz itself instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import graphviz

from .flowchart import laid_out, render_bytes

A4 = (595.0, 842.0)  # points, portrait (210 x 297 mm)
MARGIN = 36.0  # half an inch on each side
FOOTER = 16.0  # the footer line sits in the bottom margin, this far above the paper's edge
READABLE = 0.6  # the smallest scale to print at when the page count allows: 10 pt text at 6 pt
SAVE_A_PAGE = 0.1  # a long chart prints up to this much smaller than its width allows if that saves a page
BLOCK_PAD = 3.0  # points kept clear above and below a box when breaking a page
EDGE_FONT = 9.0  # the flowchart's edge label font size (viz.flowchart)


@dataclass(frozen=True)
class PrintPlan:
    """How a chart of ``width`` x ``height`` points goes on A4: the orientation, the scale,
    and each page's band of the chart as (bottom, top) in chart points, top page first."""

    landscape: bool
    scale: float
    bands: tuple[tuple[float, float], ...]

    @property
    def paper(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4


def printable(landscape: bool) -> tuple[float, float]:
    """The width and height of the area inside the margins."""
    width, height = (A4[1], A4[0]) if landscape else A4
    return width - 2 * MARGIN, height - 2 * MARGIN


def plan_pages(width: float, height: float, blocks: list[tuple[float, float]] = ()) -> PrintPlan:
    """The print plan of a chart; ``blocks`` are (bottom, top) spans that a page break must not
    cut (boxes, labels, the key), in chart points from the bottom."""
    single = []
    for landscape in (False, True):
        page_w, page_h = printable(landscape)
        scale = min(1.0, page_w / width, page_h / height)
        single.append(PrintPlan(landscape, scale, ((0.0, height),)))
    best = max(single, key=lambda plan: plan.scale)
    widest = min(1.0, max(printable(landscape)[0] / width for landscape in (False, True)))
    if best.scale >= READABLE or best.scale >= widest:  # readable, or pages would print it no larger
        return best
    paged = []
    for landscape in (False, True):
        page_w, page_h = printable(landscape)
        scale = min(1.0, page_w / width)
        # a page saved by printing up to a tenth smaller (never below READABLE) is worth it
        smallest = max(READABLE, scale * (1 - SAVE_A_PAGE)) if scale >= READABLE else scale
        tries = [scale * (1 - step / 100) for step in range(round(SAVE_A_PAGE * 100) + 1)]
        plans = [PrintPlan(landscape, s, tuple(_bands(height, page_h / s, blocks))) for s in tries if s >= smallest]
        paged.append(min(plans, key=lambda plan: (len(plan.bands), -plan.scale)))
    readable = [plan for plan in paged if plan.scale >= READABLE]
    if readable:
        return min(readable, key=lambda plan: (len(plan.bands), plan.landscape))
    return max(paged, key=lambda plan: plan.scale)


def _bands(height: float, room: float, blocks) -> list[tuple[float, float]]:
    """Cut [0, height] into bands at most ``room`` tall, from the top, each break at the lowest
    point of its page that is clear of every block (or through a block taller than a page)."""
    spans = sorted((max(0.0, b - BLOCK_PAD), min(height, t + BLOCK_PAD)) for b, t in blocks)
    merged: list[list[float]] = []
    for bottom, top in spans:
        if merged and bottom <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], top)
        else:
            merged.append([bottom, top])
    bands = []
    top = height
    while top - room > 0:
        cut = top - room
        inside = next((span for span in merged if span[0] < cut < span[1]), None)
        if inside is not None and inside[1] < top - 1:
            cut = inside[1]  # the page ends above the box that would be cut
        bands.append((cut, top))
        top = cut
    bands.append((0.0, top))
    return bands


def chart_blocks(agraph) -> tuple[float, float, list[tuple[float, float]]]:
    """The width and height of a laid out chart (its ``bb``) and the spans a break must not cut:
    every node's box, every edge label (its lines at the label font size), the title and the key."""
    x0, y0, x1, y1 = (float(v) for v in agraph.graph_attr["bb"].split(","))
    blocks = []
    for node in agraph.nodes():
        y = float(node.attr["pos"].split(",")[1])
        half = float(node.attr["height"]) * 72 / 2
        blocks.append((y - half - y0, y + half - y0))
    for edge in agraph.edges():
        if edge.attr.get("lp") and edge.attr.get("label"):
            y = float(edge.attr["lp"].split(",")[1])
            half = (edge.attr["label"].count("\n") + 1) * EDGE_FONT * 1.25 / 2
            blocks.append((y - half - y0, y + half - y0))
    for sub in agraph.subgraphs():
        if sub.graph_attr.get("bb"):
            _, b, _, t = (float(v) for v in sub.graph_attr["bb"].split(","))
            blocks.append((b - y0, t - y0))
    if agraph.graph_attr.get("lheight"):
        blocks.append((y1 - y0 - float(agraph.graph_attr["lheight"]) * 72 - 4, y1 - y0))
    return x1 - x0, y1 - y0, blocks


def a4_pdf(dot: graphviz.Digraph, footer: str = "") -> bytes:
    """The flowchart as a PDF of A4 pages (see the module's notes); ``footer`` names the chart
    at the foot of each page, with the page number."""
    agraph = laid_out(dot, margin="0")
    width, height, blocks = chart_blocks(agraph)
    plan = plan_pages(width, height, blocks)
    drawing = render_bytes(dot, "pdf", margin="0")
    try:
        return _paged(drawing, plan, width, height, footer)
    except (ValueError, KeyError, IndexError):  # _Unreadable, or a PDF unlike the ones read here
        return fitted_pdf(dot, width, height)


def fitted_pdf(dot: graphviz.Digraph, width: float, height: float) -> bytes:
    """The whole chart on one A4 page, fitted and centred by Graphviz (its ``viewport``)."""
    landscape = width > height
    paper_w, paper_h = (A4[1], A4[0]) if landscape else A4
    page_w, page_h = printable(landscape)
    zoom = min(1.0, page_w / width, page_h / height)
    viewport = f"{paper_w:g},{paper_h:g},{zoom:.4f},{width / 2:.2f},{height / 2:.2f}"
    return render_bytes(dot, "pdf", margin="0", viewport=viewport)


# ---------------------------------------------------------------------------- the PDF


class _Unreadable(ValueError):
    """Graphviz's PDF is not of the plain kind :func:`_paged` reads."""


_REF = rb"(\d+)\s+0\s+R"
HELVETICA = b"/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"  # needs no embedding


def _objects(pdf: bytes) -> tuple[dict[int, bytes], bytes]:
    """The objects of a PDF with a plain cross-reference table, each as its whole text, and
    the trailer dictionary."""
    start = pdf.rfind(b"startxref")
    if start < 0:
        raise _Unreadable("no startxref")
    table_at = int(pdf[start + 9 :].split()[0])
    if not pdf.startswith(b"xref", table_at):
        raise _Unreadable("a cross-reference stream")
    head, _, trailer = pdf[table_at:start].partition(b"trailer")
    offsets: dict[int, int] = {}
    lines = head.split(b"\n")[1:]
    index = 0
    while index < len(lines):
        fields = lines[index].split()
        index += 1
        if len(fields) != 2:
            continue
        first, count = int(fields[0]), int(fields[1])
        for number in range(first, first + count):
            offset, _, kind = lines[index].split()[:3]
            index += 1
            if kind == b"n":
                offsets[number] = int(offset)
    ends = [*sorted(offsets.values()), table_at]
    objects = {}
    for number, offset in offsets.items():
        end = ends[ends.index(offset) + 1]
        text = pdf[offset:end].rstrip()
        if not re.match(rb"%d\s+0\s+obj\b" % number, text) or not text.endswith(b"endobj"):
            raise _Unreadable(f"object {number} is not where the table says")
        if re.search(rb"/Type\s*/(ObjStm|XRef)\b", text[:200]):
            raise _Unreadable("an object stream")
        objects[number] = text
    return objects, trailer


def _ref(text: bytes, key: bytes) -> int:
    found = re.search(rb"/" + key + rb"\s+" + _REF, text)
    if found is None:
        raise _Unreadable(f"no /{key.decode()} reference")
    return int(found.group(1))


def _paged(drawing: bytes, plan: PrintPlan, width: float, height: float, footer: str) -> bytes:
    objects, trailer = _objects(drawing)
    catalog = _ref(trailer, b"Root")
    pages = _ref(objects[catalog], b"Pages")
    kids = re.search(rb"/Kids\s*\[\s*" + _REF + rb"\s*\]", objects[pages])
    if kids is None:
        raise _Unreadable("not one page")
    page = int(kids.group(1))
    page_text = objects[page]
    contents, resources = _ref(page_text, b"Contents"), _ref(page_text, b"Resources")
    box = re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", page_text)
    if box is None:
        raise _Unreadable("no media box")
    bx0, by0, bx1, by1 = (float(v) for v in box.group(1).split())
    group = re.search(rb"/Group\s*<<[^<>]*>>", page_text)

    # the drawing's page becomes a form: its content stream with the form's keys added
    stream = objects[contents]
    at = stream.index(b"<<") + 2
    objects[contents] = (
        stream[:at]
        + b" /Type /XObject /Subtype /Form /BBox [%s] /Resources %d 0 R" % (box.group(1).strip(), resources)
        + (b" " + group.group(0) if group else b"")
        + stream[at:]
    )
    info = re.search(rb"/Info\s+" + _REF, trailer)
    dropped = {catalog, pages, page} | ({int(info.group(1))} if info else set())
    objects = {number: text for number, text in objects.items() if number not in dropped}

    # the chart's points to the form's: Graphviz pads the drawing evenly on each side
    pad_x = ((bx1 - bx0) - width) / 2
    pad_y = ((by1 - by0) - height) / 2
    if not (0 <= pad_x <= 12 and 0 <= pad_y <= 12):  # Graphviz's pad is 4 pt: this is not the layout read
        raise _Unreadable(f"a drawing of {bx1 - bx0:g} x {by1 - by0:g} for a layout of {width:g} x {height:g}")
    paper_w, paper_h = plan.paper
    page_w, _ = printable(plan.landscape)
    scale = plan.scale
    number = max(objects) + 1
    font, tree = number, number + 1
    objects[font] = b"%d 0 obj\n<< %s >>\nendobj" % (font, HELVETICA)
    kids_refs = []
    total = len(plan.bands)
    next_number = tree + 1
    for index, (bottom, top) in enumerate(plan.bands, start=1):
        band_h = (top - bottom) * scale
        left = MARGIN + (page_w - width * scale) / 2
        top_y = paper_h - MARGIN
        tx = left - (bx0 + pad_x) * scale
        ty = top_y - (by0 + pad_y + top) * scale
        label = f"{footer} \u2014 page {index} of {total}" if footer else f"page {index} of {total}"
        content = (
            "q\n"
            f"{MARGIN - 2:.2f} {top_y - band_h - 1:.2f} {paper_w - 2 * MARGIN + 4:.2f} {band_h + 3:.2f} re W n\n"
            f"{scale:.5f} 0 0 {scale:.5f} {tx:.3f} {ty:.3f} cm\n"
            "/Chart Do\nQ\n"
            f"BT /F1 8 Tf 0.35 g {MARGIN:.2f} {FOOTER:.2f} Td ({_pdf_text(label)}) Tj ET\n"
        ).encode("latin-1")
        stream_no, page_no = next_number, next_number + 1
        next_number += 2
        objects[stream_no] = b"%d 0 obj\n<< /Length %d >>\nstream\n%sendstream\nendobj" % (
            stream_no,
            len(content),
            content,
        )
        objects[page_no] = (
            b"%d 0 obj\n<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R"
            b" /Resources << /XObject << /Chart %d 0 R >> /Font << /F1 %d 0 R >> >>%s >>\nendobj"
            % (page_no, tree, paper_w, paper_h, stream_no, contents, font, b" " + group.group(0) if group else b"")
        )
        kids_refs.append(b"%d 0 R" % page_no)
    objects[tree] = b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj" % (tree, b" ".join(kids_refs), total)
    root, info_no = next_number, next_number + 1
    objects[root] = b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj" % (root, tree)
    title = _utf16(footer) if footer else b"()"
    objects[info_no] = b"%d 0 obj\n<< /Title %s /Producer (Pathways, with Graphviz) >>\nendobj" % (info_no, title)
    return _write(objects, root, info_no)


def _write(objects: dict[int, bytes], root: int, info: int) -> bytes:
    out = bytearray(b"%PDF-1.5\n%\xb5\xed\xae\xfb\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += objects[number] + b"\n"
    size = max(objects) + 1
    table_at = len(out)
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, info, table_at)
    return bytes(out)


def _pdf_text(value: str) -> str:
    """A string for a WinAnsi-encoded Helvetica ``Tj``: escaped, characters it lacks as '?'."""
    encoded = value.encode("cp1252", errors="replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _utf16(value: str) -> bytes:
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
