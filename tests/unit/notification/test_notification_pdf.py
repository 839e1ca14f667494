"""The notice PDF as an archive and a screen reader get it: every font embedded (pdffonts), PDF/A-2u
identification with its output intent, a structure tree in reading order, the language, page
numbers in the running footer."""

import subprocess

import pytest
from notification_support import decided, deliver, routed, submitted
from pypdf import PdfReader

from notification.adapters.pdf import FONTS


@pytest.fixture
def refusal(ports, tmp_path):
    deliver(ports, submitted())
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
