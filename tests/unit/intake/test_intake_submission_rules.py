"""domain.submission on its own: each 409 and 422 case, with the policy from reference data."""

from datetime import UTC, date, datetime, timedelta

import pytest
from intake_support import ENTERPRISE, ESTABLISHMENT, TRAINING, full_body, mentor, nrn

from intake.domain.application import Application, DocumentRecord
from intake.domain.documents import StoredObject
from intake.domain.recognitions import add_months
from intake.domain.requests import CreateApplication
from intake.domain.submission import SubmissionContext, check_submission, submission_errors
from kernel.errors import Conflict
from kernel.events import Actor
from kernel.ledger import Bar, Entry, Ledger
from reference.policy import policy

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
KEY = (ENTERPRISE, ESTABLISHMENT, TRAINING)
PDF_OBJECT = StoredObject(size_bytes=100, first_bytes=b"%PDF-1.7", sha256="0" * 64)


def draft(
    role: str = "employer", documents: tuple[tuple[str, int | None], ...] = (("criminal_record_extract", 0),), **body
) -> Application:
    body = {"mentors": [mentor(extract_issued_on="2026-05-01")], **body}
    fields = CreateApplication.model_validate(full_body(**body)).model_dump()
    app = Application.start("app-1", fields, Actor(sub="u", role=role), NOW)
    for i, (doc_type, index) in enumerate(documents):
        app.documents.append(DocumentRecord(
            id=f"d{i}", type=doc_type, filename="f.pdf", content_type="application/pdf", size_bytes=100,
            mentor_id=None if index is None else app.mentors[index].mentor_id,
            bucket="b", key=f"applications/app-1/k{i}", registered_at=NOW))
    return app


def context(app: Application, partnership: str | None = None, **kw) -> SubmissionContext:
    stored = kw.pop("stored", {d.id: PDF_OBJECT for d in app.documents})
    ledger = Ledger(tuple(kw.pop("recognitions", ())), tuple(kw.pop("exclusions", ())))
    return SubmissionContext(today=TODAY, policy=policy().for_partnership(partnership).values, stored=stored,
                             ledger=ledger, partnership_id=partnership or "mtech", **kw)


def Exclusion(measure_id, enterprise, establishment, until, lifted=False, partnership_id="mtech"):  # noqa: N802
    return Bar(measure_id, enterprise, establishment, partnership_id, TODAY - timedelta(days=30), until, lifted)


def RecognitionView(rid, key, state, valid_from, valid_until, renews=None):  # noqa: N802
    """A ledger entry as intake learns it; ``state`` revoked means revoked since ``valid_from``."""
    valid_from = valid_from or (valid_until - timedelta(days=5 * 365))
    revoked_on = valid_from if state == "revoked" else None
    return Entry(rid, key, "mtech", valid_from, valid_until, revoked_on, renews)


def codes(app: Application, ctx: SubmissionContext) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in submission_errors(app, ctx)}


def test_a_complete_draft_passes():
    app = draft()
    check_submission(app, context(app))


def test_no_mentor_is_refused():
    app = draft(mentors=[], documents=())
    assert ("mentors", "too_few") in codes(app, context(app))


def test_a_mentor_without_an_extract_document_is_refused():
    app = draft(documents=())
    assert ("mentors[0].criminal_record_extract", "missing_document") in codes(app, context(app))


def test_an_extract_older_than_the_policy_window_is_refused():
    app = draft(mentors=[mentor(extract_issued_on="2025-05-31")])
    assert ("mentors[0].extract_issued_on", "extract_too_old") in codes(app, context(app))
    fresh = draft(mentors=[mentor(extract_issued_on="2025-06-01")])
    assert codes(fresh, context(fresh)) == set()


@pytest.mark.parametrize("birth,expected", [
    (date(2003, 6, 2), {("mentors[0].national_register_number", "mentor_too_young")}),   # 23 tomorrow
    (date(2003, 6, 1), {("mentors[0].derogation_proof", "required")}),                  # 23 today
    (date(2002, 6, 1), {("mentors[0].derogation_proof", "required")}),                  # 24
    (date(2001, 6, 1), set()),                                                         # 25 today
])
def test_mentor_age_counts_from_the_birth_date_in_the_national_register_number(birth, expected):
    app = draft(mentors=[mentor(national_register_number=nrn(birth), extract_issued_on="2026-05-01")])
    assert codes(app, context(app)) == expected


