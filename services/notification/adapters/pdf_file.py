"""The bytes of a notice PDF (ISO 32000-1, PDF 1.7) identifying as PDF/A-2u: laid-out pages in,
a file out. Written with the standard library: fpdf2 and the fontTools and Pillow it imports cost
about 0.3 s on a fresh worker, more than the function's cold-start budget, for the little of them
a notice uses.

What PDF/A-2u asks and this file writes: every font embedded (a cut of the font program, a Type0 font
with Identity-H encoding, CID = glyph id) with a ToUnicode map so that every character is extractable;
the widths of the font program; the XMP metadata stream with the PDF/A identification; an output
intent with the sRGB ICC profile; a file identifier; no encryption, no transparency, no annotations.
For accessibility (what PDF/A-2a and PDF/UA add) the content is marked (MarkInfo), every paragraph is
marked content of a structure element in reading order (StructTreeRoot, ParentTree), running footers
are artifacts, and the catalog carries the language and shows the title.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from notification.adapters.truetype import TrueTypeFont

ICC_PROFILE = Path(__file__).resolve().parent / "colour" / "sRGB2014.icc"
PAGE_SIZE = (595.28, 841.89)  # A4 in points


@dataclass
class FontUse:
    """A font as one PDF uses it: its resource name and the characters printed with each glyph."""

    name: str
    font: TrueTypeFont
    glyphs: dict[int, str] = field(default_factory=dict)
    _encoded: dict[str, tuple[int, str]] = field(default_factory=dict)

    def encode(self, text: str) -> str:
        """``text`` as the hex string of its glyph ids (Identity-H), the glyphs noted for the subset."""
        out = []
        for char in text:
            known = self._encoded.get(char)
            if known is None:
                gid = self.font.glyph(char)
                known = self._encoded[char] = (gid, f"{gid:04X}")
                self.glyphs.setdefault(gid, char)
            out.append(known[1])
        return "".join(out)


@dataclass
class Page:
    content: list[str] = field(default_factory=list)
    marked: list[int] = field(default_factory=list)  # by MCID: the structure element it belongs to


@dataclass
class Element:
    """A structure element (/P, /H1, /H2): its marked content as (page index, MCID) pairs."""

    kind: str
    parts: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Description:
    """The document's metadata (XMP) and catalog entries."""

    title: str
    author: str
    subject: str
    creator: str
    language: str
    created: datetime | None
    identifier: str  # 32 hex digits: the file identifier, both halves (the file as first written)


