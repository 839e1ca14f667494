"""Reference data and the projection, read the way the use cases need them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from notification.domain.mails import StaffLetter
from notification.domain.model import Addressee, AppealTerms, Body
from notification.usecases.ports import NotificationStore
from reference.catalogue import training
from reference.partnerships import partnership, partnership_table
from reference.policy import PolicyValues, policy


def policy_values(partnership_id: str | None, pinned: dict[str, Any] | None = None) -> PolicyValues:
    """The partnership's effective values, with those pinned on the application laid over them."""
    return policy().pinned(partnership_id, pinned).values


def appeal_terms(partnership_id: str | None, portal_url: str | None = None,
                 pinned: dict[str, Any] | None = None) -> AppealTerms:
    """The remedy block's values. ``portal_url`` is the counter's address where the deployment
    knows it (the appeal form's path is appended); ``pinned``: the policy pinned on the application
    a decision is about, whose appeal window then counts."""
    values = policy_values(partnership_id, pinned)
    path = values.appeal_portal_path.value
    return AppealTerms(
        window_days=values.appeal_window_days.value,
        day_kind=values.appeal_window_day_kind.value,
        receipt_offset_days=values.notice_receipt_offset_days.value,
        moves_to_working_day=values.moves_to_working_day("appeal_window"),
        coordinator_postal_address=values.appeal_coordinator_postal_address.value,
        coordinator_email=values.appeal_coordinator_email.value,
        portal=f"{portal_url.rstrip('/')}{path}" if portal_url else path,
        suspends=values.appeal_suspends_measure.value,
        council_of_state_days=values.council_of_state_window_days.value,
        council_of_state_address=values.council_of_state_address.value,
    )


def competent(partnership_id: str | None) -> str:
    """The partnership id, or the VPDL's when none is named."""
    return partnership_id or partnership_table().fallback


def body(partnership_id: str | None) -> Body:
    """The deciding or sending body: the partnership, the VPDL when none is named or known."""
    found = partnership(competent(partnership_id)) or partnership(partnership_table().fallback)
    assert found is not None  # the table validates that its fallback is listed
    return Body(name=found.name, email=found.contact_email, postal_address=found.postal_address, phone=found.phone)


def staff_letter(partnership_id: str | None) -> StaffLetter:
    """A working mail to a partnership's staff: it greets the partnership and is signed by the
    platform's operator, the VPDL (the fallback partnership), with its address, phone and e-mail."""
    team = partnership(partnership_id) if partnership_id else None
    return StaffLetter(team=team.name if team else None, operator=body(None))


def partnership_name(partnership_id: str | None) -> str:
    return body(partnership_id).name


def partnership_email(partnership_id: str) -> str | None:
    found = partnership(partnership_id)
    return found.contact_email if found else None


def training_name(code: str | None) -> str | None:
    """The training's official name; None for a code the catalogue does not know (never the code)."""
    found = training(code) if code else None
    return found.name if found else None


def addressee_for(
    store: NotificationStore,
    *,
    enterprise_number: str,
    application_id: str | None = None,
    recognition_id: str | None = None,
    subject_id: str | None = None,
    establishment_number: str | None = None,
    training_code: str | None = None,
    partnership_id: str | None = None,
) -> Addressee:
    """The company to write to, found through the most specific link the event gives.

    When nothing was learnt about the company (its application predates this service), the notice
    still goes out, addressed by the event's own numbers, without an e-mail address.
    """
    if application_id is None and recognition_id:
        record = store.recognition(recognition_id)
        application_id = record.application_id if record else None
    if application_id is None and subject_id:
        application_id = store.subject_application(subject_id)
    found = store.application(application_id) if application_id else None
    if found is None or found.enterprise_number != enterprise_number:
        found = store.latest_application_for(enterprise_number)
    if found is None:
        return Addressee(
            enterprise_number=enterprise_number,
            establishment_number=establishment_number,
            training_code=training_code,
            application_id=application_id,
            partnership_id=partnership_id,
        )
    # The event is the authority on which establishment and training the notice is about.
    return replace(
        found,
        establishment_number=establishment_number or found.establishment_number,
        training_code=training_code or found.training_code,
        partnership_id=partnership_id or found.partnership_id,
    )
