import json
from datetime import timedelta

import pytest
from review_support import missed_timer, partnership, routed

from kernel import clock
from kernel.calendar import start_of_day
from kernel.errors import NotFound
from kernel.events import ApplicationWithdrawnV1, DecisionDeadlineMissedV1, QuestionAnsweredV1
from kernel.publisher import envelope_for
from review.usecases import deadlines, files, reviewing
from review.usecases.timers import warning_name


def open_routed(ports, pid="horeca", **overrides):
    envelope, data = routed(pid, **overrides)
    files.open_file(ports, envelope, data)
    return envelope, data


def test_a_routed_application_opens_a_file_in_review_with_its_deadline_timers(ports):
    _, data = open_routed(ports)
    [item] = reviewing.queue(ports, "horeca", None)
    assert item["status"] == "in_review" and item["days_left"] == 14 and item["overdue"] is False
    warn_at, warn = ports.timers.pending[warning_name(data.application_id)]
    missed_at, _ = missed_timer(ports, data.application_id)  # set by the warning when it fires
    assert warn_at == start_of_day(data.decision_due - timedelta(days=3))  # policy: decision_deadline_warning_days
    assert missed_at == start_of_day(data.decision_due + timedelta(days=1))  # midnight in Brussels
    assert warn.event_name == "DecisionDeadlineApproaching" and warn.data["days_left"] == 3


def test_the_same_routing_twice_opens_one_file(ports):
    envelope, data = routed()
    files.open_file(ports, envelope, data)
    files.open_file(ports, envelope, data)
    assert len(reviewing.queue(ports, "horeca", None)) == 1


def test_the_queue_lists_the_earliest_deadline_first(ports, at):
    today = clock.today()
    _, late = open_routed(ports, decision_due=today + timedelta(days=10))
    _, early = open_routed(ports, decision_due=today + timedelta(days=2))
    _, middle = open_routed(ports, decision_due=today + timedelta(days=5))
    ids = [i["application_id"] for i in reviewing.queue(ports, "horeca", None)]
    assert ids == [early.application_id, middle.application_id, late.application_id]


def test_another_partnership_neither_sees_nor_opens_the_file(ports):
    _, data = open_routed(ports)
    assert reviewing.queue(ports, "construction", None) == []
    with pytest.raises(NotFound):
        reviewing.full_file(ports, partnership("construction"), data.application_id)
    with pytest.raises(NotFound):
        reviewing.ask_question(ports, partnership("construction"), data.application_id, "?", "c")


def test_a_missed_deadline_marks_the_file_overdue_and_goes_on_the_bus_unchanged(ports, at):
    _, data = open_routed(ports)
    _, timer = missed_timer(ports, data.application_id)
    at.advance(15)
    deadlines.on_deadline_missed(ports, timer, DecisionDeadlineMissedV1.model_validate(timer.data))
    [item] = reviewing.queue(ports, "horeca", "overdue")
    assert item["overdue"] is True and item["days_left"] == -1
    assert ports.publisher.published[-1] == timer


def test_the_vpdl_also_sees_files_whose_deadline_was_missed(ports, at):
    _, data = open_routed(ports)
    assert reviewing.queue(ports, "vpdl", None) == []
    _, timer = missed_timer(ports, data.application_id)
    at.advance(15)
    deadlines.on_deadline_missed(ports, timer, DecisionDeadlineMissedV1.model_validate(timer.data))
    assert [i["application_id"] for i in reviewing.queue(ports, "vpdl", None)] == [data.application_id]
    assert reviewing.full_file(ports, partnership("vpdl"), data.application_id)["overdue"] is True
    with pytest.raises(NotFound):  # it supervises; the competent partnership still decides
        reviewing.ask_question(ports, partnership("vpdl"), data.application_id, "?", "c")


def test_the_vpdl_supervises_an_overdue_file_by_its_state_and_dates_without_identities_or_documents(ports, at):
    """Issue 11 point 7: supervision needs the file's state and dates, not the mentors' national
    register numbers nor links to their criminal-record extracts."""
    _, data = open_routed(ports)
    _, timer = missed_timer(ports, data.application_id)
    at.advance(15)
    deadlines.on_deadline_missed(ports, timer, DecisionDeadlineMissedV1.model_validate(timer.data))
    seen = reviewing.full_file(ports, partnership("vpdl"), data.application_id)
    text = json.dumps(seen, default=str)
    assert "80031512361" not in text and "documents.example" not in text
    assert "download_url" not in text and "mentors" not in text
    assert seen["status"] == "in_review" and seen["decision_due"] == data.decision_due and seen["overdue"] is True
    assert seen["supervision"] is True
    assert ports.repo.access_log == []  # no link was handed out
    own = reviewing.full_file(ports, partnership("horeca"), data.application_id)
    assert own["documents"][0]["download_url"] and own["application"]["mentors"][0]["national_register_number"]


def test_a_withdrawal_closes_the_file_and_cancels_its_timers(ports):
    _, data = open_routed(ports)
    withdrawn = ApplicationWithdrawnV1(
        application_id=data.application_id,
        enterprise_number=data.application.enterprise_number,
        partnership_id="horeca",
        withdrawn_at=clock.now(),
    )
    files.withdraw_file(ports, envelope_for(withdrawn, source="intake", correlation_id="c"), withdrawn)
    assert ports.timers.pending == {}
    assert reviewing.queue(ports, "horeca", None)[0]["status"] == "withdrawn"


