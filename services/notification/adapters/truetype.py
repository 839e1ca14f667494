"""A TrueType font as a PDF notice needs it: the glyph of each character, its advance width, the
metrics of the font descriptor, and the font program cut to the glyphs a notice uses.

Read with the standard library only (the OpenType specification's table layouts: head, hhea, maxp,
hmtx, cmap formats 4 and 12, loca, glyf, OS/2, post). fontTools, which fpdf2 used for this, costs
about 0.3 s to import on a fresh worker, more than the whole cold-start budget of the function.

The cut keeps every glyph id where it is and empties the glyphs a notice does not use (a zero-length
entry in loca is an empty glyph), so the text's glyph ids need no renumbering and the PDF maps CIDs
to glyphs one to one (CIDToGIDMap /Identity). Composite glyphs (accented letters built from a base
and a mark) keep their components. The tables a PDF renderer never reads from an embedded font
(cmap, the layout tables, kerning) are left out; post is cut to format 3 (no glyph names).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

_KEPT = ("OS/2", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep")
# Composite glyph component flags (glyf table).
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE, _HAS_XY_SCALE, _HAS_2X2 = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


@dataclass(frozen=True)
class Metrics:
    """The font descriptor's values, in thousandths of an em (PDF glyph space)."""

    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    italic_angle: float
    stem_v: int
    bold: bool


