"""Render a NoticeDocument as a PDF/A-2u with fpdf2: DejaVu Sans embedded (adapters/fonts, its
licence beside it), a letterhead and an addressee block, left-aligned text, page numbers, and a
structure tree (headings and paragraphs tagged) so that a screen reader follows the reading order.

fpdf is imported here, at the first rendering, because importing it costs about 0.25 s and the
handler's import time is budgeted.

Fonts are parsed once per process, not once per notice (_Fonts): fpdf2's add_font reads the whole
TTF (6,000 glyphs each) and its output subsets the font in place, which together cost most of a
notice's time and memory. Each font ships cut to the scripts a notice can use (_REPERTOIRE: Latin,
Greek, Cyrillic, punctuation, currency) as fonts/<name>.notice.ttf, made by ``cut_font`` (`make fonts`;
a test holds the files to what it makes), so no worker subsets on its first notice (0.3 s of CPU per
font when it did). The first notice keeps fpdf2's parsed metrics; every notice then gets its own copy
of those metrics and a fresh font object over the small font's bytes, which fpdf2 subsets to the
glyphs used and embeds, as before. A notice with a character outside that repertoire is rendered
again with the complete fonts (parsed once as well), so no glyph is ever missing.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kernel.calendar import start_of_day
from notification.domain.documents import NoticeDocument

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
# PDF/A-2u: archivable, every font embedded with a Unicode map (fpdf2 enforces and writes the XMP
# identification and the sRGB output intent). fpdf2 has no PDF/A-2a (accessible) level; the tags
# written below are what 2a would add.
COMPLIANCE = "PDFA_2U"


# Code point ranges of the fonts as loaded for a notice: Latin (with Latin Extended Additional for
# Vietnamese names), IPA and spacing modifiers, combining diacritics (decomposed names), Greek, Cyrillic,
# general punctuation, super/subscripts, currency (€), letterlike symbols and number forms, arrows, the
# minus sign and the Latin ligatures. Anything else makes the notice use the complete fonts.
_REPERTOIRE = ((0x20, 0x7E), (0xA0, 0x24F), (0x250, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF),
               (0x2000, 0x20CF), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2212, 0x2212), (0xFB00, 0xFB06))
_STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def cut_path(path: Path) -> Path:
    """Where the font ``path`` is kept cut to _REPERTOIRE."""
    return path.with_name(f"{path.stem}.notice.ttf")


def cut_font(path: Path) -> bytes:
    """The font cut to _REPERTOIRE: every name (the PDF's font name is read from it) and the glyph
    names kept, the layout tables fpdf2 drops at output anyway left out. The same bytes every time."""
    from fontTools import subset, ttLib  # type: ignore[import-untyped]  # fpdf2's own dependency

    font = ttLib.TTFont(path, recalcTimestamp=False)
    options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True,
                             name_IDs=["*"], name_languages=["*"], layout_features=[])
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for low, high in _REPERTOIRE for u in range(low, high + 1)])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    font.close()
    return buffer.getvalue()


def write_cut_fonts() -> list[Path]:
    """`make fonts`: (re)write fonts/<name>.notice.ttf for every font a notice uses."""
    written = []
    for file in _STYLES.values():
        target = cut_path(FONTS / file)
        target.write_bytes(cut_font(FONTS / file))
        written.append(target)
    return written


class _Fonts:
    """fpdf2's parsed fonts (TTFFont: widths, cmap, glyph ids, descriptor), built once per process and
    handed to every notice as a copy with its own mutable state: the widths dict (a defaultdict that
    grows on lookups), the glyphs picked for its subset, and a fresh fontTools font over the same bytes,
    because fpdf2's output subsets that font in place and then closes it."""

    _lock = threading.Lock()  # the handler is single-threaded; tests may not be
    _parsed: dict[tuple[str, bool], tuple[Any, bytes]] = {}

    @classmethod
    def add(cls, pdf: Any, family: str, complete: bool) -> None:
        for style, file in _STYLES.items():
            cls._add(pdf, family, style, *cls._prototype(file, complete))

    @classmethod
    def _prototype(cls, file: str, complete: bool) -> tuple[Any, bytes]:
        with cls._lock:
            key = (file, complete)
            if key not in cls._parsed:
                cls._parsed[key] = cls._parse(FONTS / file, complete)
            return cls._parsed[key]

    @staticmethod
    def _parse(path: Path, complete: bool) -> tuple[Any, bytes]:
        from fpdf import FPDF

        data = path.read_bytes() if complete else cut_path(path).read_bytes()
        scratch = FPDF()
        # fpdf2 reads a font from a file name only; the parsed object is what is kept.
        if complete:
            scratch.add_font("prototype", "", str(path))
        else:
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".ttf") as file:
                file.write(data)
                file.flush()
                scratch.add_font("prototype", "", file.name)
        prototype: Any = scratch.fonts["prototype"]
        prototype.ttfont.close()  # the copies open their own
        return prototype, data

    @staticmethod
    def _add(pdf: Any, family: str, style: str, prototype: Any, data: bytes) -> None:
        from fontTools import ttLib
        from fpdf.fonts import SubsetMap, TTFFont

        kind = _measured_font_class()
        font = kind.__new__(kind)
        font._prefix, font._prefix_units = "", 0
        for name in TTFFont.__slots__:  # the read-only parse results are shared
            if hasattr(prototype, name):
                setattr(font, name, getattr(prototype, name))
        font.i = len(pdf.fonts) + 1
        font.fontkey = f"{family.lower()}{style}"
        font.ttffile = FONTS / _STYLES[style]
        font.cw = prototype.cw.copy()
        font.glyph_ids = dict(prototype.glyph_ids)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font


