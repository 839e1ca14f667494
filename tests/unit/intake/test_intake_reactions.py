"""The intake consumer: the employer's view follows the bus, in any order, any number of times."""

from datetime import date, timedelta

from aws_lambda_powertools import Logger
from intake_support import ENTERPRISE, ESTABLISHMENT, TRAINING, full_body

from intake.handlers.events import HANDLERS
from kernel import clock
from kernel.consumer import handle_envelope
from kernel.events import (
    AppealDecidedV1,
    ApplicationRoutedV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    QuestionAskedV1,
    RecognitionGrantedV1,
    RecognitionRevokedV1,
    RoutingOutcome,
    SiteVisitPlannedV1,
)
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import envelope_for

KEY = dict(enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT, training_code=TRAINING)
logger = Logger(service="test")


def deliver(data, event_id=None, processed=None, seconds=0):
    envelope = envelope_for(data, source="test", correlation_id="c", event_id=event_id,
                            occurred_at=clock.now() + timedelta(seconds=seconds))
    handle_envelope(envelope, handlers=HANDLERS, processed=processed or InMemoryProcessedEvents(), logger=logger)
    return envelope


def submitted(client, ports):
    created = client.ready()
    client.call("POST", f"/applications/{created['id']}/submit")
    return created["id"], ports.publisher.published[-1].data["application"]


def routed(app_id, snapshot, partnership="mtech"):
    return ApplicationRoutedV1(
        application_id=app_id, partnership_id=partnership, decision_due=date(2030, 1, 1), application=snapshot,
        routing=RoutingOutcome(partnership_id=partnership, rule="joint_committee_exact"))


def decided(app_id, outcome="approved"):
    return DecisionRecordedV1(
        decision_id="dec-1", application_id=app_id, partnership_id="mtech", outcome=outcome,
        reasons=[] if outcome == "approved" else ["no equipment"], decided_at=clock.now(),
        recognition_id="rec-1" if outcome == "approved" else None,
        valid_from=clock.today(), valid_until=clock.today() + timedelta(days=5 * 365), **KEY)


def asked(app_id, question_id="q1", message="Which machines?"):
    return QuestionAskedV1(application_id=app_id, question_id=question_id, partnership_id="mtech", message=message,
                           asked_at=clock.now())


def view(client, app_id):
    return client.call("GET", f"/applications/{app_id}")[1]


def test_routing_puts_the_application_in_review_with_its_partnership(client, ports):
    app_id, snapshot = submitted(client, ports)
    deliver(routed(app_id, snapshot))
    body = view(client, app_id)
    assert body["status"] == "in_review" and body["partnership_id"] == "mtech" and body["decision_due"] == "2030-01-01"


def test_a_decision_before_the_routing_is_not_overwritten_back_to_review(client, ports):
    app_id, snapshot = submitted(client, ports)
    deliver(decided(app_id))
    deliver(routed(app_id, snapshot))
    body = view(client, app_id)
    assert body["status"] == "approved" and body["recognition_id"] == "rec-1"
    assert body["decision"]["outcome"] == "approved" and body["partnership_id"] == "mtech"


def test_the_same_event_applied_twice_adds_one_history_entry(client, ports):
    app_id, snapshot = submitted(client, ports)
    question = QuestionAskedV1(application_id=app_id, question_id="q1", partnership_id="mtech",
                               message="Which machines?", asked_at=clock.now())
    deliver(question, event_id="e-1")
    deliver(question, event_id="e-1")  # a crash before the marker: handler runs again
    body = view(client, app_id)
    assert [q["message"] for q in body["questions"]] == ["Which machines?"]
    history = client.call("GET", f"/applications/{app_id}/history")[1]
    assert [h["what"] for h in history].count("question_asked") == 1


def test_after_routing_the_company_answers_and_the_partnership_hears_it(client, ports):
    app_id, snapshot = submitted(client, ports)
    deliver(routed(app_id, snapshot))
    deliver(
        SiteVisitPlannedV1(application_id=app_id, visit_id="v1", partnership_id="mtech", planned_for=date(2030, 1, 1))
    )
    deliver(asked(app_id, "q1"))
    status, answer = client.call("POST", f"/applications/{app_id}/messages",
                                 {"message": "Two lathes.", "question_id": "q1"})
    assert status == 201 and answer["question_id"] == "q1"
    event = ports.publisher.published[-1]
    assert event.event_name == "QuestionAnswered" and event.data["partnership_id"] == "mtech"
    assert event.data["message_id"] == answer["id"] and event.data["question_id"] == "q1"
    whats = [h["what"] for h in client.call("GET", f"/applications/{app_id}/history")[1]]
    assert whats[-4:] == ["routed", "site_visit_planned", "question_asked", "question_answered"]


