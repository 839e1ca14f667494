"""No national register number in the function logs of a test session's runtime (the scanner).

Every pytest worker's session runtime (testkit.session_runtime, shared by the e2e and browser tiers) writes
its function logs to its own file (``session_log_file``: the runtime's default, .local/localrt.log, is shared
by every runtime on the machine and kept across runs). The ``runtime`` fixture scans that file once its
runtime has stopped, so each worker checks everything its tests logged, whatever order ``-n 2 --dist
loadfile`` ran them in; tests/e2e/test_logs_have_no_national_register_numbers.py tests the scanner.

A number counts when it is one of the 11-digit literals of the e2e or browser tests, or any 11-digit number
(bare, or written 80.03.15-123.61) that passes the national register number check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from intake.domain.national_register import is_national_register_number

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
# The tiers whose tests drive the session runtime: their literals are the numbers the logs must not hold.
DRIVERS = (TESTS / "e2e", TESTS / "browser")
_BARE = re.compile(r"(?<![0-9A-Za-z])\d{11}(?![0-9A-Za-z])")
_FORMATTED = re.compile(r"(?<![0-9A-Za-z])\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}(?![0-9A-Za-z])")
_LITERAL = re.compile(r"""["'](\d{11})["']""")


def session_log_file() -> Path:
    """This worker's function log, emptied: .local/e2e-<xdist worker>.log."""
    path = ROOT / ".local" / f"e2e-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    return path


def numbers_in_e2e_tests() -> set[str]:
    """The valid national register numbers written as literals in the e2e and browser test files."""
    found: set[str] = set()
    for source in (path for folder in DRIVERS for path in folder.glob("*.py")):
        found |= {n for n in _LITERAL.findall(source.read_text(encoding="utf-8")) if is_national_register_number(n)}
    return found


def national_register_numbers_in(line: str, known: set[str] = frozenset()) -> set[str]:
    found = {n for n in known if n in line}
    found |= {n for n in _BARE.findall(line) if is_national_register_number(n)}
    found |= {n for n in (re.sub(r"\D", "", m) for m in _FORMATTED.findall(line)) if is_national_register_number(n)}
    return found


def leaks(lines, known: set[str] = frozenset()) -> list[str]:
    """Each offending line, shortened, with the numbers masked (the failure report is a log too)."""
    found = []
    for line in lines:
        numbers = national_register_numbers_in(line, known)
        for number in numbers:
            line = line.replace(number, number[:6] + "*****")
        if numbers:
            found.append(line.strip()[:300])
    return found


def assert_log_has_no_national_register_numbers(path: Path) -> None:
    """Fails the test (or the fixture teardown) naming the lines that hold a number."""
    with open(path, encoding="utf-8", errors="replace") as log:
        found = leaks(log, numbers_in_e2e_tests())
    if found:
        pytest.fail(
            f"{len(found)} line(s) of {path.name} hold a national register number, e.g.:\n" + "\n".join(found[:5]),
            pytrace=False,
        )
