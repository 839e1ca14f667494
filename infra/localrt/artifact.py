"""The artefact a function runs from: what `sam build` deploys, not the source folder.

A function whose template resource says ``Metadata: BuildMethod: makefile`` is built on AWS by its
CodeUri's Makefile (services/Makefile): the code plus its bytecode, compiled as unchecked-hash pycs.
The local runtime runs its workers from the same recipe (``make artifact``; the dependencies stay the
venv's, built for this machine), so a local cold start loads what a Lambda cold start loads, instead
of compiling every module from source (PYTHONDONTWRITEBYTECODE is set, as /var/task is read-only).

Artefacts are kept under <repository>/.local/artifacts/<folder>-<digest of the sources>: any change to
a source file is a new digest, hence a new artefact (an unchecked-hash pyc would otherwise run stale
code). Built into a temporary folder and renamed, so parallel test workers may build at once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from .template import Function

log = logging.getLogger("localrt")

_SKIPPED = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
_KEEP_SECONDS = 3600  # older artefacts of the same folder go (a running runtime keeps its files open)


def deployed(functions: list[Function]) -> list[Function]:
    """The functions as their workers run them: a makefile-built one from its artefact (one per folder)."""
    folders = {fn.code_dir for fn in functions if fn.build_method == "makefile"}
    artefacts = {folder: built(folder) for folder in sorted(folders)}
    return [replace(fn, code_dir=artefacts[fn.code_dir]) if fn.code_dir in artefacts else fn for fn in functions]


def digest(code_dir: Path) -> str:
    """A digest of every file under ``code_dir`` (paths and contents), bytecode excluded."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(code_dir):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(root, name)
            h.update(str(path.relative_to(code_dir)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def built(code_dir: Path, store: Path | None = None) -> Path:
    """The folder of ``code_dir``'s artefact, built by ``make artifact`` if it is not there yet."""
    store = store or code_dir.parent / ".local" / "artifacts"
    target = store / f"{code_dir.name}-{digest(code_dir)}"
    if (target / ".complete").exists():
        return target
    store.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix=f".{code_dir.name}-", dir=store))
    try:
        subprocess.run(["make", "--no-print-directory", "-s", "-C", str(code_dir), "artifact",
                        f"ARTIFACTS_DIR={scratch}", f"PYTHON={sys.executable}"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        (scratch / ".complete").touch()
        try:
            scratch.rename(target)
        except OSError:  # another process built it meanwhile: the same sources, the same artefact
            shutil.rmtree(scratch, ignore_errors=True)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise RuntimeError(f"make artifact in {code_dir} failed: {exc.stderr.strip()}") from exc
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    log.info("artefact of %s built in %.1f s: %s", code_dir.name, time.monotonic() - started, target)
    _prune(store, code_dir.name, keep=target)
    return target


def _prune(store: Path, name: str, keep: Path) -> None:
    now = time.time()
    for old in store.glob(f"{name}-*"):
        if old != keep and now - old.stat().st_mtime > _KEEP_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