def test_an_answer_names_an_open_question_of_its_application(client, ports):
    app_id, snapshot = submitted(client, ports)
    deliver(routed(app_id, snapshot))
    path = f"/applications/{app_id}/messages"
    assert client.call("POST", path, {"message": "Unasked."})[0] == 422  # question_id is required
    status, problem = client.call("POST", path, {"message": "Nobody asked.", "question_id": "q1"})
    assert status == 409 and "no open question" in problem["detail"]
    deliver(asked(app_id, "q1"))
    deliver(asked(app_id, "q2", "And the tools?"), seconds=1)
    status, problem = client.call("POST", path, {"message": "Wrong one.", "question_id": "q9"})
    assert status == 422
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("question_id", "unknown_question")]
    assert client.call("POST", path, {"message": "Two lathes.", "question_id": "q1"})[0] == 201
    status, problem = client.call("POST", path, {"message": "Again.", "question_id": "q1"})
    assert status == 409 and "answered already" in problem["detail"] and "q2" in problem["detail"]
    assert client.call("POST", path, {"message": "A toolbox.", "question_id": "q2"})[0] == 201
    assert client.call("POST", path, {"message": "More.", "question_id": "q2"})[0] == 409
    published = [e.data["question_id"] for e in ports.publisher.published if e.event_name == "QuestionAnswered"]
    assert published == ["q1", "q2"]


def test_a_decided_application_frees_its_key_and_cannot_be_withdrawn(client, ports):
    app_id, _ = submitted(client, ports)
    deliver(decided(app_id, "refused"))
    assert client.call("POST", f"/applications/{app_id}/withdraw")[0] == 409
    again = client.ready()
    assert client.call("POST", f"/applications/{again['id']}/submit")[0] == 202


def test_a_granted_recognition_blocks_a_new_application_until_revoked(client, ports):
    granted = RecognitionGrantedV1(recognition_id="rec-9", partnership_id="mtech", valid_from=clock.today(),
                                   valid_until=clock.today() + timedelta(days=1000), granted_at=clock.now(), **KEY)
    deliver(granted)
    draft = client.ready()
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 409
    revoked = RecognitionRevokedV1(recognition_id="rec-9", partnership_id="mtech", effective_on=clock.today(), **KEY)
    deliver(revoked, seconds=10)
    deliver(granted, event_id="replayed-older")  # an older event arriving late changes nothing
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 202


def test_a_renewal_of_a_known_recognition_is_accepted(client, ports):
    deliver(
        RecognitionGrantedV1(
            recognition_id="rec-7",
            partnership_id="mtech",
            valid_from=clock.today() - timedelta(days=1700),
            valid_until=clock.today() + timedelta(days=60),
            granted_at=clock.now(),
            **KEY,
        )
    )
    draft = client.ready(full_body(kind="renewal", renews_recognition_id="rec-7"))
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 202
    unknown = client.ready(
        full_body(kind="renewal", renews_recognition_id="rec-unknown", establishment_number="2000000042")
    )
    status, body = client.call("POST", f"/applications/{unknown['id']}/submit")
    assert status == 422 and body["errors"][0]["code"] == "not_renewable"


def test_an_exclusion_blocks_submission_until_an_appeal_against_it_is_upheld(client, ports):
    deliver(MeasureImposedV1(measure_id="m-1", type="exclusion", partnership_id="vpdl", enterprise_number=ENTERPRISE,
                             reason="serious", appealable=True, imposed_at=clock.now(),
                             details={"until": (clock.today() + timedelta(days=30)).isoformat()}))
    draft = client.ready()
    status, body = client.call("POST", f"/applications/{draft['id']}/submit")
    assert status == 422 and {"field": "enterprise_number", "code": "excluded"}.items() <= body["errors"][0].items()
    deliver(AppealDecidedV1(appeal_id="a-1", subject_id="m-1", subject_kind="measure", enterprise_number=ENTERPRISE,
                            outcome="upheld", decided_at=clock.now()))
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 202


def test_an_upheld_appeal_that_arrives_before_the_exclusion_still_lifts_it(client, ports):
    deliver(AppealDecidedV1(appeal_id="a-2", subject_id="m-2", subject_kind="measure", enterprise_number=ENTERPRISE,
                            outcome="upheld", decided_at=clock.now()))
    deliver(MeasureImposedV1(measure_id="m-2", type="exclusion", partnership_id="vpdl", enterprise_number=ENTERPRISE,
                             reason="serious", appealable=True, imposed_at=clock.now()))
    draft = client.ready()
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 202


def test_events_for_an_unknown_application_are_acknowledged(client, ports):
    deliver(
        QuestionAskedV1(application_id="nope", question_id="q", partnership_id="p", message="?", asked_at=clock.now())
    )


