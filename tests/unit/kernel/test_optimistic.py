import pytest

from kernel.optimistic import ATTEMPTS, retry


class Stale(Exception):
    pass


def losing(times: int):
    calls = []

    def attempt() -> int:
        calls.append(1)
        if len(calls) <= times:
            raise Stale()
        return len(calls)

    return attempt, calls


def test_a_lost_race_is_run_again_until_the_write_holds():
    attempt, calls = losing(ATTEMPTS - 1)
    assert retry(attempt, stale=Stale) == ATTEMPTS
    assert len(calls) == ATTEMPTS


def test_an_item_that_keeps_changing_gives_up_with_the_stale_error():
    attempt, calls = losing(ATTEMPTS)
    with pytest.raises(Stale):
        retry(attempt, stale=Stale)
    assert len(calls) == ATTEMPTS


def test_any_other_error_is_raised_at_once():
    calls = []

    def attempt() -> None:
        calls.append(1)
        raise KeyError("gone")

    with pytest.raises(KeyError):
        retry(attempt, stale=Stale)
    assert calls == [1]
