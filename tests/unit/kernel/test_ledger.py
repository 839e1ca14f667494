"""The one ledger's rules (kernel.ledger), as intake and review both apply them."""

from datetime import date, timedelta

from kernel.ledger import Bar, Entry, Ledger

KEY = ("0403170701", "2123456791", "keukenmedewerker-duaal")
OTHER_KEY = ("0403170701", "2000000198", "keukenmedewerker-duaal")
DAY = date(2026, 3, 2)


def entry(rid="r1", start=date(2024, 1, 1), until=date(2028, 12, 31), **kw):
    return Entry(recognition_id=rid, key=kw.pop("key", KEY), partnership_id=kw.pop("partnership_id", "horeca"),
                 valid_from=start, valid_until=until, **kw)


def bar(**kw):
    return Bar(**{"measure_id": "m1", "enterprise_number": KEY[0], "establishment_number": None,
                  "partnership_id": "horeca", "starts_on": DAY, **kw})


def codes(verdict):
    return [r.code for r in verdict.refusals]


def test_a_new_grant_on_a_free_key_lasts_five_years_less_a_day():
    verdict = Ledger().check_grant(KEY, "horeca", DAY, 5)
    assert verdict.grant.valid_from == DAY and verdict.grant.valid_until == date(2031, 3, 1)


def test_a_live_recognition_of_the_key_refuses_a_new_grant_but_not_one_of_another_key():
    ledger = Ledger((entry(),))
    assert codes(ledger.check_grant(KEY, "horeca", DAY, 5)) == ["conflict"]
    assert ledger.check_grant(OTHER_KEY, "horeca", DAY, 5).granted


def test_a_revocation_dated_later_keeps_the_recognition_live_until_then():
    future = entry(revoked_on=DAY + timedelta(days=30))
    assert future.status_on(DAY) == "active"
    assert codes(Ledger((future,)).check_grant(KEY, "horeca", DAY, 5)) == ["conflict"]
    assert Ledger((future,)).check_grant(KEY, "horeca", DAY + timedelta(days=30), 5).granted


def test_a_renewal_continues_without_gap_or_overlap_and_only_once():
    old = entry(until=DAY + timedelta(days=20))
    verdict = Ledger((old,)).check_grant(KEY, "horeca", DAY, 5, renews="r1")
    assert verdict.grant.valid_from == old.valid_until + timedelta(days=1)
    renewal = entry("r2", verdict.grant.valid_from, verdict.grant.valid_until, renews="r1")
    assert codes(Ledger((old, renewal)).check_grant(KEY, "horeca", DAY, 5, renews="r1")) == ["already_renewed"]
    # the same grant retried never conflicts with itself
    assert Ledger((old, renewal)).check_grant(KEY, "horeca", DAY, 5, renews="r1", recognition_id="r2").granted


def test_a_late_renewal_starts_on_its_decision_day_and_a_revoked_one_cannot_be_renewed():
    old = entry(until=DAY - timedelta(days=3))
    assert Ledger((old,)).check_grant(KEY, "horeca", DAY, 5, renews="r1").grant.valid_from == DAY
    revoked = entry(revoked_on=DAY - timedelta(days=1))
    assert codes(Ledger((revoked,)).check_grant(KEY, "horeca", DAY, 5, renews="r1")) == ["renewed_revoked"]
    assert codes(Ledger((entry(key=OTHER_KEY),)).check_grant(KEY, "horeca", DAY, 5, renews="r1")) == ["not_renewable"]


def test_a_renewal_revoked_before_its_first_day_is_void_and_frees_the_renewed_recognition():
    old = entry(until=DAY + timedelta(days=20))
    void = entry("r2", old.valid_until + timedelta(days=1), date(2031, 12, 31), renews="r1", revoked_on=DAY)
    assert void.void
    assert Ledger((old, void)).check_grant(KEY, "horeca", DAY, 5, renews="r1").granted


def test_an_exclusion_blocks_the_partnership_that_imposed_it_and_the_vpdls_blocks_all():
    sectoral = Ledger(bars=(bar(until=DAY + timedelta(days=9)),))
    assert codes(sectoral.check_grant(KEY, "horeca", DAY, 5)) == ["excluded"]
    assert sectoral.check_grant(KEY, "construction", DAY, 5).granted
    assert sectoral.check_grant(KEY, "horeca", DAY + timedelta(days=10), 5).granted
    assert codes(Ledger(bars=(bar(partnership_id="vpdl"),)).check_grant(KEY, "construction", DAY, 5)) == ["excluded"]
    assert Ledger(bars=(bar(lifted=True),)).check_grant(KEY, "horeca", DAY, 5).granted
    assert Ledger(bars=(bar(establishment_number="2000000198"),)).check_grant(KEY, "horeca", DAY, 5).granted


def test_a_restore_is_refused_where_another_took_the_place_and_handed_to_a_covering_exclusion():
    revoked = entry(revoked_on=DAY)
    successor = entry("r2", DAY + timedelta(days=5), date(2031, 12, 31))
    refusals, _ = Ledger((revoked, successor)).check_restore(revoked)
    assert [r.code for r in refusals] == ["conflict"]
    refusals, covering = Ledger((revoked,), (bar(starts_on=DAY + timedelta(days=3)),)).check_restore(revoked)
    assert refusals == [] and covering.measure_id == "m1"
    assert Ledger((revoked,), (bar(),)).check_restore(revoked, besides="m1") == ([], None)


def test_a_grant_dated_before_an_exclusion_but_handled_after_it_is_refused():
    """Found by the model-based test: an appeal upheld the day before an exclusion, handled by
    review after it, granted a recognition the exclusion never revoked."""
    ledger = Ledger(bars=(bar(starts_on=DAY + timedelta(days=1)),))
    assert codes(ledger.check_grant(KEY, "horeca", DAY, 5)) == ["excluded"]
    ended = Ledger(bars=(bar(starts_on=DAY - timedelta(days=10), until=DAY - timedelta(days=1)),))
    assert ended.check_grant(KEY, "horeca", DAY, 5).granted