def test_an_enterprise_wide_exclusion_covers_every_establishment(client, ports):
    deliver(
        MeasureImposedV1(
            measure_id="m-3",
            type="exclusion",
            partnership_id="vpdl",
            enterprise_number=ENTERPRISE,
            establishment_number="2000000042",
            reason="serious",
            appealable=True,
            imposed_at=clock.now(),
            details={"scope": "enterprise", "until": None},
        )
    )
    draft = client.ready()
    status, body = client.call("POST", f"/applications/{draft['id']}/submit")
    assert status == 422 and body["errors"][0]["code"] == "excluded"


def test_a_recognition_whose_renewal_is_scheduled_cannot_be_renewed_again(client, ports):
    """Issue 11 point 2: the first renewal is scheduled; a second one for the same recognition is a conflict."""
    ends = clock.today() + timedelta(days=60)
    deliver(
        RecognitionGrantedV1(
            recognition_id="rec-old",
            partnership_id="mtech",
            valid_from=ends - timedelta(days=1826),
            valid_until=ends,
            granted_at=clock.now(),
            **KEY,
        )
    )
    deliver(RecognitionGrantedV1(recognition_id="rec-next", partnership_id="mtech", valid_from=ends + timedelta(days=1),
                                 valid_until=ends + timedelta(days=1826), granted_at=clock.now(),
                                 renews_recognition_id="rec-old", **KEY), seconds=5)
    draft = client.ready(full_body(kind="renewal", renews_recognition_id="rec-old"))
    status, body = client.call("POST", f"/applications/{draft['id']}/submit")
    assert status == 409 and "already renewed" in body["detail"]


def test_a_revocation_dated_later_keeps_a_new_application_out_until_that_day(client, ports):
    """Issue 11 point 8: revoked from next month on, the recognition still runs today."""
    deliver(
        RecognitionGrantedV1(
            recognition_id="rec-5",
            partnership_id="mtech",
            valid_from=clock.today() - timedelta(days=100),
            valid_until=clock.today() + timedelta(days=1000),
            granted_at=clock.now(),
            **KEY,
        )
    )
    deliver(
        RecognitionRevokedV1(
            recognition_id="rec-5", partnership_id="mtech", effective_on=clock.today() + timedelta(days=30), **KEY
        ),
        seconds=10,
    )
    draft = client.ready()
    status, body = client.call("POST", f"/applications/{draft['id']}/submit")
    assert status == 409 and "rec-5" in body["detail"]


def test_another_partnerships_exclusion_leaves_the_submission_to_the_competent_one(client, ports):
    """Issue 11 point 6, intake's side: a Horeca exclusion does not block an application routed to mtech."""
    deliver(
        MeasureImposedV1(
            measure_id="m-h",
            type="exclusion",
            partnership_id="horeca",
            enterprise_number=ENTERPRISE,
            reason="serious",
            appealable=True,
            imposed_at=clock.now(),
            details={"scope": "enterprise"},
        )
    )
    draft = client.ready()  # joint committee 111: mtech
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 202


def test_a_decision_taken_before_the_withdrawal_reached_the_partnership_stands(client, ports):
    """Found by the model-based test: the company withdrew while the partnership decided; review
    kept its decision (the withdrawal came too late) and intake kept 'withdrawn', so the two
    disagreed for good and the company never saw the decision its notice announced."""
    app_id, _ = submitted(client, ports)
    assert client.call("POST", f"/applications/{app_id}/withdraw")[0] == 200
    deliver(decided(app_id, "refused"))
    body = view(client, app_id)
    assert body["status"] == "refused" and body["decision"]["outcome"] == "refused"
    history = [h["what"] for h in client.call("GET", f"/applications/{app_id}/history")[1]]
    assert history[-2:] == ["withdrawn", "decision_recorded"]


