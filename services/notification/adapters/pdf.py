"""Render a NoticeDocument as a PDF/A-2u with fpdf2: DejaVu Sans embedded (adapters/fonts, its
licence beside it), a letterhead and an addressee block, left-aligned text, page numbers, and a
structure tree (headings and paragraphs tagged) so that a screen reader follows the reading order.

fpdf is imported here, at the first rendering, because importing it costs about 0.25 s and the
handler's import time is budgeted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from notification.domain.documents import NoticeDocument

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
# PDF/A-2u: archivable, every font embedded with a Unicode map (fpdf2 enforces and writes the XMP
# identification and the sRGB output intent). fpdf2 has no PDF/A-2a (accessible) level; the tags
# written below are what 2a would add.
COMPLIANCE = "PDFA_2U"


def render_pdf(document: NoticeDocument) -> bytes:
    from fpdf import FPDF

    class _Notice(FPDF):
        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(FAMILY, "", 8)
            label = document.page_label.format(page=self.page_no(), pages="{nb}")
            with _tagged(self, "/Artifact"):
                self.cell(self.epw / 2, 5, document.footer, align="L")
                self.cell(self.epw / 2, 5, label, align="R")

    pdf = _Notice(format="A4", enforce_compliance=COMPLIANCE)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(document.title)
    pdf.set_author(document.sender)
    pdf.set_subject(document.reference)
    pdf.set_lang("nl-BE" if document.language == "nl" else "en")
    pdf.set_creator("Duaal leren - leerwerkplekken")
    if document.created is not None:
        pdf.set_creation_date(document.created)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_margins(20, 18, 20)
    _print(pdf, document)
    if document.authentic is not None:
        _print(pdf, document.authentic)
    return bytes(pdf.output())


def _print(pdf: Any, document: NoticeDocument) -> None:
    pdf.add_page()
    width = pdf.epw
    top = pdf.get_y()
    # Letterhead (the sender), top left; addressee block, right, as in a window envelope.
    pdf.set_font(FAMILY, "B", 10)
    _paragraph(pdf, document.letterhead[0], width / 2, 5)
    pdf.set_font(FAMILY, "", 9)
    for line in document.letterhead[1:]:
        _paragraph(pdf, line, width / 2, 4.5)
    after_letterhead = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width * 0.55, top + 22)
    pdf.set_font(FAMILY, "", 10)
    for line in document.addressee:
        pdf.set_x(pdf.l_margin + width * 0.55)
        _paragraph(pdf, line, width * 0.45, 5, keep_x=True)
    pdf.set_y(max(pdf.get_y(), after_letterhead) + 8)
    if document.note:
        pdf.set_font(FAMILY, "B", 9)
        _paragraph(pdf, document.note, width, 4.5)
        pdf.ln(3)
    pdf.set_font(FAMILY, "B", 13)
    _paragraph(pdf, document.title, width, 6.5, tag="/H1")
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 9.5)
    for label, value in document.header:
        _paragraph(pdf, f"{label}: {value}", width, 5)
    for section in document.sections:
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 10.5)
        _paragraph(pdf, section.heading, width, 5.5, tag="/H2", keep_with_next=True)
        pdf.set_font(FAMILY, "", 10)
        for paragraph in section.paragraphs:
            _paragraph(pdf, paragraph, width, 5)
            pdf.ln(1)
    pdf.ln(5)
    pdf.set_font(FAMILY, "", 10)
    for line in document.signature:
        _paragraph(pdf, line, width, 5)


def _paragraph(pdf: Any, value: str, width: float, height: float, *, tag: str = "/P", keep_x: bool = False,
               keep_with_next: bool = False) -> None:
    """One left-aligned paragraph, tagged; moved whole to the next page when it would not fit, so
    that a tag never spans two pages."""
    lines = len(pdf.multi_cell(width, height, value, align="L", dry_run=True, output="LINES"))
    needed = lines * height + (3 * height if keep_with_next else 0)
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    x = pdf.get_x()
    with _tagged(pdf, tag):
        pdf.multi_cell(width, height, value, align="L", new_x="LMARGIN", new_y="NEXT")
    if keep_x:
        pdf.set_x(x)


@contextmanager
def _tagged(pdf: Any, tag: str) -> Iterator[None]:
    """Marked content with a structure element of type ``tag`` (fpdf2's own marked sequences tag
    everything as a figure); artifacts (running footers) are marked but kept out of the tree."""
    name = tag.lstrip("/")
    if tag == "/Artifact":
        pdf._out("/Artifact BMC")
        yield
        pdf._out("EMC")
        return
    mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
    pdf._add_marked_content(struct_type=tag, mcid=mcid)
    pdf._out(f"/{name} <</MCID {mcid}>> BDC")
    yield
    pdf._out("EMC")
