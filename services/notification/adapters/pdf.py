"""Render a NoticeDocument as a PDF with fpdf2.

fpdf is imported here, at the first rendering, because importing it costs about 0.25 s and the
handler's import time is budgeted. The core Helvetica font covers Latin-1 only, which is enough
for Dutch and English; other characters are replaced rather than failing the notice.
"""

from __future__ import annotations

from notification.domain.documents import NoticeDocument


def _latin1(value: str) -> str:
    return value.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").encode(
        "latin-1", "replace"
    ).decode("latin-1")


def render_pdf(document: NoticeDocument) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(document.title))
    pdf.set_author(_latin1(document.sender))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(width, 6, _latin1(document.sender), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(width, 7, _latin1(document.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    for label, value in document.header:
        pdf.multi_cell(width, 5.5, _latin1(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    for section in document.sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(width, 6, _latin1(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 5.5, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(width, 5, _latin1(document.footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
