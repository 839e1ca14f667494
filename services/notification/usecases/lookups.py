"""Reference data and the projection, read the way the use cases need them."""

from __future__ import annotations

from notification.domain.model import Addressee, AppealTerms
from notification.usecases.ports import NotificationStore
from reference.catalogue import training
from reference.partnerships import partnership, partnership_table
from reference.policy import PolicyValues, policy


def policy_values(partnership_id: str | None) -> PolicyValues:
    return policy().for_partnership(partnership_id).values


def appeal_terms(partnership_id: str | None) -> AppealTerms:
    values = policy_values(partnership_id)
    return AppealTerms(
        window_days=values.appeal_window_days.value,
        day_kind=values.appeal_window_day_kind.value,
        receipt_offset_days=values.notice_receipt_offset_days.value,
        moves_to_working_day=values.moves_to_working_day("appeal_window"),
    )


def partnership_name(partnership_id: str | None) -> str:
    found = partnership(partnership_id) if partnership_id else None
    return (found or partnership(partnership_table().fallback)).name  # type: ignore[union-attr]


def partnership_email(partnership_id: str) -> str | None:
    found = partnership(partnership_id)
    return found.contact_email if found else None


def training_name(code: str | None) -> str | None:
    found = training(code) if code else None
    return found.name if found else code


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
    from dataclasses import replace

    return replace(
        found,
        establishment_number=establishment_number or found.establishment_number,
        training_code=training_code or found.training_code,
        partnership_id=partnership_id or found.partnership_id,
    )
