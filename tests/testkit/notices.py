"""What every official notice must read like (issue 16), shared by the unit test that produces every
kind with fakes (tests/unit/notification/test_notification_acts.py) and the e2e test that produces
every kind over HTTP on the local runtime (tests/e2e/test_every_notice_over_http.py): the text as
pdftotext extracts it, the fonts as pdffonts lists them, and the checks on both."""

from __future__ import annotations

import re
import subprocess

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LITERALS = re.compile(r"\b(None|True|False|null)\b")
REFERENCE = re.compile(r"DL-\d{4}-[0-9A-F]{10}")

# The remedy block's parts that do not depend on the day (the last day is checked by the caller), and the
# further remedy on the final acts of the appeal route.
REMEDY_PARTS = {
    "nl": ("via de beroepscoördinator", "e-mail aan beroep@duaal-leren.example.be",
           "beroepscoördinator, Voorbeeldstraat 1, 1000 Brussel", "POST /appeals", "/portal/appeals/new",
           "Het beroep is gemotiveerd: het zegt waarom de beslissing volgens u onjuist is",
           "door de onderneming zelf", "binnen 10 kalenderdagen na ontvangst van deze kennisgeving",
           "artikel 53 van het Gerechtelijk Wetboek"),
    "en": ("via the appeal coordinator", "e-mail to beroep@duaal-leren.example.be",
           "beroepscoördinator, Voorbeeldstraat 1, 1000 Brussel", "POST /appeals", "/portal/appeals/new",
           "The appeal states its grounds: why the decision is wrong in your view", "by the company itself",
           "within 10 calendar days after receipt of this notice", "article 53 of the Judicial Code"),
}
LAST_DAY = {"nl": "De laatste dag om beroep in te stellen is {date}", "en": "The last day to appeal is {date}"}
COUNCIL = {"nl": ("Raad van State", "binnen 60 dagen", "Wetenschapsstraat 33, 1040 Brussel"),
           "en": ("Council of State (Raad van State)", "within 60 days", "Wetenschapsstraat 33, 1040 Brussel")}
# Kinds spelled out as the tests tell them apart: admissibility and outcome of the appeal route.
FINAL = {"appeal_acknowledgement.inadmissible", "appeal_decision.upheld", "appeal_decision.dismissed"}


def pdftotext(data: bytes) -> str:
    """The notice's text as poppler extracts it, whitespace folded."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def pdffonts_rows(data: bytes) -> list[list[str]]:
    """pdffonts' table rows (name type encoding emb sub uni object ID)."""
    done = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    return [line.split() for line in done.stdout.decode().splitlines()[2:] if line.strip()]


def assert_fonts_embedded(data: bytes, where: str) -> None:
    rows = pdffonts_rows(data)
    assert rows, where
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], (where, row)  # embedded, subset, with a ToUnicode map


def spelled_kind(kind: str, text: str) -> str:
    """appeal_acknowledgement and appeal_decision with their result, read from the text."""
    if kind == "appeal_acknowledgement":
        return kind + (".inadmissible" if "niet ontvankelijk" in text or "inadmissible" in text else ".admissible")
    if kind == "appeal_decision":
        return kind + (".upheld" if " gegrond" in text or "well-founded" in text else ".dismissed")
    return kind


def assert_clean(text: str, where: str, ids: tuple[str, ...] = ()) -> None:
    """No uuid, no Python or JSON literal, no snake_case code, none of ``ids`` outside a link."""
    assert not UUID.search(text), (where, UUID.search(text))
    words = re.sub(r"https?://\S+", "", text)  # a link's query is no printed code
    assert not LITERALS.search(words), (where, LITERALS.search(words))
    assert not SNAKE.search(words), (where, SNAKE.search(words))
    for internal in ids:  # a link's path may hold them (the archive's key), the words may not
        assert not re.search(rf"(?<![\w-]){re.escape(internal)}(?![\w-])", words), (where, internal)


def assert_remedy(text: str, lang: str, appealable: bool, where: str) -> None:
    """The remedy block in full exactly when the act can be appealed, else none of it."""
    present = [part for part in REMEDY_PARTS[lang] if part in text]
    assert present == (list(REMEDY_PARTS[lang]) if appealable else []), (where, present)


def assert_council(text: str, lang: str, final: bool, where: str) -> None:
    present = [part for part in COUNCIL[lang] if part in text]
    assert present == (list(COUNCIL[lang]) if final else []), (where, present)


# Words of Dutch that English text never uses (whole words, any case): a phrase left untranslated shows.
DUTCH_WORDS = ("de", "het", "een", "van", "en", "niet", "wordt", "worden", "voor", "tot", "op", "aan", "bij", "uw",
               "geachte", "beste", "groeten", "pagina", "kenmerk", "beslissing", "erkenning", "onderneming",
               "opleiding", "leerwerkplek", "beroep", "aanvraag", "vestigingseenheid", "dagen", "ingediend",
               "herinnering", "vraag", "mentoren", "loket", "verzending", "geldig")
# Dutch that stays Dutch in English text: names of bodies, courts, places and the decree's own title.
DUTCH_NAMES = (r"Vlaams Partnerschap Duaal Leren", r"Sectoraal Partnerschap [A-Z][\w-]*(?: (?:en|[A-Z][\w-]*))*",
               r"Raad van State", r"t\.a\.v\. de beroepscoördinator", r"[A-Z]\w+straat \d+(?:,? \d{4} [A-Z]\w+)?",
               r"\(decreet houdende regeling van een aantal aspecten van het alternerend leren\)",
               r"'[^']*'",  # official training names, quoted
               r"Bouw en Elektro Peeters", r"\S+@\S+", r"https?://\S+", r"DL-\d{4}-[0-9A-F]{10}")


def by_language(data: bytes) -> dict[str, str]:
    """A notice's text per language, told apart page by page by the running footer ('Page 1 of 3' or
    'Pagina 1 van 3'): an English notice is its translation, then the authentic Dutch text."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    parts: dict[str, list[str]] = {}
    for page in done.stdout.decode().split("\f"):
        if not page.strip():
            continue
        english, dutch = re.search(r"\bPage \d+ of \d+", page), re.search(r"\bPagina \d+ van \d+", page)
        lang = "en" if english else "nl" if dutch else "?"
        parts.setdefault(lang, []).append(" ".join(page.split()))
    return {lang: " ".join(pages) for lang, pages in parts.items()}


def assert_english(text: str, where: str) -> None:
    """No Dutch word in ``text`` once the names that stay Dutch are taken out."""
    rest = text
    for name in DUTCH_NAMES:
        rest = re.sub(name, " ", rest)
    found = sorted({w for w in re.findall(r"[^\W\d_]+", rest) if w.lower() in DUTCH_WORDS})
    assert not found, (where, found, rest)