def test_after_an_upheld_appeal_the_application_shows_the_appeal_and_the_recognition(client, ports):
    from kernel.events import AppealAdmissibilityDecidedV1, AppealLodgedV1

    app_id, snapshot = submitted(client, ports)
    deliver(routed(app_id, snapshot))
    deliver(decided(app_id, "refused"))
    lodged = AppealLodgedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision", enterprise_number=ENTERPRISE,
                            grounds="We have the equipment.", lodged_at=clock.now(),
                            acknowledgement_due=clock.today() + timedelta(days=10), status="lodged")
    deliver(lodged, seconds=1)
    assert view(client, app_id)["appeal"]["status"] == "lodged"
    deliver(AppealAdmissibilityDecidedV1(appeal_id="ap-1", subject_id="dec-1", enterprise_number=ENTERPRISE,
                                         admissible=True, decided_at=clock.now()), seconds=2)
    upheld = AppealDecidedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision",
                             enterprise_number=ENTERPRISE, outcome="upheld", reasons=["Equipment shown."],
                             decided_at=clock.now() + timedelta(seconds=3))
    deliver(upheld, event_id="e-upheld")
    deliver(upheld, event_id="e-upheld")  # a redelivery adds nothing
    deliver(RecognitionGrantedV1(recognition_id="rec-9", application_id=app_id, decision_id="dec-1", appeal_id="ap-1",
                                 partnership_id="mtech", valid_from=clock.today(),
                                 valid_until=clock.today() + timedelta(days=365),
                                 granted_at=clock.now() + timedelta(seconds=4), **KEY),
            seconds=4)
    body = view(client, app_id)
    assert body["status"] == "refused" and body["decision"]["outcome"] == "refused"
    assert body["recognition_id"] == "rec-9"
    appeal = body["appeal"]
    assert (appeal["appeal_id"], appeal["status"], appeal["outcome"]) == ("ap-1", "upheld", "upheld")
    assert appeal["reasons"] == ["Equipment shown."] and appeal["decided_at"]
    whats = [h["what"] for h in client.call("GET", f"/applications/{app_id}/history")[1]]
    assert [w for w in whats if "appeal" in w] == [
        "appeal_lodged", "appeal_admissibility_decided", "appeal_decided", "recognised_on_appeal"]


def test_an_appeal_event_before_its_decision_reached_intake_is_retried(client, ports):
    import pytest

    from intake.usecases.reactions import DecisionNotYetKnown
    from kernel.events import AppealLodgedV1

    app_id, snapshot = submitted(client, ports)
    upheld = AppealDecidedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision",
                             enterprise_number=ENTERPRISE, outcome="dismissed", decided_at=clock.now())
    with pytest.raises(DecisionNotYetKnown):
        deliver(upheld)
    deliver(decided(app_id, "refused"))
    deliver(upheld)
    # The lodging arriving after the ruling does not move the appeal back.
    deliver(AppealLodgedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision", enterprise_number=ENTERPRISE,
                           grounds="Late.", lodged_at=clock.now() - timedelta(days=1),
                           acknowledgement_due=clock.today(), status="lodged"))
    appeal = view(client, app_id)["appeal"]
    assert (appeal["status"], appeal["outcome"]) == ("dismissed", "dismissed") and appeal["lodged_at"]


def test_the_employer_sees_which_conditions_its_refusal_finds_not_met(client, ports):
    """Issue 16: the refusal's conditions_not_met reach the application's decision."""
    app_id, _ = submitted(client, ports)
    refusal = decided(app_id, "refused").model_copy(update={"conditions_not_met": ["organisation_and_equipment"]})
    deliver(refusal)
    decision = view(client, app_id)["decision"]
    assert decision["outcome"] == "refused" and decision["conditions_not_met"] == ["organisation_and_equipment"]


def test_a_decisions_grant_that_renews_nothing_is_ignored_since_its_decision_told_intake_everything(client, ports):
    """Issue 13 point 8: DecisionRecorded (approved) records the recognition's facts as it frees the key,
    so the grant that follows it, renewing nothing and not given on appeal, has nothing to add."""
    app_id, _ = submitted(client, ports)
    grant = RecognitionGrantedV1(recognition_id="rec-1", application_id=app_id, decision_id="dec-1",
                                 partnership_id="mtech", valid_from=clock.today(),
                                 valid_until=clock.today() + timedelta(days=5 * 365), granted_at=clock.now(), **KEY)
    envelope = envelope_for(grant, source="review", correlation_id="c")
    processed = InMemoryProcessedEvents()
    # first in either order: the key is still held by the application, so nothing gets through meanwhile
    assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger) == "ignored"
    assert processed.ids == set()
    draft = client.ready()
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 409
    deliver(decided(app_id))
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 409  # the recognition blocks it now
    assert handle_envelope(envelope, handlers=HANDLERS, processed=processed, logger=logger) == "ignored"
    deliver(RecognitionRevokedV1(recognition_id="rec-1", partnership_id="mtech", effective_on=clock.today(), **KEY),
            seconds=10)
    assert client.call("POST", f"/applications/{draft['id']}/submit")[0] == 202
    renewal = grant.model_copy(update={"recognition_id": "rec-2", "renews_recognition_id": "rec-1"})
    on_appeal = grant.model_copy(update={"recognition_id": "rec-3", "appeal_id": "ap-1"})
    for still_read in (renewal, on_appeal):  # they tell what no decision did: the renewal, the appeal's grant
        assert handle_envelope(envelope_for(still_read, source="review", correlation_id="c"), handlers=HANDLERS,
                               processed=processed, logger=logger) == "handled"