class TrueTypeFont:
    """One font file, parsed once per process; immutable after construction, so shared by every notice."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        (version, count) = struct.unpack_from(">IH", data, 0)
        if version not in (0x00010000, 0x74727565):  # 'true': TrueType outlines only, no CFF
            raise ValueError("not a TrueType font")
        self.tables: dict[str, tuple[int, int]] = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            self.tables[tag.decode("latin-1")] = (offset, length)
        head = self._table("head")
        self.units_per_em = struct.unpack_from(">H", head, 18)[0]
        x_min, y_min, x_max, y_max = struct.unpack_from(">hhhh", head, 36)
        self._long_loca = struct.unpack_from(">h", head, 50)[0] == 1
        self.glyph_count = struct.unpack_from(">H", self._table("maxp"), 4)[0]
        hhea = self._table("hhea")
        ascender, descender = struct.unpack_from(">hh", hhea, 4)
        metrics_count = struct.unpack_from(">H", hhea, 34)[0]
        hmtx = struct.unpack_from(f">{2 * metrics_count}H", self._table("hmtx"))
        advances = list(hmtx[0::2])
        advances += [advances[-1]] * (self.glyph_count - metrics_count)  # the rest share the last advance
        scale = 1000 / self.units_per_em
        self.advances = [round(a * scale) for a in advances]  # per glyph id, thousandths of an em
        self.cmap = self._read_cmap()
        os2 = self._table("OS/2")
        weight = struct.unpack_from(">H", os2, 4)[0]
        cap_height = struct.unpack_from(">h", os2, 88)[0] if struct.unpack_from(">H", os2, 0)[0] >= 2 else ascender
        self.metrics = Metrics(
            ascent=round(ascender * scale), descent=round(descender * scale), cap_height=round(cap_height * scale),
            bbox=(round(x_min * scale), round(y_min * scale), round(x_max * scale), round(y_max * scale)),
            italic_angle=struct.unpack_from(">i", self._table("post"), 4)[0] / 65536,
            stem_v=round(50 + (weight / 65) ** 2), bold=weight >= 600)
        self.postscript_name = self._name(6) or "Font"

    @classmethod
    def read(cls, path: Path) -> TrueTypeFont:
        return cls(path.read_bytes())

    def _table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self.data[offset:offset + length]

    def _read_cmap(self) -> dict[int, int]:
        cmap = self._table("cmap")
        count = struct.unpack_from(">H", cmap, 2)[0]
        subtables = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
            subtables[(platform, encoding)] = offset
        if (3, 10) in subtables:  # Windows, full Unicode: format 12
            return _cmap_format_12(cmap, subtables[(3, 10)])
        if (3, 1) in subtables:  # Windows, BMP: format 4
            return _cmap_format_4(cmap, subtables[(3, 1)])
        raise ValueError("the font has no Unicode cmap")

    def _name(self, name_id: int) -> str | None:
        table = self._table("name")
        count, strings = struct.unpack_from(">HH", table, 2)
        for i in range(count):
            platform, encoding, _, nid, length, offset = struct.unpack_from(">6H", table, 6 + 12 * i)
            if nid == name_id and platform == 3 and encoding in (0, 1):
                return table[strings + offset:strings + offset + length].decode("utf-16-be")
        return None

    def glyph(self, char: str) -> int:
        """The glyph id of ``char``; 0 (.notdef) when the font lacks it."""
        return self.cmap.get(ord(char), 0)

    def _loca(self) -> list[int]:
        loca = self._table("loca")
        if self._long_loca:
            return list(struct.unpack_from(f">{self.glyph_count + 1}I", loca))
        return [2 * o for o in struct.unpack_from(f">{self.glyph_count + 1}H", loca)]

    def cut(self, glyphs: set[int]) -> bytes:
        """The font program with only ``glyphs`` (and .notdef and their components) left in it."""
        loca, glyf = self._loca(), self._table("glyf")
        kept, todo = set(), {0, *glyphs}
        while todo:
            gid = todo.pop()
            if gid in kept or gid >= self.glyph_count:
                continue
            kept.add(gid)
            todo.update(_components(glyf[loca[gid]:loca[gid + 1]]))
        parts, offsets, at = [], [], 0
        for gid in range(self.glyph_count):
            offsets.append(at)
            if gid in kept:
                outline = glyf[loca[gid]:loca[gid + 1]]
                outline += b"\0" * (-len(outline) % 4)  # long-aligned, as loca's short form needs even offsets
                parts.append(outline)
                at += len(outline)
        offsets.append(at)
        new_loca = (struct.pack(f">{len(offsets)}I", *offsets) if self._long_loca
                    else struct.pack(f">{len(offsets)}H", *(o // 2 for o in offsets)))
        tables = {tag: self._table(tag) for tag in _KEPT if tag in self.tables}
        tables["glyf"], tables["loca"] = b"".join(parts), new_loca
        tables["post"] = struct.pack(">I", 0x00030000) + tables["post"][4:32]  # format 3: no glyph names
        return _sfnt(tables)


def _cmap_format_4(cmap: bytes, offset: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends_at = offset + 14
    ends = struct.unpack_from(f">{segments}H", cmap, ends_at)
    starts_at = ends_at + 2 * segments + 2
    starts = struct.unpack_from(f">{segments}H", cmap, starts_at)
    deltas_at = starts_at + 2 * segments
    deltas = struct.unpack_from(f">{segments}h", cmap, deltas_at)
    ranges_at = deltas_at + 2 * segments
    ranges = struct.unpack_from(f">{segments}H", cmap, ranges_at)
    mapping: dict[int, int] = {}
    for i in range(segments):
        if starts[i] == 0xFFFF:
            continue
        for code in range(starts[i], ends[i] + 1):
            if ranges[i] == 0:
                gid = (code + deltas[i]) & 0xFFFF
            else:  # the offset is relative to the idRangeOffset entry itself
                at = ranges_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                gid = struct.unpack_from(">H", cmap, at)[0]
                gid = (gid + deltas[i]) & 0xFFFF if gid else 0
            if gid:
                mapping[code] = gid
    return mapping


def _cmap_format_12(cmap: bytes, offset: int) -> dict[int, int]:
    groups = struct.unpack_from(">I", cmap, offset + 12)[0]
    mapping: dict[int, int] = {}
    for i in range(groups):
        start, end, first = struct.unpack_from(">III", cmap, offset + 16 + 12 * i)
        mapping.update(zip(range(start, end + 1), range(first, first + end - start + 1), strict=True))
    return mapping


def _components(outline: bytes) -> list[int]:
    """The glyph ids a composite glyph is built from (none for a simple or empty glyph)."""
    if len(outline) < 10 or struct.unpack_from(">h", outline, 0)[0] >= 0:
        return []
    found, at = [], 10
    while True:
        flags, gid = struct.unpack_from(">HH", outline, at)
        found.append(gid)
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        at += 8 if flags & _HAS_2X2 else 4 if flags & _HAS_XY_SCALE else 2 if flags & _HAS_SCALE else 0
        if not flags & _MORE:
            return found


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """A font file of ``tables``: the directory sorted by tag, every table long-aligned and checksummed,
    and head's checkSumAdjustment set so that the whole file sums to 0xB1B0AFBA."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    head = bytearray(tables["head"])
    head[8:12] = b"\0\0\0\0"
    tables = {**tables, "head": bytes(head)}
    directory, body = [], []
    at = len(header) + 16 * count
    for tag in tags:
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data), at, len(data)))
        body.append(data + b"\0" * (-len(data) % 4))
        at += len(body[-1])
    font = bytearray(header + b"".join(directory) + b"".join(body))
    head_at = struct.unpack_from(">I", font, len(header) + 16 * tags.index("head") + 8)[0]
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
