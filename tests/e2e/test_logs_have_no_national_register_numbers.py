"""No national register number in the function logs of the end-to-end run: the scanner (testkit.leaks)
finds one and masks it in its report, and the logs so far hold none. The ``runtime`` fixture
(tests/conftest.py) scans each worker's whole log once its runtime has stopped."""

from __future__ import annotations

import pytest
from testkit.leaks import (
    assert_log_has_no_national_register_numbers,
    leaks,
    national_register_numbers_in,
    numbers_in_e2e_tests,
)


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
