"""What became of a notice's mail, over HTTP (issue 16, Delivery): SES's events (the local runtime
publishes them as SES does, with the mailbox simulator's scripted bounce) reach the notification
service, and GET /notices shows each notice's delivery; a bounce tells the partnership."""

from __future__ import annotations

import pytest
from test_notification_e2e_mail import PARTNERSHIP_MAIL, decide, file_application

pytestmark = pytest.mark.e2e

BOUNCE = "bounce+{}@simulator.amazonses.com"  # SES's mailbox simulator: a permanent bounce, on AWS as here


def refusal_notice(api, filed) -> dict:
    decision_id = decide(api, filed, "refused", ["De mentor heeft geen opleiding gevolgd."])["decision_id"]
    employer = api.token("employer", enterprise_number=filed["enterprise"])
    listed = api.get(f"/notices?subject_id={decision_id}", employer)
    assert listed.status_code == 200, listed.text
    (notice,) = listed.json()
    return notice


def test_a_notice_mailed_to_a_working_address_shows_delivered(api):
    filed = file_application(api)
    notice = refusal_notice(api, filed)
    delivery = notice["delivery"]
    assert delivery["status"] == "delivered", delivery
    assert delivery["at"] >= notice["issued_at"]  # SES's report carries the runtime's (business) time
    assert notice["appeal_deadline"]
    # The template's PORTAL_URL (the HTTP API's own address, here the runtime's gateway): an absolute link.
    (mail,) = [m for m in api.mail(to=filed["contact"]) if notice["reference"] in m["body"]]
    assert f"{api.rt.url}/" in mail["body"] or f"({api.rt.url})" in mail["body"], mail["body"]


def test_a_notice_that_bounces_shows_bounced_and_the_partnership_is_told(api):
    filed = file_application(api, contact=BOUNCE.format("claes"))
    notice = refusal_notice(api, filed)
    assert notice["delivery"]["status"] == "bounced", notice["delivery"]
    flags = [m for m in api.mail(to=PARTNERSHIP_MAIL) if notice["reference"] in m["body"]]
    assert flags and "definitief" in flags[0]["body"]  # the address refused it for good
    partnership = api.token("partnership", partnership_id="construction")
    listed = [n for n in api.get("/notices", partnership).json() if n["id"] == notice["id"]]
    assert [n["delivery"]["status"] for n in listed] == ["bounced"]


def test_a_refusal_that_bounced_states_no_deadline_and_an_appeal_is_not_judged_late(api):
    # DOMAIN.md section 6: ten days from receipt. The mail never arrived, so the notice's printed
    # deadline does not bind the company: the listing drops it, and appeal counts no term.
    filed = file_application(api, contact=BOUNCE.format("peeters"))
    notice = refusal_notice(api, filed)
    assert notice["delivery"]["status"] == "bounced", notice["delivery"]
    assert "appeal_deadline" not in notice, notice
    employer = api.token("employer", enterprise_number=filed["enterprise"])
    lodged = api.post("/appeals", employer, {"subject_id": notice["subject_id"],
                                             "grounds": "De mentor heeft de opleiding wel gevolgd; attest bijgevoegd."})
    assert lodged.status_code == 201, lodged.text
    appeal = lodged.json()
    assert appeal["appeal_deadline_basis"] == "receipt_not_assumed", appeal
    assert appeal.get("appeal_deadline") is None and appeal["status"] == "lodged", appeal
    flags = [m for m in api.mail(to=PARTNERSHIP_MAIL) if notice["reference"] in m["body"]]
    assert flags and "beroepstermijn loopt dus niet" in flags[0]["body"]
