"""The notice PDF as an archive and a screen reader get it: every font embedded (pdffonts), PDF/A-2u
identification with its output intent, a structure tree in reading order, the language, page
numbers in the running footer."""

import dataclasses
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notification_support import decided, deliver, routed
from pypdf import PdfReader

from notification.adapters import pdf as pdf_adapter
from notification.adapters.pdf import FONTS, render_pdf


@pytest.fixture
def refusal(ports, tmp_path):
    deliver(ports, routed())
    deliver(ports, decided("refused"))
    path = tmp_path / "refusal.pdf"
    path.write_bytes(ports.mailer.sent[-1].attachment)
    return path


def test_every_font_is_embedded_as_a_unicode_subset(refusal):
    out = subprocess.run(["pdffonts", str(refusal)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        emb, sub, uni = row[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), out
    assert {r[0].split("+", 1)[1] for r in rows} == {"DejaVuSansBook", "DejaVuSansBold"}


def test_the_pdf_identifies_as_pdf_a_2u_and_is_tagged_in_reading_order(refusal):
    info = subprocess.run(["pdfinfo", str(refusal)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info and "PDF version:     1.7" in info
    reader = PdfReader(refusal)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>U</pdfaid:conformance>" in xmp
    (intent,) = root["/OutputIntents"]
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB"
    assert root["/Lang"] == "nl-BE" and root["/MarkInfo"]["/Marked"]
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    kinds = [kid.get_object()["/S"] for kid in document["/K"]]
    assert kinds[0] == "/P" and "/H1" in kinds and kinds.count("/H2") >= 5 and kinds.count("/P") > 20


def test_pages_are_numbered_and_the_text_is_left_aligned(refusal):
    text = subprocess.run(["pdftotext", "-layout", str(refusal), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = len(PdfReader(refusal).pages)
    for page in range(1, pages + 1):
        assert f"Pagina {page} van {pages}" in text
    # Justified text would stretch the gaps between words; left-aligned text keeps single spaces.
    body = [line for line in text.splitlines() if line.startswith("Sectoraal Partnerschap Bouw weigert")]
    assert body and "  " not in body[0]


def test_the_fonts_ship_with_their_licence():
    assert (FONTS / "DejaVuSans.ttf").stat().st_size > 100_000 and (FONTS / "DejaVuSans-Bold.ttf").exists()
    assert "Bitstream Vera" in (FONTS / "LICENSE").read_text()


@pytest.fixture
def refusal_document(ports):
    """The NoticeDocument of a refusal, as the use case hands it to the renderer."""
    documents = []

    def capture(document):
        documents.append(document)
        return render_pdf(document)

    captured = dataclasses.replace(ports, render=capture)
    deliver(captured, routed())
    deliver(captured, decided("refused"))
    return documents[-1]


def _fonts_and_text(pdf: bytes, tmp_path, name: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return fonts, text


def test_fonts_are_parsed_once_per_process_and_each_notice_gets_its_own_state(refusal_document, monkeypatch):
    parsed = []
    original = pdf_adapter._Fonts._parse
    monkeypatch.setattr(pdf_adapter._Fonts, "_parsed", {})
    monkeypatch.setattr(pdf_adapter._Fonts, "_parse", staticmethod(lambda *a: parsed.append(a) or original(*a)))
    first = render_pdf(refusal_document)
    other = dataclasses.replace(refusal_document, title="Een andere titel met ÆØÅ ĳ € „quotes”", authentic=None)
    render_pdf(other)
    again = render_pdf(refusal_document)
    assert len(parsed) == 2, parsed  # regular and bold, at the first notice only
    # Nothing of the other notice (its glyphs, its subset) leaks into the next one: byte for byte the same.
    assert again == first


def test_the_fonts_as_cached_render_exactly_what_the_complete_fonts_render(refusal_document, tmp_path):
    cached, missing = pdf_adapter._render(refusal_document, complete=False)
    complete, _ = pdf_adapter._render(refusal_document, complete=True)
    assert not missing
    cached_fonts, cached_text = _fonts_and_text(cached, tmp_path, "cached.pdf")
    complete_fonts, complete_text = _fonts_and_text(complete, tmp_path, "complete.pdf")
    assert cached_text == complete_text
    assert [line.split()[:2] for line in cached_fonts.splitlines()] == [
        line.split()[:2] for line in complete_fonts.splitlines()
    ]


def test_a_character_outside_the_usual_scripts_is_printed_from_the_complete_font(refusal_document, tmp_path):
    # Armenian and Georgian are in DejaVu Sans but not in the repertoire the fonts are cut to.
    name = "Ռուբեն Մարգարյան — ႠႡႢ"
    addressee = (name, *refusal_document.addressee[1:])
    fonts, text = _fonts_and_text(
        render_pdf(dataclasses.replace(refusal_document, addressee=addressee)), tmp_path, "other-script.pdf"
    )
    assert "Ռուբեն Մարգարյան — ႠႡႢ" in text
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts


class _LaterWallTime:
    """datetime with ``now`` a day and some seconds later than the real one (fpdf2 reads the wall time)."""

    @staticmethod
    def patch(monkeypatch) -> None:
        import datetime as real

        import fpdf.fpdf
        import fpdf.output

        class Real(type):  # fpdf2 also asks isinstance(value, datetime) of real datetimes
            def __instancecheck__(cls, value):
                return isinstance(value, real.datetime)

        class Later(real.datetime, metaclass=Real):
            @classmethod
            def now(cls, tz=None):
                return real.datetime.now(tz) + real.timedelta(days=1, seconds=17)

        monkeypatch.setattr(fpdf.output, "datetime", Later)
        monkeypatch.setattr(fpdf.fpdf, "datetime", Later)  # the creation date it would default to


def test_a_notice_renders_to_the_same_bytes_whenever_it_is_rendered(refusal_document, monkeypatch):
    first = render_pdf(refusal_document)
    _LaterWallTime.patch(monkeypatch)
    assert render_pdf(refusal_document) == first


def test_the_pdf_is_dated_by_its_notice_and_identified_by_its_content(refusal_document):
    import io
    from datetime import datetime

    from kernel.calendar import brussels, start_of_day

    pdf = render_pdf(refusal_document)
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    stamps = dict(re.findall(r'xmp:(CreateDate|ModifyDate|MetadataDate)="([^"]*)"', xmp))
    assert set(stamps) == {"CreateDate", "ModifyDate", "MetadataDate"}
    assert len(set(stamps.values())) == 1, stamps  # made and last modified on the notice's date
    day = refusal_document.dated  # the sending date; fpdf2 writes PDF/A's dates in the XMP only (no Info)
    assert day is not None
    made = datetime.fromisoformat(stamps["CreateDate"])
    assert made == start_of_day(day) and made.astimezone(brussels()).date() == day, (stamps, day)
    other = render_pdf(dataclasses.replace(refusal_document, title=refusal_document.title + " (bis)"))
    ids = [re.search(rb"/ID \[<([0-9A-F]+)><([0-9A-F]+)>\]", data).groups() for data in (pdf, other)]
    assert ids[0][0] == ids[0][1] and ids[0] != ids[1]  # first written: both halves the same; content decides


def test_the_authentic_dutch_pages_of_a_translation_carry_their_own_footer(refusal_document):
    english = dataclasses.replace(refusal_document, language="en", page_label="Page {page} of {pages}",
                                  footer="DL-reference - English footer", authentic=refusal_document)
    done = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(english), capture_output=True, check=True)
    pages = [page for page in done.stdout.decode().split("\f") if page.strip()]
    translated = [page for page in pages if "English footer" in page]
    authentic = [page for page in pages if refusal_document.footer in page]
    assert translated and authentic and len(translated) + len(authentic) == len(pages), pages
    assert all(re.search(r"Page \d+ of \d+", page) for page in translated)
    assert all(re.search(r"Pagina \d+ van \d+", page) and "Page " not in page for page in authentic)


def test_no_worker_cuts_the_fonts_for_its_first_notice(refusal_document, monkeypatch):
    # The cut fonts ship with the code (fonts/*.notice.ttf): cutting them took 0.3 s of CPU per font on
    # every fresh worker's first notice, most of NotificationEvents' cold start. What is left is fpdf2's
    # own subset of each embedded font to the glyphs the notice uses: one per font.
    from fontTools import subset

    made = []
    real = subset.Subsetter
    monkeypatch.setattr(pdf_adapter._Fonts, "_parsed", {})
    monkeypatch.setattr(subset, "Subsetter", lambda *a, **kw: made.append(a) or real(*a, **kw))
    assert render_pdf(refusal_document).startswith(b"%PDF-")
    assert len(made) == len(pdf_adapter._STYLES), made


@pytest.mark.parametrize("font", sorted(pdf_adapter._STYLES.values()))
def test_the_shipped_cut_fonts_are_exactly_what_cut_font_makes(font):
    shipped = pdf_adapter.cut_path(pdf_adapter.FONTS / font)
    assert shipped.read_bytes() == pdf_adapter.cut_font(pdf_adapter.FONTS / font), (
        f"{shipped.name} is stale: run `make fonts`")


# fpdf2's line breaking measures the line so far before each character it adds; the adapter's font
# measures only what was added since the text it measured last, and a paragraph's lines are broken twice
# (to count them, then to print them) only near a page's end. Neither may change a single measure.
_TEXT = st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)) | st.sampled_from("€„”’–ĳŒœ"),
                max_size=80)


@settings(max_examples=60)
@given(texts=st.lists(_TEXT, min_size=1, max_size=12), grow=st.booleans())
def test_the_adapters_font_measures_every_text_as_fpdf2s_own_font_does(texts, grow):
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    pdf = FPDF()
    pdf_adapter._Fonts.add(pdf, pdf_adapter.FAMILY, complete=False)
    font = pdf.fonts[f"{pdf_adapter.FAMILY.lower()}"]
    assert isinstance(font, TTFFont) and type(font) is not TTFFont
    if grow:  # as the line breaking asks: the same line, a character longer each time
        texts = [texts[0][:n] for n in range(len(texts[0]) + 1)] + texts
    for text in texts:
        assert font.get_text_width(text, 10, None) == TTFFont.get_text_width(font, text, 10, None)


@settings(max_examples=80)
@given(words=st.lists(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzÉé,."), min_size=1, max_size=25),
                      min_size=1, max_size=90),
       breaks=st.sets(st.integers(0, 89), max_size=3), width=st.sampled_from([40.0, 77.0, 170.0]))
def test_a_paragraph_never_breaks_into_more_lines_than_the_bound_that_spares_counting_them(words, breaks, width):
    from fpdf import FPDF

    pdf = FPDF()
    pdf_adapter._Fonts.add(pdf, pdf_adapter.FAMILY, complete=False)
    pdf.add_page()
    pdf.set_font(pdf_adapter.FAMILY, "", 10)
    value = "".join(w + ("\n" if i in breaks else " ") for i, w in enumerate(words)).rstrip()
    most = pdf_adapter._lines_at_most(pdf, value, width)
    lines = len(pdf.multi_cell(width, 5, value, align="L", dry_run=True, output="LINES"))
    assert most is None or lines <= most


def test_a_paragraph_that_would_not_fit_at_a_pages_end_starts_the_next_page(refusal_document, tmp_path):
    long = " ".join(["Deze alinea is lang genoeg om meer dan één regel te beslaan."] * 12)
    sections = tuple(dataclasses.replace(s, paragraphs=(*s.paragraphs, long)) for s in refusal_document.sections)
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(dataclasses.replace(refusal_document, sections=sections, authentic=None)))
    reader = PdfReader(path)
    assert len(reader.pages) > 2
    counts = [" ".join(page.extract_text().split()).count("Deze alinea is lang genoeg") for page in reader.pages]
    assert sum(counts) == 12 * len(sections)
    assert all(count % 12 == 0 for count in counts), counts  # never split: each page holds whole paragraphs
