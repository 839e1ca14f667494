"""SES's reports on notice mails (issue 16 point 9): a delivery, bounce or reject is recorded on the
notice; any report that the mail did not arrive tells the partnership, once, that the company may not
have its notice."""

import json

from notification_support import CONTACT, PARTNERSHIP_MAIL, decided, deliver, routed

from notification.handlers import mail_events


def ses_event(event_type: str, notice_id: str, **detail) -> dict:
    body = {"eventType": event_type,
            "mail": {"timestamp": "2027-03-01T09:00:01.000Z", "messageId": "m-1", "destination": [CONTACT],
                     "tags": {"notice_id": [notice_id], "ses:configuration-set": ["notices"]}}}
    body.update(detail)
    return {"messageId": "r-1", "receiptHandle": "h", "body": json.dumps(body), "attributes": {},
            "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:mail-events", "awsRegion": "eu-west-1"}


class Ctx:
    function_name, memory_limit_in_mb, aws_request_id = "notification-mail", 256, "req-1"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:n"


def refusal(ports):
    deliver(ports, routed())
    deliver(ports, decided("refused"))
    notice = next(n for n in ports.store.notices.values() if n.kind == "refusal")
    (sent,) = [s for s in ports.mailer.sent if s.mail.attachment_name == f"{notice.reference}.pdf"]
    assert dict(sent.mail.tags) == {"notice_id": notice.notice_id}  # SES echoes it in its events
    return notice


def test_a_delivery_is_recorded_on_the_notice(ports):
    notice = refusal(ports)
    event = ses_event("Delivery", notice.notice_id, delivery={"timestamp": "2027-03-01T09:00:03.000Z",
                                                              "recipients": [CONTACT]})
    assert mail_events.handler({"Records": [event]}, Ctx()) == {"batchItemFailures": []}
    stored = ports.store.notice(notice.notice_id)
    assert (stored.delivery, stored.delivery_at) == ("delivered", "2027-03-01T09:00:03Z")


def test_a_hard_bounce_is_recorded_and_the_partnership_is_told(ports):
    notice = refusal(ports)
    before = len(ports.mailer.sent)
    event = ses_event("Bounce", notice.notice_id, bounce={
        "bounceType": "Permanent", "timestamp": "2027-03-01T09:00:05.000Z",
        "bouncedRecipients": [{"emailAddress": CONTACT}]})
    mail_events.handler({"Records": [event, event]}, Ctx())  # SNS may deliver twice: one flag
    assert ports.store.notice(notice.notice_id).delivery == "bounced"
    (flag,) = [s.mail for s in ports.mailer.sent[before:]]
    assert flag.to == PARTNERSHIP_MAIL and notice.reference in flag.body and "definitief" in flag.body
    assert "Bouwbedrijf Peeters NV" in flag.subject


def test_a_send_event_or_an_event_about_another_mail_changes_nothing(ports):
    notice = refusal(ports)
    for body in (ses_event("Send", notice.notice_id), ses_event("Delivery", "not-a-notice",
                                                                delivery={"timestamp": "2027-03-01T09:00:03Z"})):
        assert mail_events.handler({"Records": [body]}, Ctx()) == {"batchItemFailures": []}
    assert ports.store.notice(notice.notice_id).delivery is None


def listed(ports, notice_id: str) -> dict:
    from kernel.auth import Caller
    from notification.usecases.listing import list_notices

    caller = Caller(sub="u", role="partnership", partnership_id="construction")
    return next(n for n in list_notices(ports, caller) if n["id"] == notice_id)


def test_the_listing_shows_a_mailed_notice_as_unknown_until_ses_reports_and_then_its_outcome(ports):
    notice = refusal(ports)
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "unknown"}
    mail_events.handler({"Records": [ses_event("Delivery", notice.notice_id, delivery={
        "timestamp": "2027-03-01T09:00:03.000Z", "recipients": [CONTACT]})]}, Ctx())
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "delivered", "at": "2027-03-01T09:00:03Z"}
    mail_events.handler({"Records": [ses_event("Complaint", notice.notice_id, complaint={
        "timestamp": "2027-03-01T10:00:00.000Z", "complainedRecipients": [{"emailAddress": CONTACT}]})]}, Ctx())
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "complained", "at": "2027-03-01T10:00:00Z"}


