"""No national register number in the function logs of the end-to-end run.

Every e2e worker's runtime writes its function logs to its own file (``session_log_file``: the
runtime's default, .local/localrt.log, is shared by every runtime on the machine and kept across
runs). The ``runtime`` fixture in conftest.py scans that file once its runtime has stopped, so each
worker checks everything its tests logged, whatever order ``-n 2 --dist loadfile`` ran them in;
the test at the end of this module checks what was logged so far and names the failure.

A number counts when it is one of the 11-digit literals of the e2e tests, or any 11-digit number
(bare, or written 80.03.15-123.61) that passes the national register number check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from intake.domain.national_register import is_national_register_number

E2E = Path(__file__).resolve().parent
ROOT = E2E.parents[1]
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
    """The valid national register numbers written as literals in the e2e test files."""
    found: set[str] = set()
    for source in E2E.glob("*.py"):
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


# ---------------------------------------------------------------------- the scanner itself
def test_the_scanner_finds_a_number_in_a_log_line():
    line = '[IntakeApiFunction] {"level":"INFO","message":"body","mentor":"80031512361","request":"8f2c-4d1e"}'
    assert national_register_numbers_in(line) == {"80031512361"}
    assert leaks([line]) == [line.replace("80031512361", "800315*****")]


def test_the_scanner_finds_formatted_numbers_and_known_numbers_inside_longer_text():
    assert national_register_numbers_in("nrn 80.03.15-123.61 given") == {"80031512361"}
    assert national_register_numbers_in("key=x80031512361y", known={"80031512361"}) == {"80031512361"}


def test_the_scanner_ignores_masked_numbers_ids_and_numbers_that_fail_the_check():
    assert leaks([
        '{"national_register_number": "800315*****"}',  # masked, as the employer's view shows it
        '{"enterprise_number": "0403170701", "establishment_number": "2123456791"}',  # 10 digits
        '{"event_id": "aa24388e-7bee-5c05-ac64-212345678901"}',  # a 12-digit uuid segment
        '{"count": 80031512362}',  # wrong check digits
        '{"timestamp_ms": 1795712345678}',
    ]) == []


def test_a_log_file_with_a_number_fails_the_check_and_the_report_masks_it(tmp_path):
    log = tmp_path / "e2e-gw0.log"
    log.write_text('[ReviewApiFunction] {"message": "ok"}\n[IntakeApiFunction] mentor 80031512361\n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_log_has_no_national_register_numbers(log)
    assert "1 line(s)" in str(failed.value) and "800315*****" in str(failed.value)
    assert "80031512361" not in str(failed.value)


def test_the_e2e_tests_numbers_are_collected():
    assert "80031512361" in numbers_in_e2e_tests()


def test_the_logs_so_far_have_no_national_register_numbers(runtime):
    # The conftest's teardown scan covers the rest of this worker's session.
    assert runtime.log_file is not None and runtime.log_file.exists()
    assert_log_has_no_national_register_numbers(runtime.log_file)