class Objects:
    """Numbered indirect objects, written with the cross-reference table that locates them."""

    def __init__(self) -> None:
        self._bodies: list[bytes | None] = []

    def reserve(self) -> int:
        self._bodies.append(None)
        return len(self._bodies)

    def put(self, number: int, body: str | bytes) -> int:
        self._bodies[number - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return number

    def add(self, body: str | bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, entries: str, data: bytes, *, compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 6)
            entries += " /Filter /FlateDecode"
        return self.add(f"<< {entries} /Length {len(data)} >>\nstream\n".encode("latin-1") + data + b"\nendstream")

    def output(self, root: int, identifier: str) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # binary marker: four bytes over 127 (PDF/A)
        offsets = []
        for number, body in enumerate(self._bodies, start=1):
            if body is None:
                raise RuntimeError(f"object {number} reserved and never written")
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode("latin-1") + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode("latin-1")
        out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("latin-1")
        out += (f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R /ID [<{identifier}><{identifier}>] >>\n"
                f"startxref\n{xref}\n%%EOF\n").encode("latin-1")
        return bytes(out)


def text_string(value: str) -> str:
    """A PDF text string: literal when printable ASCII, else UTF-16BE with its byte order mark."""
    if all(" " <= c <= "~" for c in value):
        return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def write(pages: list[Page], elements: list[Element], fonts: list[FontUse], about: Description) -> bytes:
    objects = Objects()
    catalog, pages_root, structure, document = (objects.reserve() for _ in range(4))
    font_refs = " ".join(f"/{use.name} {_font(objects, use)} 0 R" for use in fonts)
    resources = objects.add(f"<< /Font << {font_refs} >> >>")
    page_numbers = []
    for index, page in enumerate(pages):
        content = objects.stream("", "\n".join(page.content).encode("latin-1"))
        page_numbers.append(objects.add(
            f"<< /Type /Page /Parent {pages_root} 0 R /MediaBox [0 0 {PAGE_SIZE[0]} {PAGE_SIZE[1]}] "
            f"/Resources {resources} 0 R /Contents {content} 0 R /StructParents {index} >>"))
    kids = " ".join(f"{n} 0 R" for n in page_numbers)
    objects.put(pages_root, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    element_numbers = []
    for element in elements:
        if len(element.parts) == 1:
            on, mcid = element.parts[0]
            marked = f"/Pg {page_numbers[on]} 0 R /K {mcid}"
        else:  # a paragraph continued on the next page: a marked-content reference per page
            marked = "/K [" + " ".join(f"<< /Type /MCR /Pg {page_numbers[p]} 0 R /MCID {m} >>"
                                       for p, m in element.parts) + "]"
        element_numbers.append(objects.add(
            f"<< /Type /StructElem /S /{element.kind} /P {document} 0 R {marked} >>"))
    objects.put(document, f"<< /Type /StructElem /S /Document /P {structure} 0 R "
                          f"/K [{' '.join(f'{n} 0 R' for n in element_numbers)}] >>")
    parents = " ".join(f"{index} [{' '.join(f'{element_numbers[e]} 0 R' for e in page.marked)}]"
                       for index, page in enumerate(pages))
    parent_tree = objects.add(f"<< /Nums [{parents}] >>")
    objects.put(structure, f"<< /Type /StructTreeRoot /K [{document} 0 R] /ParentTree {parent_tree} 0 R "
                           f"/ParentTreeNextKey {len(pages)} >>")
    metadata = objects.stream("/Type /Metadata /Subtype /XML", _xmp(about).encode(), compress=False)
    profile = objects.stream("/N 3", _profile())
    intent = (f"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB) "
              f"/Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /DestOutputProfile {profile} 0 R >>")
    objects.put(catalog, f"<< /Type /Catalog /Pages {pages_root} 0 R /Metadata {metadata} 0 R "
                         f"/OutputIntents [{intent}] /StructTreeRoot {structure} 0 R /MarkInfo << /Marked true >> "
                         f"/Lang {text_string(about.language)} /ViewerPreferences << /DisplayDocTitle true >> "
                         f"/PageLayout /OneColumn >>")
    return objects.output(catalog, about.identifier)


@functools.cache
def _profile() -> bytes:
    return ICC_PROFILE.read_bytes()


def _font(objects: Objects, use: FontUse) -> int:
    """The Type0 font of ``use``: a CIDFontType2 over the font program cut to the glyphs used."""
    font, glyphs = use.font, sorted(use.glyphs)
    program = font.cut(set(glyphs))
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(glyphs).encode()).digest()[:6])
    name = f"{tag}+{font.postscript_name}"
    m = font.metrics
    file = objects.stream(f"/Length1 {len(program)}", program)
    descriptor = objects.add(
        f"<< /Type /FontDescriptor /FontName /{name} /Flags {4 | (1 << 18 if m.bold else 0)} "
        f"/FontBBox [{' '.join(map(str, m.bbox))}] /ItalicAngle {m.italic_angle:g} /Ascent {m.ascent} "
        f"/Descent {m.descent} /CapHeight {m.cap_height} /StemV {m.stem_v} "
        f"/MissingWidth {font.advances[0]} /FontFile2 {file} 0 R >>")
    widths = _widths(font, glyphs)
    cid_font = objects.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW {font.advances[0]} /W [{widths}] /CIDToGIDMap /Identity >>")
    to_unicode = objects.stream("", _to_unicode(use.glyphs).encode("latin-1"))
    return objects.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
                       f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>")


def _widths(font: TrueTypeFont, glyphs: list[int]) -> str:
    """The W array: runs of consecutive glyph ids with their widths."""
    runs: list[list[int]] = []
    for gid in glyphs:
        if runs and runs[-1][0] + len(runs[-1]) - 1 == gid:
            runs[-1].append(font.advances[gid])
        else:
            runs.append([gid, font.advances[gid]])
    return " ".join(f"{run[0]} [{' '.join(map(str, run[1:]))}]" for run in runs)


def _to_unicode(glyphs: dict[int, str]) -> str:
    entries = [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in sorted(glyphs.items())]
    blocks = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                     for chunk in (entries[i:i + 100] for i in range(0, len(entries), 100)))
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + blocks +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")


def _escape(value: str) -> str:
    """``value`` as XML character data or an attribute value (xml.sax.saxutils imports urllib.request:
    40 ms of a cold start for five replacements)."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def _xmp(about: Description) -> str:
    dates = ""
    if about.created is not None:
        stamp = about.created.isoformat()
        dates = "".join(f'\n        xmp:{name}="{stamp}"' for name in ("CreateDate", "ModifyDate", "MetadataDate"))
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about=""
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:xmp="http://ns.adobe.com/xap/1.0/"
        xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
        xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
        xmp:CreatorTool="{_escape(about.creator)}"
        pdf:Producer="{_escape(about.creator)}"{dates}>
      <pdfaid:part>2</pdfaid:part>
      <pdfaid:conformance>U</pdfaid:conformance>
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_escape(about.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_escape(about.subject)}</rdf:li></rdf:Alt></dc:description>
      <dc:creator><rdf:Seq><rdf:li>{_escape(about.author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:language><rdf:Bag><rdf:li>{_escape(about.language)}</rdf:li></rdf:Bag></dc:language>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
