"""Whether a draft may be submitted: state conflicts (409) first, then every failing item (422).

The policy values (ages, experience, extract freshness, renewal grace, required documents) come
from reference.policy, pinned on the application when it is submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from intake.domain.application import Application, DocumentRecord
from intake.domain.documents import StoredObject, object_problem
from intake.domain.fields import INVALID_NATIONAL_REGISTER_NUMBER
from intake.domain.national_register import is_national_register_number, parse_national_register_number
from intake.domain.recognitions import add_months
from kernel.errors import Conflict, FieldError, RuleViolation
from kernel.events import Actor
from kernel.ledger import Ledger, Verdict
from reference.policy import PolicyValues


@dataclass(frozen=True)
class SubmissionContext:
    today: date
    policy: PolicyValues
    # The key's recognitions (plus the renewed one) and the enterprise's exclusions, as review keeps them.
    ledger: Ledger = field(default_factory=Ledger)
    partnership_id: str | None = None  # the partnership routing will pick
    open_application_id: str | None = None  # the application holding the key, if any
    stored: dict[str, StoredObject | None] = field(default_factory=dict)  # document id -> object
    training_exists: bool = True
    submitter: Actor | None = None  # who submits now (filed_by may be someone else)

    def verdict(self, app: Application) -> Verdict:
        """What the ledger would answer if the partnership granted this application today."""
        renews = app.renews_recognition_id if app.kind == "renewal" else None
        return self.ledger.check_grant(app.key(), self.partnership_id, self.today,
                                       self.policy.recognition_validity_years.value, renews=renews)


# The ledger's refusals that are a state conflict (409); the others break a rule of the file (422).
_CONFLICTS = frozenset({"conflict", "already_renewed"})


def check_conflicts(app: Application, ctx: SubmissionContext) -> None:
    """Raises Conflict when the application's state or another file blocks the submission."""
    if app.status != "draft":
        raise Conflict(f"The application is {app.status}; only a draft can be submitted.")
    conflicts = [r for r in ctx.verdict(app).refusals if r.code in _CONFLICTS]
    if conflicts:
        raise Conflict(" ".join(r.message for r in conflicts))
    check_key_free(app, ctx.open_application_id)


def check_key_free(app: Application, open_application_id: str | None) -> None:
    """Raises Conflict when another application holds the key open."""
    if open_application_id and open_application_id != app.id:
        raise Conflict(f"Application {open_application_id} for this establishment and training is still open.")


def submission_errors(app: Application, ctx: SubmissionContext) -> list[FieldError]:
    return [
        *_key_errors(app, ctx),
        *_company_errors(app),
        *_declaration_errors(app),
        *_mentor_errors(app, ctx),
        *_document_errors(app, ctx),
    ]


def check_submission(app: Application, ctx: SubmissionContext) -> None:
    """Raises Conflict (409) or RuleViolation (422) listing every failing item."""
    check_conflicts(app, ctx)
    errors = submission_errors(app, ctx)
    if errors:
        raise RuleViolation("The application is not complete or breaks a rule; see errors.", errors)


def _err(field_name: str, code: str, message: str) -> FieldError:
    return FieldError(field_name, code, message)


def _key_errors(app: Application, ctx: SubmissionContext) -> list[FieldError]:
    errors = []
    if not ctx.training_exists:
        errors.append(_err("training_code", "unknown_training", "The training is no longer in the catalogue."))
    for refusal in ctx.verdict(app).refusals:
        if refusal.code == "excluded":
            bar = next(b for b in ctx.ledger.bars if b.measure_id == refusal.measure_id)
            where = "establishment_number" if bar.establishment_number else "enterprise_number"
            until = f" until {bar.until.isoformat()}" if bar.until else ""
            errors.append(_err(where, "excluded", f"Excluded from recognition{until} (measure {bar.measure_id})."))
        elif refusal.code not in _CONFLICTS:
            errors.append(_err("renews_recognition_id", "not_renewable", refusal.message))
    if app.kind == "renewal" and not errors:
        errors.extend(_renewal_errors(app, ctx))
    return errors


def _renewal_errors(app: Application, ctx: SubmissionContext) -> list[FieldError]:
    """Intake's own rule on top of the ledger's: a renewal is filed while the recognition runs, or
    within the policy's grace after it expired."""
    renewed = ctx.ledger.entry(app.renews_recognition_id or "")
    grace = ctx.policy.renewal_grace_months.value
    if renewed is None or renewed.key != app.key():
        return [_err("renews_recognition_id", "not_renewable",
                     "No recognition with this id for this enterprise, establishment and training.")]
    status = renewed.status_on(ctx.today)
    in_grace = status == "expired" and ctx.today <= add_months(renewed.valid_until, grace)
    if status != "active" and not in_grace:
        return [
            _err(
                "renews_recognition_id",
                "not_renewable",
                f"The recognition is {status}; only an active one or one expired less than {grace} months ago "
                "can be renewed.",
            )
        ]
    return []


def _company_errors(app: Application) -> list[FieldError]:
    company, contact = app.company, app.contact
    address = company.address if company else None
    required = {
        "company.name": company and company.name,
        "company.joint_committee": company and company.joint_committee,
        "company.address.street": address and address.street,
        "company.address.postal_code": address and address.postal_code,
        "company.address.city": address and address.city,
        "contact.name": contact and contact.name,
        "contact.email": contact and contact.email,
    }
    return [_err(name, "required", "Needed to submit.") for name, value in required.items() if not value]