@functools.cache
def _measured_font_class() -> Any:
    """fpdf2's TTFFont, measuring a growing line in the time of its new characters.

    fpdf2's line breaking asks for the width of the line so far before it adds each character, and
    TTFFont sums the widths of every character of that line again: quadratic in a paragraph's line
    length, and most of a notice's rendering time. The line it asks about is almost always the last one
    it asked about plus a character, so this font remembers the last text it measured and adds only the
    widths of what follows it. Widths are integers (thousandths of an em), so the sum, and every byte of
    the PDF, is the same as fpdf2's own."""
    from fpdf.fonts import TTFFont

    class MeasuredFont(TTFFont):
        __slots__ = ("_prefix", "_prefix_units")
        _prefix: str
        _prefix_units: float

        def get_text_width(self, text: str, font_size_pt: float,
                           text_shaping_params: dict[str, Any] | None) -> tuple[int, float]:
            if text_shaping_params or self.is_symbol:
                return super().get_text_width(text, font_size_pt, text_shaping_params)
            if font_size_pt > self.biggest_size_pt:
                self.biggest_size_pt = font_size_pt
            widths = self.cw.__getitem__  # a defaultdict: an unknown character has the default width
            prefix = self._prefix
            if prefix and len(text) > len(prefix) and text.startswith(prefix):
                units = self._prefix_units + sum(map(widths, map(ord, text[len(prefix):])))
            else:
                units = sum(map(widths, map(ord, text)))
            if len(text) > 1:
                self._prefix, self._prefix_units = text, units
            return len(text), units * font_size_pt * 0.001

    return MeasuredFont


def render_pdf(document: NoticeDocument) -> bytes:
    pdf, missing = _render(document, complete=False)
    if missing:  # a character outside _REPERTOIRE (fpdf2 notes it as it writes the text, footers included)
        pdf, _ = _render(document, complete=True)
    return pdf


def _render(document: NoticeDocument, complete: bool) -> tuple[bytes, bool]:
    from fpdf import FPDF
    from fpdf.output import OutputProducer

    class _Dated(OutputProducer):
        """fpdf2 stamps the XMP's modification instants with the wall time; a notice is modified
        when it is made, on its own date."""

        def _build_xmp_from_info(self) -> str:
            xmp: str = super()._build_xmp_from_info()
            made = re.search(r'xmp:CreateDate="([^"]*)"', xmp)
            if made is None:
                return xmp
            return re.sub(r'xmp:(ModifyDate|MetadataDate)="[^"]*"', lambda m: f'xmp:{m[1]}="{made[1]}"', xmp)

    class _Notice(FPDF):
        printing = document  # the text on the current page: a translation's authentic pages have their own footer

        def file_id(self) -> str:
            # The permanent and the changing identifier, both from the notice's content when first
            # written (PDF 1.7, 14.4); fpdf2's default hashes in the wall time.
            digest = hashlib.sha256(repr(document).encode()).hexdigest()[:32].upper()
            return f"<{digest}><{digest}>"

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(FAMILY, "", 8)
            label = self.printing.page_label.format(page=self.page_no(), pages="{nb}")
            with _tagged(self, "/Artifact"):
                self.cell(self.epw / 2, 5, self.printing.footer, align="L")
                self.cell(self.epw / 2, 5, label, align="R")

    pdf = _Notice(format="A4", enforce_compliance=COMPLIANCE)
    _Fonts.add(pdf, FAMILY, complete)
    pdf.set_title(document.title)
    pdf.set_author(document.sender)
    pdf.set_subject(document.reference)
    pdf.set_lang("nl-BE" if document.language == "nl" else "en")
    pdf.set_creator("Duaal leren - leerwerkplekken")
    if document.dated is not None:
        pdf.set_creation_date(start_of_day(document.dated))
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_margins(20, 18, 20)
    _print(pdf, document)
    if document.authentic is not None:
        _print(pdf, document.authentic)
    data = bytes(pdf.output(output_producer_class=_Dated))
    return data, any(getattr(font, "missing_glyphs", None) for font in pdf.fonts.values())


def _print(pdf: Any, document: NoticeDocument) -> None:
    pdf.add_page()  # closes the page before with the footer of the text printed on it
    pdf.printing = document
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
    kept = 3 * height if keep_with_next else 0
    most = _lines_at_most(pdf, value, width)
    # Breaking the lines to count them costs as much as printing them: only done near a page's end.
    if most is None or pdf.get_y() + most * height + kept > pdf.page_break_trigger:
        lines = len(pdf.multi_cell(width, height, value, align="L", dry_run=True, output="LINES"))
        if pdf.get_y() + lines * height + kept > pdf.page_break_trigger:
            pdf.add_page()
    x = pdf.get_x()
    with _tagged(pdf, tag):
        pdf.multi_cell(width, height, value, align="L", new_x="LMARGIN", new_y="NEXT")
    if keep_x:
        pdf.set_x(x)


def _lines_at_most(pdf: Any, value: str, width: float) -> int | None:
    """At least as many lines as multi_cell breaks ``value`` into at ``width`` (None: no such bound).

    multi_cell breaks a line at a space when the next word would not fit, so every line but a
    paragraph's last holds more than the width less a space and the longest word. With the text's
    width that bounds the count from above, as long as no word needs a line of its own."""
    usable = width - 2 * pdf.c_margin
    space = pdf.get_string_width(" ")
    most = 0
    for segment in value.split("\n"):
        longest = max(pdf.get_string_width(word) for word in segment.split(" "))
        filled = usable - space - longest  # what each line but the last holds at least
        if filled <= usable / 2:
            return None
        most += 1 + math.ceil(pdf.get_string_width(segment) / filled)
    return most


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


if __name__ == "__main__":
    for written in write_cut_fonts():
        print(written)
