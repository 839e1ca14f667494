"""The TrueType reader of the notice PDF against fontTools (a dev dependency, the reference reader):
the same glyph for every character, the same advance for every glyph, and a cut that fontTools reads
back with the kept outlines unchanged and the rest empty."""

import io

import pytest
from fontTools import ttLib  # type: ignore[import-untyped]

from notification.adapters.pdf import _STYLES, FONTS
from notification.adapters.truetype import TrueTypeFont, _cmap_format_4


@pytest.fixture(scope="module", params=sorted(_STYLES.values()))
def fonts(request):
    return TrueTypeFont.read(FONTS / request.param), ttLib.TTFont(FONTS / request.param)


def test_every_character_maps_to_the_glyph_fonttools_maps_it_to(fonts):
    mine, reference = fonts
    best = {code: reference.getGlyphID(name) for code, name in reference.getBestCmap().items()}
    assert mine.cmap == best
    assert mine.glyph("\U0010ffff") == 0  # a character the font lacks: .notdef


def test_the_bmp_table_alone_maps_as_the_full_unicode_table_does_for_the_bmp(fonts):
    mine, reference = fonts
    table = mine._table("cmap")
    subtables = {(t.platformID, t.platEncID): t for t in reference["cmap"].tables}
    assert (3, 1) in subtables and subtables[(3, 1)].format == 4
    offset = next(o for (p, e, o) in _subtables(table) if (p, e) == (3, 1))
    assert _cmap_format_4(table, offset) == {c: g for c, g in mine.cmap.items() if c <= 0xFFFF}


def _subtables(table: bytes):
    import struct

    count = struct.unpack_from(">H", table, 2)[0]
    return [struct.unpack_from(">HHI", table, 4 + 8 * i) for i in range(count)]


def test_advances_and_metrics_are_the_fonts_own_in_thousandths_of_an_em(fonts):
    mine, reference = fonts
    scale = 1000 / reference["head"].unitsPerEm
    order = reference.getGlyphOrder()
    assert mine.advances == [round(reference["hmtx"][name][0] * scale) for name in order]
    m = mine.metrics
    assert (m.ascent, m.descent) == (round(reference["hhea"].ascent * scale), round(reference["hhea"].descent * scale))
    head = reference["head"]
    assert m.bbox == tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    assert m.bold == (reference["OS/2"].usWeightClass >= 600)
    assert mine.postscript_name == reference["name"].getDebugName(6)


def test_a_cut_keeps_the_glyphs_asked_for_and_their_components_and_empties_the_rest(fonts):
    mine, reference = fonts
    glyf, order = reference["glyf"], reference.getGlyphOrder()
    composite = next(gid for gid, name in enumerate(order) if glyf[name].isComposite()
                     and mine.cmap.get(0xE9) == gid)  # é: e and an acute accent
    asked = {mine.glyph("A"), composite}
    cut = ttLib.TTFont(io.BytesIO(mine.cut(asked)))
    components = {reference.getGlyphID(n) for n in glyf[order[composite]].getComponentNames(glyf)}
    assert components and not components & asked
    kept = {gid for gid, name in enumerate(cut.getGlyphOrder()) if cut["glyf"][name].numberOfContours != 0}
    assert kept == {0, *asked, *components}
    for gid in kept:
        assert cut["glyf"][cut.getGlyphOrder()[gid]].compile(cut["glyf"]) == glyf[order[gid]].compile(glyf)
    assert "cmap" not in cut and cut["post"].formatType == 3.0
    assert cut["maxp"].numGlyphs == reference["maxp"].numGlyphs


def test_a_cut_font_file_sums_as_the_specification_requires():
    import struct

    data = TrueTypeFont.read(FONTS / "DejaVuSans.ttf").cut({36})
    padded = data + b"\0" * (-len(data) % 4)
    assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):  # every table's checksum as its directory entry says
        tag, checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        table = data[offset:offset + length] + b"\0" * (-length % 4)
        if tag == b"head":
            table = table[:8] + b"\0\0\0\0" + table[12:]
        assert sum(struct.unpack(f">{len(table) // 4}I", table)) & 0xFFFFFFFF == checksum, tag


def test_a_font_with_other_outlines_is_refused():
    with pytest.raises(ValueError):
        TrueTypeFont(b"OTTO" + bytes(8))