def test_a_young_mentor_with_a_derogation_proof_passes_but_never_under_23():
    docs = (("criminal_record_extract", 0), ("derogation_proof", 0))
    app = draft(
        mentors=[mentor(national_register_number=nrn(date(2002, 6, 1)), extract_issued_on="2026-05-01")], documents=docs
    )
    assert codes(app, context(app)) == set()
    too_young = draft(
        mentors=[mentor(national_register_number=nrn(date(2004, 1, 1)), extract_issued_on="2026-05-01")], documents=docs
    )
    assert ("mentors[0].national_register_number", "mentor_too_young") in codes(too_young, context(too_young))


def test_short_experience_needs_a_derogation_proof():
    app = draft(mentors=[mentor(experience_years=4, extract_issued_on="2026-05-01")])
    assert codes(app, context(app)) == {("mentors[0].derogation_proof", "required")}


def test_every_declaration_must_be_answered_and_only_the_sworn_statement_must_be_true():
    answered_no = draft(declarations={"organisation_and_equipment": False, "financial_capacity": False,
                                      "no_disqualifying_convictions": False, "sworn_statement": True})
    assert codes(answered_no, context(answered_no)) == set()
    unanswered = draft(declarations={"sworn_statement": False})
    assert codes(unanswered, context(unanswered)) == {
        ("declarations.organisation_and_equipment", "required"), ("declarations.financial_capacity", "required"),
        ("declarations.no_disqualifying_convictions", "required"), ("declarations.sworn_statement", "must_be_true"),
    }


def test_missing_company_and_contact_fields_are_listed():
    app = draft(company={"name": "X"}, contact=None)
    assert codes(app, context(app)) == {
        ("company.joint_committee", "required"), ("company.address.street", "required"),
        ("company.address.postal_code", "required"), ("company.address.city", "required"),
        ("contact.name", "required"), ("contact.email", "required"),
    }


def test_an_intermediary_filing_needs_a_mandate():
    app = draft(role="intermediary")
    assert codes(app, context(app)) == {("documents.mandate", "missing_document")}


def test_horeca_asks_an_rsz_certificate():
    app = draft(company={**full_body()["company"], "joint_committee": "302"})
    assert codes(app, context(app, "horeca")) == {("documents.rsz_certificate", "missing_document")}


@pytest.mark.parametrize("stored,code", [
    (None, "not_uploaded"),
    (StoredObject(99, b"%PDF-1.7", "x"), "size_mismatch"),
    (StoredObject(100, b"\x89PNG\r\n\x1a\n", "x"), "content_mismatch"),
])
def test_each_uploaded_object_must_match_its_declaration(stored, code):
    app = draft()
    assert codes(app, context(app, stored={"d0": stored})) == {("documents[0]", code)}


def test_an_excluded_enterprise_or_establishment_cannot_submit_until_the_exclusion_ends_or_is_lifted():
    app = draft()
    whole = Exclusion("m1", ENTERPRISE, None, None)
    assert ("enterprise_number", "excluded") in codes(app, context(app, exclusions=[whole]))
    site = Exclusion("m2", ENTERPRISE, ESTABLISHMENT, TODAY)
    assert ("establishment_number", "excluded") in codes(app, context(app, exclusions=[site]))
    other_site = Exclusion("m3", ENTERPRISE, "2000000000", None)
    ended = Exclusion("m4", ENTERPRISE, None, TODAY - timedelta(days=1))
    lifted = Exclusion("m5", ENTERPRISE, None, None, lifted=True)
    assert codes(app, context(app, exclusions=[other_site, ended, lifted])) == set()


