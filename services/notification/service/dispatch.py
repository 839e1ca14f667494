"""Which use cases each event runs, in order. The bus edge binds them to the real dependencies;
unit tests bind them to fakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kernel.envelope import Envelope
from notification.bootstrap import Dependencies
from notification.service import messages, notices, reminders

UseCase = Callable[[Envelope, Any, Dependencies], None]


def _data_only(fn: Callable[[Any, Dependencies], None]) -> UseCase:
    return lambda _envelope, data, deps: fn(data, deps)


ROUTES: dict[str, tuple[UseCase, ...]] = {
    "ApplicationSubmitted": (notices.acknowledge_application,),
    "ApplicationRouted": (_data_only(notices.remember_routing), _data_only(messages.tell_partnership_of_new_file)),
    "ApplicationWithdrawn": (_data_only(messages.confirm_withdrawal),),
    "QuestionAsked": (_data_only(messages.tell_company_of_question),),
    "QuestionAnswered": (_data_only(messages.tell_partnership_of_answer),),
    "DecisionRecorded": (notices.notify_decision,),
    "RecognitionGranted": (reminders.schedule_for_grant,),
    "RecognitionRevoked": (_data_only(reminders.stop_on_revocation),),
    "RecognitionExpired": (_data_only(reminders.stop_on_expiry), notices.notify_expiry),
    "RecognitionRestored": (reminders.reschedule_on_restoration, notices.notify_restoration),
    "MeasureImposed": (_data_only(reminders.stop_on_measure), notices.notify_measure),
    "SupportRequestRouted": (_data_only(messages.pass_on_support_request),),
    "AppealLodged": (notices.acknowledge_appeal,),
    "AppealAdmissibilityDecided": (notices.acknowledge_admissibility,),
    "AppealDecided": (notices.notify_appeal_decision,),
    "DecisionDeadlineApproaching": (_data_only(messages.warn_partnership_of_deadline),),
    "DecisionDeadlineMissed": (_data_only(messages.flag_missed_deadline),),
    # Timer events: straight from EventBridge Scheduler to this service's queue.
    "RenewalReminderDue": (_data_only(reminders.send_renewal_reminder),),
    "MentorTrainingDue": (_data_only(reminders.send_mentor_training_reminder),),
}


def run(event_name: str, envelope: Envelope, data: Any, deps: Dependencies) -> None:
    for use_case in ROUTES[event_name]:
        use_case(envelope, data, deps)
