"""Render a NoticeDocument as a PDF/A-2u: DejaVu Sans embedded (adapters/fonts, its licence beside it),
a letterhead and an addressee block, left-aligned text, page numbers, and a structure tree (headings
and paragraphs tagged) so that a screen reader follows the reading order.

This module lays the notice out on A4 pages (millimetres, from the top left, as the layout was drawn);
pdf_file writes the PDF objects and truetype reads and cuts the fonts. All three use the standard
library only, so a fresh worker's first notice costs the layout and not the import of a PDF library
(fpdf2 with fontTools and Pillow took about 0.3 s to import, more than the function's whole budget).

Each font is read once per process (_fonts) and shared: it is immutable, and each notice notes the
glyphs it prints in a FontUse of its own, from which its subset and its ToUnicode map are written.
The complete fonts are embedded cut to the glyphs used, so a name in any script DejaVu Sans covers
(Armenian, Georgian...) prints as it is written.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kernel.calendar import start_of_day
from notification.adapters.pdf_file import PAGE_SIZE, Description, Element, FontUse, Page, write
from notification.adapters.truetype import TrueTypeFont
from notification.domain.documents import NoticeDocument

FONTS = Path(__file__).resolve().parent / "fonts"

_STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_PT = 72 / 25.4  # points per millimetre
_WIDTH, _HEIGHT = (side / _PT for side in PAGE_SIZE)
_LEFT, _TOP, _RIGHT = 20.0, 18.0, 20.0  # margins
_BOTTOM = 22.0  # a line that would end lower than this above the page's edge goes on the next page
_CELL = 1.0  # a line's text starts this far inside its box (the inner margin of the layout as drawn)
_CREATOR = "Duaal leren - leerwerkplekken"


@functools.cache
def _fonts() -> dict[str, TrueTypeFont]:
    return {style: TrueTypeFont.read(FONTS / file) for style, file in _STYLES.items()}


def render_pdf(document: NoticeDocument) -> bytes:
    layout = _Layout()
    _print(layout, document)
    if document.authentic is not None:
        _print(layout, document.authentic)
    layout.finish()
    about = Description(
        title=document.title, author=document.sender, subject=document.reference, creator=_CREATOR,
        language="nl-BE" if document.language == "nl" else "en",
        created=start_of_day(document.dated) if document.dated is not None else None,
        # The permanent and the changing identifier, both from the notice's content (PDF 1.7, 14.4): the
        # same notice rendered again, on a retry or later, is the same file.
        identifier=hashlib.sha256(repr(document).encode()).hexdigest()[:32].upper())
    return write(layout.pages, layout.elements, list(layout.uses.values()), about)


class _Layout:
    """The pages being filled, top to bottom, and the structure elements in reading order."""

    def __init__(self) -> None:
        fonts = _fonts()
        self.uses = {style: FontUse(f"F{i}", font) for i, (style, font) in enumerate(fonts.items(), start=1)}
        self.pages: list[Page] = []
        self.printing: list[NoticeDocument] = []  # per page: the text whose footer it carries
        self.elements: list[Element] = []
        self.x, self.y = _LEFT, _TOP
        self.style, self.size = "", 10.0

    @property
    def text_width(self) -> float:
        return _WIDTH - _LEFT - _RIGHT

    def add_page(self, document: NoticeDocument) -> None:
        self.pages.append(Page())
        self.printing.append(document)
        self.x, self.y = _LEFT, _TOP

    def set_font(self, style: str, size: float) -> None:
        self.style, self.size = style, size

    def units(self, text: str) -> int:
        """The advance of ``text`` in thousandths of an em of the current font."""
        font = self.uses[self.style].font
        return sum(font.advances[font.glyph(c)] for c in text)

    def width(self, text: str) -> float:
        return self.units(text) * self.size / 1000 / _PT

    def lines(self, value: str, width: float) -> list[str]:
        """``value`` broken into lines that fit ``width``: at spaces, a word longer than a line at its
        characters; a newline always breaks."""
        limit = (width - 2 * _CELL) * _PT * 1000 / self.size  # in font units at the current size
        space = self.units(" ")
        lines = []
        for segment in value.split("\n"):
            line, used = "", -1  # -1: no word on the line yet
            for word in segment.split(" "):
                size = self.units(word)
                if used >= 0 and used + space + size > limit:
                    lines.append(line)
                    line, used = "", -1
                if used >= 0:
                    line, used = f"{line} {word}", used + space + size
                    continue
                while size > limit and len(word) > 1:  # a word wider than a line: cut where it fills one
                    cut = self._fitting(word, limit)
                    lines.append(word[:cut])
                    word = word[cut:]
                    size = self.units(word)
                line, used = word, size
            lines.append(line)
        return lines

    def _fitting(self, word: str, limit: float) -> int:
        used = 0
        for i, char in enumerate(word):
            used += self.units(char)
            if used > limit:
                return max(i, 1)
        return len(word)

    def text(self, x: float, y: float, height: float, value: str, page: Page | None = None) -> None:
        """A line of text in a box of ``height`` whose top left is (x, y), its baseline where the
        layout always put it: half the box down and 0.3 of the font size more."""
        if not value:
            return
        use = self.uses[self.style]
        baseline = y + height / 2 + 0.3 * self.size / _PT
        (page or self.pages[-1]).content.append(f"BT /{use.name} {self.size:.2f} Tf {x * _PT:.2f} "
                                      f"{(_HEIGHT - baseline) * _PT:.2f} Td <{use.encode(value)}> Tj ET")

    def paragraph(self, value: str, width: float, height: float, *, tag: str = "P", keep_x: bool = False,
                  keep_with_next: bool = False) -> None:
        """One left-aligned paragraph, tagged; moved whole to the next page when it would not fit there
        (with the three lines after it for a heading), so that a tag spans two pages only when the
        paragraph is longer than a page."""
        lines = self.lines(value, width)
        kept = 3 * height if keep_with_next else 0
        x = self.x
        if self.y + len(lines) * height + kept > self._end and self.y > _TOP:
            self.add_page(self.printing[-1])
            self.x = x if keep_x else _LEFT
        element = len(self.elements)
        self.elements.append(Element(tag))
        with self._marked(element):
            for line in lines:
                if self.y + height > self._end:  # longer than a page: continued on the next one
                    self._close()
                    self.add_page(self.printing[-1])
                    self._open(element)
                self.text(x + _CELL, self.y, height, line)
                self.y += height
        self.x = x if keep_x else _LEFT

    @property
    def _end(self) -> float:
        return _HEIGHT - _BOTTOM

    @contextmanager
    def _marked(self, element: int) -> Iterator[None]:
        self._open(element)
        yield
        self._close()

    def _open(self, element: int) -> None:
        page = self.pages[-1]
        mcid = len(page.marked)
        page.marked.append(element)
        self.elements[element].parts.append((len(self.pages) - 1, mcid))
        page.content.append(f"/{self.elements[element].kind} <</MCID {mcid}>> BDC")

    def _close(self) -> None:
        self.pages[-1].content.append("EMC")

    def ln(self, height: float) -> None:
        self.x, self.y = _LEFT, self.y + height

    def finish(self) -> None:
        """The running footer of every page (an artifact, outside the structure tree): the footer of
        the text printed on it, left, and the page number of the whole file, right."""
        total = len(self.pages)
        half = self.text_width / 2
        self.set_font("", 8)
        for number, (page, document) in enumerate(zip(self.pages, self.printing, strict=True), start=1):
            label = document.page_label.format(page=number, pages=total)
            page.content.append("/Artifact BMC")
            self.text(_LEFT + _CELL, _HEIGHT - 14, 5, document.footer, page)
            self.text(_LEFT + 2 * half - _CELL - self.width(label), _HEIGHT - 14, 5, label, page)
            page.content.append("EMC")


def _print(layout: _Layout, document: NoticeDocument) -> None:
    layout.add_page(document)
    width = layout.text_width
    top = layout.y
    # Letterhead (the sender), top left; addressee block, right, as in a window envelope.
    layout.set_font("B", 10)
    layout.paragraph(document.letterhead[0], width / 2, 5)
    layout.set_font("", 9)
    for line in document.letterhead[1:]:
        layout.paragraph(line, width / 2, 4.5)
    after_letterhead = layout.y
    layout.y = top + 22
    layout.set_font("", 10)
    for line in document.addressee:
        layout.x = _LEFT + width * 0.55
        layout.paragraph(line, width * 0.45, 5, keep_x=True)
    layout.x, layout.y = _LEFT, max(layout.y, after_letterhead) + 8
    if document.note:
        layout.set_font("B", 9)
        layout.paragraph(document.note, width, 4.5)
        layout.ln(3)
    layout.set_font("B", 13)
    layout.paragraph(document.title, width, 6.5, tag="H1")
    layout.ln(2)
    layout.set_font("", 9.5)
    for label, value in document.header:
        layout.paragraph(f"{label}: {value}", width, 5)
    for section in document.sections:
        layout.ln(3)
        layout.set_font("B", 10.5)
        layout.paragraph(section.heading, width, 5.5, tag="H2", keep_with_next=True)
        layout.set_font("", 10)
        for paragraph in section.paragraphs:
            layout.paragraph(paragraph, width, 5)
            layout.ln(1)
    layout.ln(5)
    layout.set_font("", 10)
    for line in document.signature:
        layout.paragraph(line, width, 5)
