"""The notice PDF as an archive and a screen reader get it: every font embedded (pdffonts), PDF/A-2u
identification with its output intent, a structure tree in reading order, the language, page
numbers in the running footer."""

import dataclasses
import io
import os
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notification_support import decided, deliver, routed
from pypdf import PdfReader

from notification.adapters import pdf as pdf_adapter
from notification.adapters.pdf import FONTS, render_pdf
from notification.adapters.truetype import TrueTypeFont


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
    assert {r[0].split("+", 1)[1] for r in rows} == {"DejaVuSans", "DejaVuSans-Bold"}


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


def test_the_file_is_well_formed_for_a_strict_reader_and_for_poppler(refusal_document):
    data = render_pdf(refusal_document)
    reader = PdfReader(io.BytesIO(data), strict=True)  # a wrong xref offset or length raises here
    assert all(page.extract_text() for page in reader.pages)
    done = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    assert not done.stderr, done.stderr  # poppler reports every syntax error it recovers from


def test_fonts_are_read_once_per_process_and_each_notice_gets_its_own_subset(refusal_document, monkeypatch):
    read = []
    original = TrueTypeFont.read
    monkeypatch.setattr(TrueTypeFont, "read", classmethod(lambda cls, path: read.append(path) or original(path)))
    pdf_adapter._fonts.cache_clear()
    try:
        first = render_pdf(refusal_document)
        other = dataclasses.replace(refusal_document, title="Een andere titel met ÆØÅ ĳ € „quotes”", authentic=None)
        render_pdf(other)
        again = render_pdf(refusal_document)
    finally:
        pdf_adapter._fonts.cache_clear()
    assert len(read) == 2, read  # regular and bold, at the first notice only
    # Nothing of the other notice (its glyphs, its subset) leaks into the next one: byte for byte the same.
    assert again == first


def _embedded(data: bytes) -> dict[str, tuple[bytes, dict]]:
    """Per font of the first page: (font program, CIDFont dictionary)."""
    reader = PdfReader(io.BytesIO(data))
    found = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        cid = font.get_object()["/DescendantFonts"][0].get_object()
        found[str(cid["/BaseFont"]).split("+", 1)[1]] = (cid["/FontDescriptor"]["/FontFile2"].get_data(), cid)
    return found


def _widths(array) -> dict[int, int]:
    widths, i = {}, 0
    while i < len(array):
        first, run = int(array[i]), array[i + 1]
        widths.update({first + k: int(w) for k, w in enumerate(run)})
        i += 2
    return widths


def test_the_embedded_font_keeps_exactly_the_glyphs_printed_with_the_fonts_own_outlines_and_widths(refusal_document):
    from fontTools import ttLib  # type: ignore[import-untyped]

    data = render_pdf(refusal_document)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for name, (program, cid) in _embedded(data).items():
        file = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}[name]
        original = ttLib.TTFont(FONTS / file)
        cut = ttLib.TTFont(io.BytesIO(program))  # parses: directory, checksums and tables in order
        order = original.getGlyphOrder()
        assert cut["maxp"].numGlyphs == original["maxp"].numGlyphs  # glyph ids unchanged: CIDToGIDMap /Identity
        assert cid["/CIDToGIDMap"] == "/Identity"
        widths = _widths(cid["/W"])
        scale = 1000 / original["head"].unitsPerEm
        for gid, width in widths.items():
            assert width == round(original["hmtx"][order[gid]][0] * scale), (name, gid)
        kept = {gid for gid in range(len(order)) if cut["glyf"][cut.getGlyphOrder()[gid]].numberOfContours != 0}
        printed = set(widths) - {original.getGlyphID(original.getBestCmap()[ord(" ")])}
        assert printed - {0} <= kept  # every glyph printed has its outline (the space has none)
        for gid in kept:
            mine, theirs = cut["glyf"][cut.getGlyphOrder()[gid]], original["glyf"][order[gid]]
            assert mine.compile(cut["glyf"]) == theirs.compile(original["glyf"]), (name, gid)
            if gid not in printed:  # only what builds a printed glyph is kept besides: its components
                assert gid == 0 or any(original["glyf"][order[p]].isComposite() and order[gid] in
                                       original["glyf"][order[p]].getComponentNames(original["glyf"])
                                       for p in printed), (name, gid)
        assert len(program) < os.path.getsize(FONTS / file) / 4
    assert "Sectoraal Partnerschap Bouw" in text


def test_a_character_outside_the_usual_scripts_is_printed_from_the_same_font(refusal_document, tmp_path):
    # Armenian and Georgian are in DejaVu Sans; a name in them prints as written, with a Unicode map.
    name = "Ռուբեն Մարգարյան — ႠႡႢ"
    addressee = (name, *refusal_document.addressee[1:])
    fonts, text = _fonts_and_text(
        render_pdf(dataclasses.replace(refusal_document, addressee=addressee)), tmp_path, "other-script.pdf"
    )
    assert "Ռուբեն Մարգարյան — ႠႡႢ" in text
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts


