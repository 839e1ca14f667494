from datetime import UTC, date, datetime, timedelta

import pytest

from appeal.usecases import deciding, lodging, subjects
from kernel.auth import Caller
from kernel.errors import Conflict, NotFound, RuleViolation
from kernel.events import (
    AppealAcknowledgementDueV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    NoticeDeliveryFailedV1,
    NoticeIssuedV1,
)
from kernel.publisher import envelope_for

UTC = UTC
COMPANY = "0403170701"
OTHER = "0123456749"
DECIDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOTICE_SENT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
EMPLOYER = Caller(sub="emp-1", role="employer", enterprise_number=COMPANY)
GROUNDS = "The mentor has 6 years of experience; the partnership overlooked the certificate."


def refusal(ports, decision_id="dec-1", outcome="refused", enterprise=COMPANY):
    subjects.remember_decision(
        ports,
        None,  # the subjects read only the data
        DecisionRecordedV1(
            decision_id=decision_id,
            application_id="app-1",
            partnership_id="vpdl",
            enterprise_number=enterprise,
            establishment_number="2123456791",
            training_code="T001",
            outcome=outcome,
            reasons=["no mentor"] if outcome == "refused" else [],
            decided_at=DECIDED,
        ),
    )


def measure(ports, measure_id="mea-1", type_="revocation"):
    subjects.remember_measure(
        ports,
        None,  # the subjects read only the data
        MeasureImposedV1(
            measure_id=measure_id,
            type=type_,
            partnership_id="construction",
            enterprise_number=COMPANY,
            recognition_id="rec-1",
            reason="guidance failed",
            appealable=type_ != "guidance",
            imposed_at=DECIDED,
        ),
    )


def notice(ports, subject_id="dec-1", deadline=None, sent=NOTICE_SENT):
    subjects.remember_notice(
        ports,
        None,  # the subjects read only the data
        NoticeIssuedV1(
            notice_id=f"not-{subject_id}",
            kind="refusal",
            subject_id=subject_id,
            enterprise_number=COMPANY,
            issued_at=sent,
            appeal_deadline=deadline,
            pdf_key="notices/x.pdf",
        ),
    )


def lodge(ports, subject_id="dec-1", grounds=GROUNDS, caller=EMPLOYER):
    return lodging.lodge_appeal(ports, caller, subject_id=subject_id, grounds=grounds, correlation_id="corr-1")


def on_day(moving_clock, day: int) -> None:
    """Day ``day`` after the notice was sent (day 0 = the notice date)."""
    moving_clock.at(NOTICE_SENT + timedelta(days=day, hours=2))


# ------------------------------------------------------------------ who may appeal what
def test_refused_application_can_be_appealed_within_ten_days(ports, moving_clock):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    on_day(moving_clock, 9)
    appeal = lodge(ports)
    assert appeal.status == "lodged"
    assert appeal.appeal_deadline == date(2026, 3, 12) and appeal.deadline_basis == "notice"
    assert appeal.acknowledgement_due == date(2026, 3, 21)
    assert appeal.subject_kind == "decision"


def test_the_tenth_day_is_still_in_time(ports, moving_clock):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    on_day(moving_clock, 10)
    assert lodge(ports).status == "lodged"


def test_an_appeal_on_day_eleven_is_recorded_but_inadmissible(ports, moving_clock):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    on_day(moving_clock, 11)
    appeal = lodge(ports)
    assert appeal.status == "inadmissible"
    assert appeal.admissibility.reasons == ("deadline_passed",)
    assert appeal.admissibility.decided_by == "automatic"
    assert ports.publisher.names() == ["AppealLodged", "AppealAdmissibilityDecided"]
    assert ports.timers.pending == {}


@pytest.mark.parametrize("grounds", ["", "   \n\t "])
def test_an_appeal_without_motivation_is_recorded_but_inadmissible(ports, moving_clock, grounds):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    on_day(moving_clock, 3)
    appeal = lodge(ports, grounds=grounds)
    assert appeal.status == "inadmissible"
    assert appeal.admissibility.reasons == ("not_motivated",)


def test_a_late_unmotivated_appeal_gets_both_reasons(ports, moving_clock):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    on_day(moving_clock, 20)
    assert lodge(ports, grounds=" ").admissibility.reasons == ("deadline_passed", "not_motivated")