def test_a_new_application_conflicts_with_an_active_or_scheduled_recognition_of_the_same_key():
    app = draft()
    for valid_from in (TODAY - timedelta(days=10), TODAY + timedelta(days=10)):
        rec = RecognitionView("r1", KEY, "granted", valid_from, valid_from + timedelta(days=365))
        with pytest.raises(Conflict):
            check_submission(app, context(app, recognitions=[rec]))
    revoked = RecognitionView("r2", KEY, "revoked", TODAY - timedelta(days=10), TODAY + timedelta(days=300))
    check_submission(app, context(app, recognitions=[revoked]))


def test_another_open_application_for_the_key_is_a_conflict_and_a_submitted_one_cannot_be_resubmitted():
    app = draft()
    with pytest.raises(Conflict):
        check_submission(app, context(app, open_application_id="app-2"))
    check_submission(app, context(app, open_application_id="app-1"))
    app.status = "submitted"
    with pytest.raises(Conflict):
        check_submission(app, context(app))


def test_a_renewal_names_an_active_or_recently_expired_recognition_of_the_same_key():
    app = draft(kind="renewal", renews_recognition_id="r1")
    grace = policy().values.renewal_grace_months.value
    active = RecognitionView("r1", KEY, "granted", TODAY - timedelta(days=1000), TODAY + timedelta(days=30))
    assert codes(app, context(app, recognitions=[active])) == set()
    recently = RecognitionView("r1", KEY, "expired", None, add_months(TODAY, -grace))
    assert codes(app, context(app, recognitions=[recently])) == set()
    long_ago = RecognitionView("r1", KEY, "expired", None, add_months(TODAY, -grace) - timedelta(days=1))
    other_key = RecognitionView("r1", (ENTERPRISE, ESTABLISHMENT, "zorgkundige-duaal"), "granted", None, TODAY)
    revoked = RecognitionView("r1", KEY, "revoked", None, TODAY + timedelta(days=30))
    for rec in (long_ago, other_key, revoked, None):
        assert codes(app, context(app, recognitions=[rec] if rec else [])) == {
            ("renews_recognition_id", "not_renewable")
        }


def test_a_renewal_does_not_conflict_with_the_recognition_it_renews():
    app = draft(kind="renewal", renews_recognition_id="r1")
    active = RecognitionView("r1", KEY, "granted", TODAY - timedelta(days=1000), TODAY + timedelta(days=30))
    check_submission(app, context(app, recognitions=[active]))


def test_months_are_added_to_the_end_of_shorter_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 6, 1), -6) == date(2025, 12, 1)


def test_a_recognition_renewed_already_cannot_be_renewed_a_second_time():
    app = draft(kind="renewal", renews_recognition_id="r1")
    active = RecognitionView("r1", KEY, "granted", TODAY - timedelta(days=1000), TODAY + timedelta(days=30))
    scheduled = RecognitionView(
        "r2", KEY, "granted", TODAY + timedelta(days=31), TODAY + timedelta(days=2000), renews="r1"
    )
    with pytest.raises(Conflict, match="already renewed"):
        check_submission(app, context(app, recognitions=[active, scheduled]))


def test_a_revocation_dated_later_leaves_the_recognition_running_until_then():
    app = draft()
    revoked_later = Entry("r1", KEY, "mtech", TODAY - timedelta(days=100), TODAY + timedelta(days=1000),
                          revoked_on=TODAY + timedelta(days=20))
    with pytest.raises(Conflict, match="already covers"):
        check_submission(app, context(app, recognitions=[revoked_later]))
    revoked_today = Entry(
        "r1", KEY, "mtech", TODAY - timedelta(days=100), TODAY + timedelta(days=1000), revoked_on=TODAY
    )
    check_submission(app, context(app, recognitions=[revoked_today]))


def test_another_partnerships_exclusion_does_not_block_but_the_vpdls_does():
    app = draft()  # joint committee 111: routed to mtech
    horeca = Exclusion("m1", ENTERPRISE, None, None, partnership_id="horeca")
    assert codes(app, context(app, exclusions=[horeca])) == set()
    vpdl = Exclusion("m2", ENTERPRISE, None, None, partnership_id="vpdl")
    assert ("enterprise_number", "excluded") in codes(app, context(app, exclusions=[vpdl]))