def _declaration_errors(app: Application) -> list[FieldError]:
    declarations = app.declarations
    errors = []
    for name in ("organisation_and_equipment", "financial_capacity", "no_disqualifying_convictions", "sworn_statement"):
        if declarations is None or getattr(declarations, name) is None:
            errors.append(_err(f"declarations.{name}", "required", "Answer yes (true) or no (false)."))
    if declarations is not None and declarations.sworn_statement is False:
        errors.append(
            _err("declarations.sworn_statement", "must_be_true", "The sworn statement must be signed (true).")
        )
    return errors


def _has_document(app: Application, doc_type: str, mentor_id: str | None = None) -> bool:
    """A document of ``doc_type``; with ``mentor_id``, one that belongs to that mentor (a document
    counts for the mentor it names, never for the others, whatever their place in the list)."""
    return any(d.type == doc_type and (mentor_id is None or d.mentor_id == mentor_id) for d in app.documents)


def _mentor_errors(app: Application, ctx: SubmissionContext) -> list[FieldError]:
    if not app.mentors:
        return [_err("mentors", "too_few", "At least one mentor who meets the mentor conditions.")]
    values = ctx.policy
    errors = []
    for i, mentor in enumerate(app.mentors):
        at = f"mentors[{i}]"
        derogation_proof = _has_document(app, "derogation_proof", mentor.mentor_id or "")
        errors.extend(_age_errors(at, mentor.national_register_number, derogation_proof, ctx))
        if mentor.experience_years is None:
            errors.append(_err(f"{at}.experience_years", "required", "Needed to submit."))
        elif mentor.experience_years < values.mentor_minimum_experience_years.value and not derogation_proof:
            errors.append(
                _err(
                    f"{at}.derogation_proof",
                    "required",
                    f"Less than {values.mentor_minimum_experience_years.value} years of experience needs a "
                    "derogation_proof document.",
                )
            )
        if mentor.extract_issued_on is None:
            errors.append(_err(f"{at}.extract_issued_on", "required", "Needed to submit."))
        elif add_months(mentor.extract_issued_on, values.extract_max_age_months.value) < ctx.today:
            errors.append(
                _err(
                    f"{at}.extract_issued_on",
                    "extract_too_old",
                    f"The criminal-record extract is older than {values.extract_max_age_months.value} months.",
                )
            )
    return _dedupe(errors)


def _age_errors(at: str, number: str | None, derogation_proof: bool, ctx: SubmissionContext) -> list[FieldError]:
    """The age rule, on the birth date the national register number encodes.

    A number with day or month 00 (birth date unknown) allows a range of ages: the rule is
    applied when the whole range agrees, and otherwise settled by a derogation proof or, when the
    policy says so, left to the partnership's review.
    """
    values = ctx.policy
    minimum, lowered = values.mentor_minimum_age_years.value, values.mentor_derogation_minimum_age_years.value
    if not number:
        return [_err(f"{at}.national_register_number", "required", "Needed to submit.")]
    parsed = parse_national_register_number(number)
    if parsed is None or not is_national_register_number(number, ctx.today):
        return [
            _err(f"{at}.national_register_number", "invalid_national_register_number", INVALID_NATIONAL_REGISTER_NUMBER)
        ]
    youngest, oldest = parsed.ages_on(ctx.today)
    if oldest < lowered:
        return [_err(f"{at}.national_register_number", "mentor_too_young",
                     f"A mentor is at least {lowered}, even with a derogation.")]
    if youngest >= minimum or derogation_proof:
        return []
    if parsed.birth_date is None and oldest >= minimum:
        if not values.unknown_birth_date_needs_derogation_proof.value:
            return []
        return [_err(f"{at}.derogation_proof", "required",
                     f"The national register number has an unknown birth date (day or month 00), so it does not show "
                     f"that the mentor is {minimum}: upload a derogation_proof document for this mentor "
                     f"(policy unknown_birth_date_needs_derogation_proof).")]
    return [_err(f"{at}.derogation_proof", "required", f"A mentor under {minimum} needs a derogation_proof document.")]


def _document_errors(app: Application, ctx: SubmissionContext) -> list[FieldError]:
    errors = []
    # Whoever acts: the one who submits now, and every intermediary who took a step on the draft.
    by_intermediary = (
        ctx.submitter is not None and ctx.submitter.role == "intermediary"
    ) or app.acted_on_by_intermediary()
    for required in ctx.policy.required_documents.value:
        if required.per == "mentor":
            for i, mentor in enumerate(app.mentors):
                if not _has_document(app, required.type, mentor.mentor_id or ""):
                    errors.append(
                        _err(
                            f"mentors[{i}].{required.type}",
                            "missing_document",
                            f"Upload a {required.type} for this mentor.",
                        )
                    )
        elif required.per == "application" or (required.per == "intermediary_filing" and by_intermediary):
            if not _has_document(app, required.type):
                errors.append(_err(f"documents.{required.type}", "missing_document", f"Upload a {required.type}."))
    for i, document in enumerate(app.documents):
        errors.extend(_stored_document_errors(i, document, app, ctx))
    return errors


def _stored_document_errors(
    i: int, document: DocumentRecord, app: Application, ctx: SubmissionContext
) -> list[FieldError]:
    errors = []
    if document.mentor_id is not None and app.mentor_index(document.mentor_id) is None:
        errors.append(
            _err(
                f"documents[{i}].mentor_id",
                "no_such_mentor",
                "The mentor this document was for is no longer listed: remove the document or list the mentor again.",
            )
        )
    problem = object_problem(document.content_type, document.size_bytes, ctx.stored.get(document.id))
    if problem:
        errors.append(_err(f"documents[{i}]", *problem))
    return errors


def _dedupe(errors: list[FieldError]) -> list[FieldError]:
    seen, unique = set(), []
    for error in errors:
        if (error.field, error.code) not in seen:
            seen.add((error.field, error.code))
            unique.append(error)
    return unique