def test_another_company_cannot_see_or_appeal_the_subject(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    other = Caller(sub="emp-2", role="employer", enterprise_number=OTHER)
    with pytest.raises(NotFound):
        lodge(ports, caller=other)


def test_an_unknown_subject_is_not_found(ports, moving_clock):
    on_day(moving_clock, 1)
    with pytest.raises(NotFound):
        lodge(ports, subject_id="nothing")


def test_an_approval_cannot_be_appealed(ports, moving_clock):
    refusal(ports, outcome="approved")
    on_day(moving_clock, 1)
    with pytest.raises(RuleViolation) as raised:
        lodge(ports)
    assert raised.value.errors[0].field == "subject_id"


def test_a_guidance_action_cannot_be_appealed(ports, moving_clock):
    measure(ports, type_="guidance")
    on_day(moving_clock, 1)
    with pytest.raises(RuleViolation):
        lodge(ports, subject_id="mea-1")


@pytest.mark.parametrize("type_", ["mentor_ban", "revocation", "exclusion"])
def test_every_sanction_can_be_appealed(ports, moving_clock, type_):
    measure(ports, type_=type_)
    notice(ports, subject_id="mea-1")
    on_day(moving_clock, 2)
    appeal = lodge(ports, subject_id="mea-1")
    assert (appeal.status, appeal.subject_kind, appeal.partnership_id) == ("lodged", "measure", "construction")


def test_one_open_appeal_per_subject(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    lodge(ports)
    with pytest.raises(Conflict):
        lodge(ports)
    with pytest.raises(Conflict):  # even a late or unmotivated one: the open appeal answers the company
        lodge(ports, grounds="")


def test_after_an_unmotivated_appeal_a_motivated_one_may_follow_in_time(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    assert lodge(ports, grounds="").status == "inadmissible"
    assert lodge(ports).status == "lodged"


def test_a_decided_appeal_keeps_its_subject(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")
    deciding.record_decision(ports, appeal.appeal_id, outcome="dismissed", reasons=["well founded"], correlation_id="c")
    with pytest.raises(Conflict):
        lodge(ports)


# ------------------------------------------------------------------ where the deadline comes from
def test_without_a_notice_the_deadline_counts_from_the_decision_date_and_says_so(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    assert (appeal.appeal_deadline, appeal.deadline_basis) == (date(2026, 3, 12), "decision_date")


def test_a_notice_whose_receipt_is_not_assumed_starts_no_term_so_the_appeal_is_never_late(ports, moving_clock):
    # An appealable act's notice without a deadline reached no known e-mail address (notification
    # assumes no receipt): the term has not started, and is not counted from the notice's date.
    refusal(ports)
    notice(ports, sent=NOTICE_SENT + timedelta(days=2))
    on_day(moving_clock, 120)  # months after the notice date, far beyond any ten days
    appeal = lodge(ports)
    assert (appeal.appeal_deadline, appeal.deadline_basis) == (None, "receipt_not_assumed")
    assert appeal.status == "lodged" and appeal.admissibility is None  # not inadmissible as late


def undelivered(ports, subject_id="dec-1", notice_id=None):
    subjects.remember_undelivered_notice(
        ports,
        None,  # the subjects read only the data
        NoticeDeliveryFailedV1(
            notice_id=notice_id or f"not-{subject_id}",
            kind="refusal",
            subject_id=subject_id,
            enterprise_number=COMPANY,
            outcome="bounced",
            reported_at=NOTICE_SENT + timedelta(minutes=5),
        ),
    )


def test_a_notice_that_bounced_starts_no_term_so_an_appeal_after_its_printed_deadline_is_not_late(ports, moving_clock):
    # The notice named 12 March, but its mail never arrived: the ten days run from a receipt that
    # did not happen (DOMAIN.md section 6), so the printed deadline does not bind the company.
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    undelivered(ports)
    on_day(moving_clock, 30)
    appeal = lodge(ports)
    assert (appeal.appeal_deadline, appeal.deadline_basis) == (None, "receipt_not_assumed")
    assert appeal.status == "lodged" and appeal.admissibility is None


def test_a_bounce_reported_before_its_notice_arrives_still_counts(ports, moving_clock):
    undelivered(ports)  # the bus does not keep order
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    on_day(moving_clock, 30)
    assert lodge(ports).deadline_basis == "receipt_not_assumed"


def test_a_bounce_of_another_notice_leaves_the_counted_notice_s_deadline(ports, moving_clock):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    undelivered(ports, notice_id="not-a-later-copy")
    on_day(moving_clock, 11)
    appeal = lodge(ports)
    assert appeal.status == "inadmissible" and appeal.admissibility.reasons == ("deadline_passed",)


def test_a_notice_that_arrives_before_its_decision_is_kept(ports, moving_clock):
    notice(ports, deadline=date(2026, 3, 13))
    assert ports.store.get_subject("dec-1") is None
    refusal(ports)
    on_day(moving_clock, 1)
    assert lodge(ports).appeal_deadline == date(2026, 3, 13)


def test_the_first_notice_counts(ports):
    refusal(ports)
    notice(ports, deadline=date(2026, 3, 12))
    notice(ports, deadline=date(2026, 3, 30))
    assert ports.store.get_subject("dec-1").notice.appeal_deadline == date(2026, 3, 12)


# ------------------------------------------------------------------ acknowledgement and admissibility
def test_lodging_publishes_and_sets_an_acknowledgement_alarm(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    [lodged] = ports.publisher.published
    assert lodged.event_name == "AppealLodged" and lodged.correlation_id == "corr-1"
    assert lodged.data["status"] == "lodged" and lodged.data["subject_kind"] == "decision"
    [(name, (at, envelope))] = ports.timers.pending.items()
    assert name == lodging.acknowledgement_timer(appeal.appeal_id)
    assert at == datetime(2026, 3, 13, 23, 0, tzinfo=UTC)  # midnight in Brussels after 13 March
    assert envelope.event_name == "AppealAcknowledgementDue"


def test_an_unanswered_appeal_is_flagged_when_the_acknowledgement_date_passes(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    due = AppealAcknowledgementDueV1(appeal_id=appeal.appeal_id, acknowledgement_due=appeal.acknowledgement_due)
    assert lodging.on_acknowledgement_due(ports, envelope_for(due, source="appeal", correlation_id="c"), due) is True
    assert ports.store.get(appeal.appeal_id).acknowledgement_overdue


def test_admissibility_cancels_the_alarm_and_is_published(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    decided = deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")
    assert decided.status == "admissible"
    assert ports.timers.pending == {}
    assert ports.publisher.names() == ["AppealLodged", "AppealAdmissibilityDecided"]
    due = AppealAcknowledgementDueV1(appeal_id=appeal.appeal_id, acknowledgement_due=appeal.acknowledgement_due)
    assert lodging.on_acknowledgement_due(ports, envelope_for(due, source="appeal", correlation_id="c"), due) is False


def test_an_inadmissible_ruling_needs_reasons(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    with pytest.raises(RuleViolation):
        deciding.record_admissibility(ports, appeal.appeal_id, admissible=False, reasons=[" "], correlation_id="c")
    decided = deciding.record_admissibility(
        ports, appeal.appeal_id, admissible=False, reasons=["not filed by the company concerned"], correlation_id="c"
    )
    assert decided.status == "inadmissible"


def test_admissibility_is_decided_once(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")
    with pytest.raises(Conflict):
        deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")


def test_an_automatically_inadmissible_appeal_has_no_admissibility_left_to_decide(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 15)
    appeal = lodge(ports)
    with pytest.raises(Conflict):
        deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")


def test_an_unknown_appeal_is_not_found(ports):
    with pytest.raises(NotFound):
        deciding.record_admissibility(ports, "nope", admissible=True, reasons=[], correlation_id="c")
    with pytest.raises(NotFound):
        deciding.record_decision(ports, "nope", outcome="upheld", reasons=["x"], correlation_id="c")


# ------------------------------------------------------------------ decision
def test_only_an_admissible_appeal_is_decided(ports, moving_clock):
    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    with pytest.raises(Conflict):
        deciding.record_decision(ports, appeal.appeal_id, outcome="upheld", reasons=["x"], correlation_id="c")


def test_an_upheld_appeal_tells_review_what_to_undo(ports, moving_clock):
    measure(ports, type_="exclusion")
    on_day(moving_clock, 1)
    appeal = lodge(ports, subject_id="mea-1")
    deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")
    with pytest.raises(RuleViolation):
        deciding.record_decision(ports, appeal.appeal_id, outcome="upheld", reasons=[], correlation_id="c")
    decided = deciding.record_decision(
        ports, appeal.appeal_id, outcome="upheld", reasons=["disproportionate"], correlation_id="corr-9"
    )
    assert decided.status == "upheld"
    event = ports.publisher.published[-1]
    assert event.event_name == "AppealDecided" and event.correlation_id == "corr-9"
    assert {
        k: event.data[k] for k in ("subject_id", "subject_kind", "outcome", "enterprise_number", "partnership_id")
    } == {
        "subject_id": "mea-1",
        "subject_kind": "measure",
        "outcome": "upheld",
        "enterprise_number": COMPANY,
        "partnership_id": "construction",
    }
    with pytest.raises(Conflict):
        deciding.record_decision(ports, appeal.appeal_id, outcome="dismissed", reasons=["x"], correlation_id="c")


class _FailingOnce:
    def __init__(self, inner):
        self.inner, self.failed = inner, False

    def publish(self, envelope):
        if not self.failed:
            self.failed = True
            raise RuntimeError("SNS throttled")
        self.inner.publish(envelope)


def test_a_ruling_whose_publish_failed_goes_out_when_the_committee_retries(ports, moving_clock):
    import dataclasses

    refusal(ports)
    on_day(moving_clock, 1)
    appeal = lodge(ports)
    deciding.record_admissibility(ports, appeal.appeal_id, admissible=True, reasons=[], correlation_id="c")
    flaky = dataclasses.replace(ports, publisher=_FailingOnce(ports.publisher))
    with pytest.raises(RuntimeError):
        deciding.record_decision(flaky, appeal.appeal_id, outcome="upheld", reasons=["right"], correlation_id="c")
    assert "AppealDecided" not in ports.publisher.names()
    with pytest.raises(Conflict):
        deciding.record_decision(ports, appeal.appeal_id, outcome="upheld", reasons=["right"], correlation_id="c")
    assert ports.publisher.names().count("AppealDecided") == 1


class _FailingOn:
    """Fails the first publish of one event name (SNS down between the write and the publish)."""

    def __init__(self, inner, event_name):
        self.inner, self.event_name, self.failed = inner, event_name, False

    def publish(self, envelope):
        if envelope.event_name == self.event_name and not self.failed:
            self.failed = True
            raise RuntimeError("SNS throttled")
        self.inner.publish(envelope)


@pytest.mark.parametrize("day", [1, 11], ids=["in_time", "late"])
def test_an_appeal_whose_lodging_failed_to_publish_is_announced_when_the_company_retries(ports, moving_clock, day):
    """Issue 11 point 10: the appeal was saved, AppealLodged was not sent; the retry answered 409
    (or, for a late appeal, recorded a second one) and the event never went out."""
    import dataclasses

    refusal(ports)
    on_day(moving_clock, day)
    flaky = dataclasses.replace(ports, publisher=_FailingOn(ports.publisher, "AppealLodged"))
    with pytest.raises(RuntimeError):
        lodge(flaky)
    assert "AppealLodged" not in ports.publisher.names()
    retried = lodge(ports)
    assert len(ports.store.list()) == 1 and ports.store.list()[0].appeal_id == retried.appeal_id
    lodged = [e for e in ports.publisher.published if e.event_name == "AppealLodged"]
    assert [e.data["appeal_id"] for e in lodged] == [retried.appeal_id]
    if day == 1:
        assert lodging.acknowledgement_timer(retried.appeal_id) in ports.timers.pending
    else:
        assert "AppealAdmissibilityDecided" in ports.publisher.names()
    if day == 1:
        with pytest.raises(Conflict):
            lodge(ports)  # once announced, a second appeal against the held subject is refused again


def test_an_appeal_never_retried_is_announced_at_the_latest_by_its_acknowledgement_alarm(ports, moving_clock):
    import dataclasses

    refusal(ports)
    on_day(moving_clock, 1)
    flaky = dataclasses.replace(ports, publisher=_FailingOn(ports.publisher, "AppealLodged"))
    with pytest.raises(RuntimeError):
        lodge(flaky)
    [appeal] = ports.store.list()
    _, alarm = ports.timers.pending[lodging.acknowledgement_timer(appeal.appeal_id)]
    lodging.on_acknowledgement_due(ports, alarm, AppealAcknowledgementDueV1.model_validate(alarm.data))
    assert [e.data["appeal_id"] for e in ports.publisher.published if e.event_name == "AppealLodged"] == [
        appeal.appeal_id
    ]
    assert ports.store.get(appeal.appeal_id).acknowledgement_overdue
    assert ports.store.pending(appeal.subject_id) == []