def test_the_listing_shows_a_notice_without_an_address_as_such(ports):
    deliver(ports, decided("refused", application_id="app-unknown"))
    (notice,) = ports.store.notices.values()
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "no_address"}


def test_an_sns_envelope_around_the_ses_event_is_read_as_the_event_itself(ports):
    notice = refusal(ports)
    record = ses_event("Bounce", notice.notice_id, bounce={
        "bounceType": "Permanent", "timestamp": "2027-03-01T09:00:05.000Z",
        "bouncedRecipients": [{"emailAddress": CONTACT}]})
    record["body"] = json.dumps({"Type": "Notification", "MessageId": "sns-1", "TopicArn": "arn:aws:sns:x",
                                 "Message": record["body"], "Timestamp": "2027-03-01T09:00:06.000Z"})
    assert mail_events.handler({"Records": [record]}, Ctx()) == {"batchItemFailures": []}
    assert listed(ports, notice.notice_id)["delivery"]["status"] == "bounced"


def test_a_mail_ses_rejected_is_worded_as_a_rejection_not_a_bounce_and_the_partnership_is_told(ports):
    notice = refusal(ports)
    before = len(ports.mailer.sent)
    mail_events.handler({"Records": [ses_event("Reject", notice.notice_id, reject={"reason": "Bad content"})]}, Ctx())
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "rejected", "at": "2027-03-01T09:00:01Z"}
    (flag,) = [s.mail for s in ports.mailer.sent[before:]]
    assert flag.to == PARTNERSHIP_MAIL and notice.reference in flag.body
    assert "bounce" not in flag.body.lower() and "weigerde de maildienst" in flag.body
    assert "niet bezorgd" in flag.body


def transient(notice_id: str, at: str = "2027-03-02T09:00:05.000Z") -> dict:
    """SES publishes a Transient bounce only once it stopped retrying: the mail is not delivered."""
    return ses_event("Bounce", notice_id, bounce={
        "bounceType": "Transient", "bounceSubType": "MailboxFull", "timestamp": at,
        "bouncedRecipients": [{"emailAddress": CONTACT}]})


def test_a_transient_bounce_after_ses_retries_is_an_undelivered_notice_the_partnership_learns_of(ports):
    notice = refusal(ports)
    before = len(ports.mailer.sent)
    mail_events.handler({"Records": [transient(notice.notice_id), transient(notice.notice_id)]}, Ctx())
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "bounced", "at": "2027-03-02T09:00:05Z"}
    (flag,) = [s.mail for s in ports.mailer.sent[before:]]
    assert flag.to == PARTNERSHIP_MAIL and notice.reference in flag.body
    assert "tijdelijk" in flag.body and "opnieuw geprobeerd" in flag.body and "permanent" not in flag.body


def test_the_partnership_learns_of_an_undelivered_notice_once_whatever_ses_reports_after(ports):
    notice = refusal(ports)
    before = len(ports.mailer.sent)
    hard = ses_event("Bounce", notice.notice_id, bounce={
        "bounceType": "Permanent", "timestamp": "2027-03-02T10:00:00.000Z",
        "bouncedRecipients": [{"emailAddress": CONTACT}]})
    reject = ses_event("Reject", notice.notice_id, reject={"reason": "Bad content"})
    mail_events.handler({"Records": [transient(notice.notice_id), hard, reject]}, Ctx())
    assert len(ports.mailer.sent[before:]) == 1


def test_an_earlier_delivery_report_arriving_late_does_not_turn_a_bounce_into_a_receipt(ports):
    # An asynchronous bounce: the company's server first accepted the mail (Delivery), then bounced it.
    # SQS does not keep order, so the Delivery may be read after the Bounce; the latest report stands.
    notice = refusal(ports)
    delivered = ses_event("Delivery", notice.notice_id, delivery={"timestamp": "2027-03-01T09:00:03.000Z",
                                                                  "recipients": [CONTACT]})
    mail_events.handler({"Records": [transient(notice.notice_id), delivered]}, Ctx())
    assert listed(ports, notice.notice_id)["delivery"] == {"status": "bounced", "at": "2027-03-02T09:00:05Z"}


# ------------------------------------------------------------------ an undelivered notice's term
def hard_bounce(notice_id: str, at: str = "2027-03-01T09:00:05.000Z") -> dict:
    return ses_event("Bounce", notice_id, bounce={"bounceType": "Permanent", "timestamp": at,
                                                  "bouncedRecipients": [{"emailAddress": CONTACT}]})


