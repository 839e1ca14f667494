"""The company's view of the decision term while a question waits (issue 11 point 9): intake
moves decision_due exactly as review does, from the same QuestionAsked and QuestionAnswered."""

from datetime import UTC, datetime, timedelta

from intake_support import full_body, mentor

from intake.domain.application import Application, Question
from intake.domain.requests import CreateApplication
from kernel.events import Actor
from reference.policy import policy

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
COMPANY = Actor(sub="u", role="employer")


def submitted(pause: bool) -> Application:
    fields = CreateApplication.model_validate(full_body(mentors=[mentor(extract_issued_on="2026-05-01")])).model_dump()
    app = Application.start("app-1", fields, COMPANY, NOW)
    values = policy().for_partnership("mtech").values.plain() | {"pause_during_questions": pause}
    app.mark_submitted(actor=COMPANY, now=NOW, decision_due=NOW.date() + timedelta(days=14),
                       policy={"version": "t", "partnership_id": "mtech", "values": values}, verified=[])
    app.routed("mtech", NOW.date() + timedelta(days=14), NOW, "ev-routed")
    return app


def ask(app: Application, at: datetime) -> None:
    app.question_asked(Question(question_id="q1", partnership_id="mtech", message="Which tools?", asked_at=at), "ev-q1")


def test_the_companys_decision_due_moves_by_the_days_the_question_waited():
    app = submitted(pause=True)
    ask(app, NOW + timedelta(days=2))
    assert app.decision_term_paused is True
    app.answer("m1", "q1", "Two benches.", COMPANY, NOW + timedelta(days=6))
    assert app.decision_term_paused is False
    assert app.decision_due == NOW.date() + timedelta(days=18)
    assert app.history[-1].what == "decision_due_moved"


def test_without_the_policy_the_companys_decision_due_stays():
    app = submitted(pause=False)
    ask(app, NOW + timedelta(days=2))
    app.answer("m1", "q1", "Two benches.", COMPANY, NOW + timedelta(days=6))
    assert app.decision_due == NOW.date() + timedelta(days=14) and app.decision_term_paused is False