def test_a_notice_renders_to_the_same_bytes_whenever_it_is_rendered(refusal_document, monkeypatch):
    first = render_pdf(refusal_document)
    pdf_adapter._fonts.cache_clear()  # a fresh worker's fonts too
    assert render_pdf(refusal_document) == first


def test_the_pdf_is_dated_by_its_notice_and_identified_by_its_content(refusal_document):
    from datetime import datetime

    from kernel.calendar import brussels, start_of_day

    pdf = render_pdf(refusal_document)
    reader = PdfReader(io.BytesIO(pdf))
    assert "/Info" not in reader.trailer  # PDF/A's dates in the XMP only, nothing to contradict them
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    stamps = dict(re.findall(r'xmp:(CreateDate|ModifyDate|MetadataDate)="([^"]*)"', xmp))
    assert set(stamps) == {"CreateDate", "ModifyDate", "MetadataDate"}
    assert len(set(stamps.values())) == 1, stamps  # made and last modified on the notice's date
    day = refusal_document.dated  # the sending date
    assert day is not None
    made = datetime.fromisoformat(stamps["CreateDate"])
    assert made == start_of_day(day) and made.astimezone(brussels()).date() == day, (stamps, day)
    other = render_pdf(dataclasses.replace(refusal_document, title=refusal_document.title + " (bis)"))
    ids = [re.search(rb"/ID \[<([0-9A-F]+)><([0-9A-F]+)>\]", data).groups() for data in (pdf, other)]
    assert ids[0][0] == ids[0][1] and ids[0] != ids[1]  # first written: both halves the same; content decides


def test_the_metadata_escapes_what_xml_would_read_as_markup(refusal_document):
    from xml.dom import minidom

    tricky = 'Bouw & Co <"NV">'
    pdf = render_pdf(dataclasses.replace(refusal_document, sender=tricky, title=f"Titel {tricky}"))
    xmp = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    parsed = minidom.parseString(xmp[xmp.index("<x:xmpmeta"):xmp.index("<?xpacket end")])
    texts = [node.firstChild.data for node in parsed.getElementsByTagName("rdf:li") if node.firstChild]
    assert tricky in texts and f"Titel {tricky}" in texts


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


def _layout(size: float = 10) -> pdf_adapter._Layout:
    layout = pdf_adapter._Layout()
    layout.set_font("", size)
    return layout


@settings(max_examples=80)
@given(words=st.lists(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzÉéWM,."), min_size=1, max_size=40),
                      min_size=1, max_size=90),
       breaks=st.sets(st.integers(0, 89), max_size=3), width=st.sampled_from([20.0, 40.0, 77.0, 170.0]))
def test_a_paragraph_breaks_at_spaces_into_lines_that_fit_and_no_line_could_take_the_next_word(words, breaks, width):
    layout = _layout()
    value = "".join(w + ("\n" if i in breaks else " ") for i, w in enumerate(words)).rstrip()
    lines = layout.lines(value, width)
    usable = width - 2 * pdf_adapter._CELL
    for line in lines:  # a single character wider than the line is the only excuse
        assert layout.width(line) <= usable + 1e-9 or len(line) == 1, (line, layout.width(line), usable)
    # Only spaces and newlines are dropped, nothing is reordered: each segment reads back word for word.
    assert "".join(lines).replace(" ", "") == value.replace(" ", "").replace("\n", "")
    joined = " ".join(lines)
    for first, second in zip(lines, lines[1:], strict=False):
        next_word = second.split(" ")[0]
        if f"{first}\n{second}" in value or f"{first}{second}" in value.replace(" ", "").replace("\n", ""):
            continue  # a newline, or a word cut at its characters
        assert layout.width(f"{first} {next_word}") > usable, (first, next_word)
    assert joined


def test_a_word_longer_than_the_line_is_cut_at_its_characters():
    layout = _layout()
    word = "Vestigingseenheidsnummerregistratiedienstverlening" * 3
    lines = layout.lines(f"kort {word} einde", 40)
    assert lines[0] == "kort" and lines[-1].endswith("einde") and len(lines) > 4
    assert "".join(lines[1:]).replace(" ", "") == word + "einde"
    assert all(layout.width(line) <= 38 for line in lines)


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


def test_a_paragraph_longer_than_a_page_continues_on_the_next_as_one_tagged_paragraph(refusal_document):
    huge = " ".join(["Deze alinea is langer dan een hele bladzijde en loopt dus door."] * 150)
    sections = (dataclasses.replace(refusal_document.sections[0], paragraphs=(huge,)),)
    pdf = render_pdf(dataclasses.replace(refusal_document, sections=sections, authentic=None))
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    spanning = [kid.get_object() for kid in document["/K"] if isinstance(kid.get_object()["/K"], list)]
    assert len(spanning) == 1 and spanning[0]["/S"] == "/P"
    pages = [part.get_object().raw_get("/Pg").idnum for part in spanning[0]["/K"]]
    assert len(pages) >= 2 and len(set(pages)) == len(pages)  # one marked part per page, in page order
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count("loopt dus door.") == 150