def test_an_undelivered_notice_is_announced_once_so_its_appeal_term_is_not_counted_from_the_sending(ports):
    # DOMAIN.md section 6: the ten days run from the receipt of the written notice. A mail that did not
    # arrive gives no receipt: appeal (lateness) and intake (retention) must stop counting from it.
    notice = refusal(ports)
    assert notice.appeal_deadline is not None
    published = len(ports.publisher.published)
    reject = ses_event("Reject", notice.notice_id, reject={"reason": "Bad content"})
    mail_events.handler({"Records": [hard_bounce(notice.notice_id), hard_bounce(notice.notice_id), reject]}, Ctx())
    failed = [e for e in ports.publisher.published[published:] if e.event_name == "NoticeDeliveryFailed"]
    assert failed, ports.publisher.names()
    assert len({e.event_id for e in failed}) == 1  # SES's repeats and a later report: one event for the bus
    data = failed[0].data
    assert (data["notice_id"], data["subject_id"], data["kind"]) == (notice.notice_id, notice.subject_id, "refusal")
    assert data["outcome"] == "bounced" and data["enterprise_number"] == notice.enterprise_number
    assert data["application_id"] == notice.application_id and data["partnership_id"] == notice.partnership_id


def test_a_delivered_or_complained_notice_announces_nothing(ports):
    notice = refusal(ports)
    published = len(ports.publisher.published)
    mail_events.handler({"Records": [
        ses_event("Delivery", notice.notice_id, delivery={"timestamp": "2027-03-01T09:00:03.000Z",
                                                          "recipients": [CONTACT]}),
        ses_event("Complaint", notice.notice_id, complaint={
            "timestamp": "2027-03-01T10:00:00.000Z", "complainedRecipients": [{"emailAddress": CONTACT}]})]}, Ctx())
    assert ports.publisher.published[published:] == []


def test_the_listing_no_longer_states_an_appeal_deadline_for_a_notice_that_did_not_arrive(ports):
    notice = refusal(ports)
    assert listed(ports, notice.notice_id)["appeal_deadline"] == notice.appeal_deadline.isoformat()
    mail_events.handler({"Records": [hard_bounce(notice.notice_id)]}, Ctx())
    shown = listed(ports, notice.notice_id)
    assert "appeal_deadline" not in shown and shown["delivery"]["status"] == "bounced"


def test_the_partnership_is_told_the_term_has_not_started(ports):
    notice = refusal(ports)
    before = len(ports.mailer.sent)
    mail_events.handler({"Records": [hard_bounce(notice.notice_id)]}, Ctx())
    (flag,) = [s.mail for s in ports.mailer.sent[before:]]
    assert "beroepstermijn" in flag.body and "niet" in flag.body, flag.body


def test_a_bounced_notice_of_the_appeal_route_is_reported_to_the_appeal_coordinator(ports):
    # The appeal route's notices are the VPDL coordinator's (they state that the coordinator is told); the
    # partnership whose act was appealed did not send them.
    from datetime import date

    from notification_support import ENTERPRISE, NOW, PARTNERSHIP, wrap

    from kernel.events import AppealAdmissibilityDecidedV1, AppealLodgedV1

    notice = refusal(ports)
    deliver(ports, wrap(AppealLodgedV1(
        appeal_id="ap-1", subject_id=notice.subject_id, subject_kind="decision", enterprise_number=ENTERPRISE,
        partnership_id=PARTNERSHIP, grounds="De mentor heeft wel vijf jaar ervaring.", lodged_at=NOW,
        acknowledgement_due=date(2027, 3, 11), status="lodged")))
    deliver(ports, wrap(AppealAdmissibilityDecidedV1(appeal_id="ap-1", subject_id=notice.subject_id,
                                                     enterprise_number=ENTERPRISE, admissible=True, decided_at=NOW)))
    acknowledgement = next(n for n in ports.store.notices.values() if n.kind == "appeal_acknowledgement")
    before = len(ports.mailer.sent)
    mail_events.handler({"Records": [hard_bounce(acknowledgement.notice_id)]}, Ctx())
    (flag,) = [s.mail for s in ports.mailer.sent[before:]]
    assert flag.to == "beroep@duaal-leren.example.be" and acknowledgement.reference in flag.body
