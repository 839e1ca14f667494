"""Build ``data/trainings.json`` from the dual-trainings CSV (a dev tool, never run at run time).

Usage::

    python services/reference/build_trainings.py path/to/dual-trainings.csv \
        --version 2026-11-26.1 [--status seed] [--output services/reference/data/trainings.json]

Codes are derived deterministically so that a regeneration keeps them stable:
- a non-empty ``code`` column wins (an operator pins a code that way);
- otherwise the code is the slug of the name (``Ruwbouw duaal`` -> ``ruwbouw-duaal``);
- names shared by several rows (e.g. ``Elektrotechnicus duaal`` at two levels) get the slug of
  their level appended. Adding a second row with an existing name would change the first row's
  code: pin the old code in the ``code`` column before doing so.

The CSV's ``sector`` is indicative; it is kept as ``sector_label`` and mapped to a small set of
sector keys by ``SECTOR_MAPPING``. An unmapped label stops the build, so the table stays complete.
Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

SECTORS: dict[str, str] = {
    "hospitality": "Horeca (hotel, restaurant, fast food)",
    "construction": "Bouw, afwerking, wegenbouw, schrijnwerk en sanitaire/verwarmingsinstallatie",
    "metal_electrical": "Metaal, elektrotechniek, koeltechniek, technologische industrie",
    "retail": "Handel en verkoop",
    "care": "Zorg en welzijn",
    "logistics": "Logistiek, transport, binnenvaart",
    "hairdressing": "Kappers en haarzorg",
    "food": "Voeding (bakkerij, slagerij, chocolade)",
    "automotive": "Auto, zware voertuigen, carrosserie",
    "chemistry": "Chemie",
    "agriculture": "Groen, tuin, land- en tuinbouw",
    "textile_care": "Textielverzorging (wasserij, droogkuis)",
    "office": "Bureau en administratie",
    "other": "Overige (sport, kledingconfectie, ...)",
}

# Indicative CSV sector label -> sector key. Choices that are not obvious:
# - sanitary/heating installation and buried pipework fall under the construction joint
#   committee (124) in Belgium, so they go to construction rather than metal_electrical;
# - joinery ("hout", "hout / bouw") goes to construction: building joinery is construction work;
# - "textiel / confectie" (clothing pattern design) is garment making, not textile care (PC 110);
# - "handel" (Onthaal, organisatie en sales) is grouped with retail, as the CSV's label says.
SECTOR_MAPPING: dict[str, str] = {
    "bouw": "construction",
    "bouw (afwerking)": "construction",
    "bouw (wegenbouw)": "construction",
    "hout": "construction",
    "hout / bouw": "construction",
    "installatie (sanitair/verwarming)": "construction",
    "installatie / nutsleidingen": "construction",
    "elektrotechniek": "metal_electrical",
    "elektrotechniek / technologische industrie": "metal_electrical",
    "elektrotechniek / podium": "metal_electrical",
    "elektrotechniek / energie": "metal_electrical",
    "elektrotechniek / nutsvoorzieningen": "metal_electrical",
    "koeltechniek / installatie": "metal_electrical",
    "metaal / technologische industrie": "metal_electrical",
    "metaal / onderhoud": "metal_electrical",
    "horeca": "hospitality",
    "horeca (fastfood)": "hospitality",
    "voeding (bakkerij)": "food",
    "voeding (slagerij)": "food",
    "auto": "automotive",
    "auto (zware voertuigen)": "automotive",
    "auto (carrosserie)": "automotive",
    "handel": "retail",
    "handel (retail)": "retail",
    "zorg": "care",
    "welzijn (kinderopvang)": "care",
    "logistiek": "logistics",
    "logistiek / internationale handel (PC 226)": "logistics",
    "binnenvaart / transport": "logistics",
    "haarzorg": "hairdressing",
    "chemie": "chemistry",
    "groen": "agriculture",
    "groen / natuurbeheer": "agriculture",
    "textiel / confectie": "other",
    "sport": "other",
}

SOURCE_NOTES = [
    "Built by services/reference/build_trainings.py from the project's seed list dual-trainings.csv "
    "(74 rows). Every name was seen in at least one public source, named per entry in 'source'.",
    "No official code list for dual trainings was found: 'code' is this catalogue's own code "
    "(slug of the name, plus the level where a name occurs twice).",
    "'sector_label' is the CSV's indicative sector grouping added by the researcher, not an official "
    "field; 'sector' maps it onto the keys in 'sectors' (see 'sector_mapping').",
    "The data has no separate standaardtraject name: 'standard_track' repeats the training name.",
    "Seed/sample data: the offer changes every school year; an operator replaces this file.",
]


class BuildError(ValueError):
    """The CSV cannot be turned into a valid catalogue (unmapped sector, duplicate code, ...)."""


def slug(text: str) -> str:
    """Lower-case ASCII slug: accents dropped, every run of other characters becomes one dash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _entry(row: dict[str, str], code: str) -> dict[str, object]:
    label = row["sector"].strip()
    if label not in SECTOR_MAPPING:
        raise BuildError(f"sector label {label!r} of {row['name']!r} is not in SECTOR_MAPPING")
    return {
        "code": code,
        "name": row["name"].strip(),
        "sector": SECTOR_MAPPING[label],
        "sector_label": label,
        "level": row["level"].strip() or None,
        "study_area": row["study_area"].strip() or None,
        "standard_track": row["name"].strip(),
        "source": [part.strip() for part in row["source"].split(" | ") if part.strip()],
    }


def build(csv_path: Path, version: str, status: str = "seed") -> str:
    """Return the text of trainings.json for the CSV at ``csv_path``.

    Raises BuildError on an unmapped sector label or a code that is not unique.
    """
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    name_counts = Counter(slug(row["name"]) for row in rows)
    entries = []
    for row in rows:
        code = (row.get("code") or "").strip() or slug(row["name"])
        if not (row.get("code") or "").strip() and name_counts[code] > 1:
            code = f"{code}-{slug(row['level'] or 'zonder-niveau')}"
        entries.append(_entry(row, code))
    duplicates = [code for code, n in Counter(e["code"] for e in entries).items() if n > 1]
    if duplicates:
        raise BuildError(f"codes not unique: {duplicates}")
    document = {
        "version": version,
        "status": status,
        "source": SOURCE_NOTES,
        "sectors": SECTORS,
        "sector_mapping": SECTOR_MAPPING,
        "trainings": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv_path", type=Path)
    parser.add_argument("--version", required=True, help='data version, e.g. "2026-11-26.1"')
    parser.add_argument("--status", default="seed")
    parser.add_argument("--output", type=Path, help="file to write; standard output if omitted")
    args = parser.parse_args(argv)
    text = build(args.csv_path, args.version, args.status)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