def test_a_withdrawal_seen_before_the_routing_keeps_the_file_withdrawn(ports):
    envelope, data = routed()
    withdrawn = ApplicationWithdrawnV1(
        application_id=data.application_id,
        enterprise_number=data.application.enterprise_number,
        withdrawn_at=clock.now(),
    )
    files.withdraw_file(ports, envelope_for(withdrawn, source="intake", correlation_id="c"), withdrawn)
    files.open_file(ports, envelope, data)
    assert ports.timers.pending == {}
    assert reviewing.queue(ports, "horeca", None)[0]["status"] == "withdrawn"


def test_the_full_file_shows_national_register_numbers_and_logs_each_download_link(ports):
    _, data = open_routed(ports)
    view = reviewing.full_file(ports, partnership(), data.application_id)
    assert view["application"]["mentors"][0]["national_register_number"] == "80031512361"
    [doc] = view["documents"]
    assert doc["download_url"].endswith("expires_in=300")
    [entry] = ports.repo.access_log
    assert entry["document_id"] == "d1" and entry["sub"] == "user-horeca" and entry["partnership_id"] == "horeca"
    assert "80031512361" not in json.dumps(entry)


def test_questions_visits_and_answers_join_the_file(ports):
    _, data = open_routed(ports)
    caller = partnership()
    question = reviewing.ask_question(ports, caller, data.application_id, "Which oven?", "c")
    answer = QuestionAnsweredV1(application_id=data.application_id, message_id="m1", partnership_id="horeca",
                                message="A steam oven.", answered_at=clock.now())
    files.add_answer(ports, envelope_for(answer, source="intake", correlation_id="c"), answer)
    visit = reviewing.plan_visit(ports, caller, data.application_id, clock.today() + timedelta(days=3), "c")
    reviewing.report_visit(ports, caller, data.application_id, visit["visit_id"], "All fine.", True, "c")
    view = reviewing.full_file(ports, caller, data.application_id)
    assert view["questions"][0]["question_id"] == question["question_id"]
    assert view["answers"][0]["message"] == "A steam oven."
    assert view["site_visits"][0]["satisfactory"] is True
    assert ports.publisher.names() == ["QuestionAsked", "SiteVisitPlanned", "SiteVisitReported"]
    assert all(e.data["partnership_id"] == "horeca" for e in ports.publisher.published)


def test_support_requests_are_listed_for_the_partnership_they_were_routed_to(ports):
    from kernel.events import RoutingOutcome, SupportRequestedV1, SupportRequestRoutedV1

    request = SupportRequestedV1(
        support_request_id="s1",
        enterprise_number="0403170701",
        topic="exploratory",
        message="Can we?",
        contact={"name": "An", "email": "an@example.be"},
        requested_at=clock.now(),
    )
    data = SupportRequestRoutedV1(support_request_id="s1", partnership_id="horeca",
                                  routing=RoutingOutcome(partnership_id="horeca", rule="fallback"), request=request)
    files.keep_support_request(ports, envelope_for(data, source="routing", correlation_id="c"), data)
    assert [r["support_request_id"] for r in reviewing.support_requests(ports, "horeca")] == ["s1"]
    assert reviewing.support_requests(ports, "vpdl") == []


def test_the_full_file_names_the_mentor_each_document_belongs_to(ports):
    mentors = [
        {"mentor_id": "m1", "first_name": "Alice", "last_name": "Peeters", "national_register_number": "80031512361"},
        {"mentor_id": "m3", "first_name": "Bob", "last_name": "Janssens", "national_register_number": "79070120261"},
    ]
    doc = {"content_type": "application/pdf", "size_bytes": 1000, "bucket": "docs", "filename": "x.pdf"}
    documents = [
        {**doc, "id": "d1", "type": "criminal_record_extract", "mentor_id": "m3", "mentor_index": 1, "key": "k1"},
        {**doc, "id": "d2", "type": "criminal_record_extract", "mentor_id": "m1", "mentor_index": 0, "key": "k2"},
        {**doc, "id": "d3", "type": "mandate", "key": "k3"},
    ]
    _, data = open_routed(ports, mentors=mentors, documents=documents)
    view = reviewing.full_file(ports, partnership(), data.application_id)
    by_id = {d["id"]: d for d in view["documents"]}
    assert by_id["d1"]["mentor_id"] == "m3" and by_id["d1"]["mentor"] == {
        "mentor_id": "m3", "first_name": "Bob", "last_name": "Janssens", "national_register_number": "79070120261"}
    assert by_id["d2"]["mentor"]["first_name"] == "Alice"
    assert by_id["d3"]["mentor_id"] is None and by_id["d3"]["mentor"] is None


def test_a_file_filed_before_mentor_ids_names_the_mentor_by_its_place(ports):
    _, data = open_routed(ports)  # the v1 snapshot: mentors without ids, documents with mentor_index
    [doc] = reviewing.full_file(ports, partnership(), data.application_id)["documents"]
    assert doc["mentor"]["first_name"] == "Jan" and doc["mentor_index"] == 0


def test_documents_that_intake_purged_are_listed_as_purged_without_a_link(ports):
    """Issue 11 point 10: their links answered 404; now the file says they are gone."""
    from kernel.events import SensitiveDocumentsPurgedV1

    _, data = open_routed(ports)
    purged = SensitiveDocumentsPurgedV1(application_id=data.application_id, document_ids=["d1"], purged_at=clock.now())
    files.mark_documents_purged(ports, envelope_for(purged, source="intake", correlation_id="c"), purged)
    [document] = reviewing.full_file(ports, partnership("horeca"), data.application_id)["documents"]
    assert document["purged"] is True and document["purged_at"] and document["download_url"] is None
    assert ports.repo.access_log == []
