"""The artefact functions run from (infra/localrt/artifact.py, services/Makefile): what `sam build` ships,
bytecode included, so a cold start compiles nothing; and a changed source never runs stale bytecode."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from localrt import artifact, load_template

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"


def _pyc_flags(pyc: Path) -> int:
    """PEP 552: the second word of a pyc; 0b01 is hash-based without checking the source (unchecked-hash)."""
    header = pyc.read_bytes()[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER, pyc
    return int.from_bytes(header[4:8], "little")


def test_every_function_is_built_by_the_services_makefile():
    functions = load_template(ROOT / "infra" / "template.yaml").functions
    assert {(f.code_dir, f.build_method) for f in functions} == {(SERVICES, "makefile")}
    # sam build runs `make build-<LogicalId>` in CodeUri: one pattern rule serves every function.
    dry = subprocess.run(["make", "-n", "-C", str(SERVICES), "build-IntakeApiFunction", "ARTIFACTS_DIR=/nowhere"],
                         capture_output=True, text=True, check=True).stdout
    assert "pip install" in dry and "--platform manylinux2014_aarch64" in dry
    assert "--invalidation-mode unchecked-hash" in dry


def test_the_artefact_holds_every_module_with_unchecked_hash_bytecode(tmp_path):
    built = artifact.built(SERVICES, store=tmp_path)
    sources = sorted(p.relative_to(SERVICES) for p in SERVICES.rglob("*.py") if "__pycache__" not in p.parts)
    assert sources == sorted(p.relative_to(built) for p in built.rglob("*.py") if "__pycache__" not in p.parts)
    tag = sys.implementation.cache_tag
    for source in sources:
        pyc = built / source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        assert _pyc_flags(pyc) == 0b01, pyc
    assert (built / "reference" / "data" / "policy.json").exists()  # data travels with the code
    assert not (built / "Makefile").exists() and not (built / "requirements.txt").exists()
    assert artifact.built(SERVICES, store=tmp_path) == built  # the same sources: built once


def test_a_changed_source_is_a_new_artefact(tmp_path):
    code = tmp_path / "code"
    (code / "pkg").mkdir(parents=True)
    (code / "Makefile").write_text((SERVICES / "Makefile").read_text())
    # The recipe also writes botocore's trimmed data (kernel/aws_data.py), with the kernel's list of services.
    (code / "kernel").mkdir()
    for name in ("__init__.py", "aws.py", "aws_data.py"):
        (code / "kernel" / name).write_text((SERVICES / "kernel" / name).read_text())
    (code / "pkg" / "__init__.py").write_text("VALUE = 1\n")
    first = artifact.built(code, store=tmp_path / "store")
    assert (first / "botocore_data" / "endpoints.json").is_file()
    (code / "pkg" / "__init__.py").write_text("VALUE = 2\n")
    second = artifact.built(code, store=tmp_path / "store")
    assert first != second
    run = [sys.executable, "-c", "import pkg; print(pkg.VALUE)"]
    assert subprocess.run(run, cwd=second, capture_output=True, text=True, check=True).stdout.strip() == "2"


def test_workers_run_from_the_artefact(tmp_path, monkeypatch):
    functions = load_template(ROOT / "infra" / "template.yaml").functions
    monkeypatch.setattr(artifact, "built", lambda folder: tmp_path / folder.name)
    assert {f.code_dir for f in artifact.deployed(functions)} == {tmp_path / "services"}
