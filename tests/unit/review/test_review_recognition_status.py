from datetime import UTC, date, datetime

from review.domain.recognition import MentorBan, Recognition, current_for_key

GRANTED = datetime(2026, 1, 1, tzinfo=UTC)


def recognition(rid="r1", valid_from=date(2026, 1, 1), valid_until=date(2030, 12, 31), **kw):
    return Recognition(recognition_id=rid, partnership_id="horeca", enterprise_number="0403170701",
                       establishment_number="2123456791", training_code="keukenmedewerker-duaal",
                       valid_from=valid_from, valid_until=valid_until, granted_at=GRANTED, **kw)


def test_status_follows_the_dates():
    r = recognition()
    assert r.status_on(date(2025, 12, 31)) == "scheduled"
    assert r.status_on(date(2026, 1, 1)) == "active"
    assert r.status_on(date(2030, 12, 31)) == "active"
    assert r.status_on(date(2031, 1, 1)) == "expired"


def test_a_revocation_ends_the_recognition_from_its_effective_day():
    r = recognition().revoked(date(2027, 6, 1), "m1", "no mentor")
    assert r.status_on(date(2027, 5, 31)) == "active"
    assert r.status_on(date(2027, 6, 1)) == "revoked"
    assert r.restored().status_on(date(2027, 6, 1)) == "active"


def test_the_recognition_valid_on_a_day_answers_for_its_key():
    old = recognition("old", date(2021, 1, 1), date(2025, 12, 31))
    new = recognition("new", date(2026, 1, 1), date(2030, 12, 31))
    assert current_for_key([old, new], date(2024, 5, 5)).recognition_id == "old"
    assert current_for_key([old, new], date(2026, 5, 5)).recognition_id == "new"
    assert current_for_key([old, new], date(2031, 5, 5)).recognition_id == "new"  # expired, the latest
    assert current_for_key([new], date(2020, 1, 1)).status_on(date(2020, 1, 1)) == "scheduled"
    assert current_for_key([], date(2026, 1, 1)) is None


def test_a_recognition_whose_only_mentor_is_banned_for_its_training_has_no_eligible_mentor():
    from kernel.events import Mentor

    r = recognition(mentors=[Mentor(first_name="Jan", last_name="J")])
    assert not r.without_eligible_mentor
    banned = r.with_ban(MentorBan(measure_id="m1", mentor_index=0, trainings=["keukenmedewerker-duaal"]))
    assert banned.without_eligible_mentor
    assert not banned.with_ban_annulled("m1").without_eligible_mentor
    other = r.with_ban(MentorBan(measure_id="m2", mentor_index=0, trainings=["restaurant-en-keuken-duaal"]))
    assert not other.without_eligible_mentor
