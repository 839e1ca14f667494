import subprocess
import sys
from pathlib import Path

import pytest

from reference import build_trainings, catalogue

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "services" / "reference" / "data" / "trainings.json"
# The seed list as received (a copy of the project's shared data, with its notes beside it).
CSV = Path(__file__).resolve().parents[3] / "services" / "reference" / "sources" / "dual-trainings.csv"



def test_generator_reproduces_trainings_json_from_the_csv(tmp_path):
    out = tmp_path / "trainings.json"
    subprocess.run(
        [sys.executable, str(ROOT / "services/reference/build_trainings.py"), str(CSV),
         "--version", catalogue.data_version(), "--status", catalogue.catalogue().status, "--output", str(out)],
        check=True,
    )
    assert out.read_text(encoding="utf-8") == DATA.read_text(encoding="utf-8")


def _write_csv(path, rows):
    header = "name,study_area,sector,level,code,source\n"
    path.write_text(header + "".join(f"{r}\n" for r in rows), encoding="utf-8")


def test_generator_rejects_an_unmapped_sector(tmp_path):
    _write_csv(tmp_path / "t.csv", ["Sterrenkundige duaal,,sterrenkunde,,,http://example.be"])
    with pytest.raises(build_trainings.BuildError, match="sterrenkunde"):
        build_trainings.build(tmp_path / "t.csv", "v1")


def test_generator_keeps_a_pinned_code_and_suffixes_shared_names(tmp_path):
    _write_csv(
        tmp_path / "t.csv",
        [
            "Schilder,,bouw,,DL-9,http://example.be",
            "Kok duaal,,horeca,2de graad,,http://example.be",
            "Kok duaal,,horeca,3de graad,,http://example.be",
        ],
    )
    import json

    codes = [t["code"] for t in json.loads(build_trainings.build(tmp_path / "t.csv", "v1"))["trainings"]]
    assert codes == ["DL-9", "kok-duaal-2de-graad", "kok-duaal-3de-graad"]


def test_generator_refuses_duplicate_codes(tmp_path):
    _write_csv(tmp_path / "t.csv", ["Kok duaal,,horeca,,,x", "Kok duaal,,horeca,,,y"])
    with pytest.raises(build_trainings.BuildError, match="not unique"):
        build_trainings.build(tmp_path / "t.csv", "v1")
