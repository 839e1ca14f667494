"""In-memory fakes of the notification adapters for unit tests (never used by bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kernel.processed import current_marker, written_marker
from notification.domain.mails import Mail
from notification.domain.model import Addressee
from notification.domain.projection import (
    AppealRecord,
    NoticeRecord,
    RecognitionRecord,
    enterprise_partition,
    partnership_partition,
)


class InMemoryNotificationStore:
    def __init__(self) -> None:
        self.applications: dict[str, tuple[Addressee, str]] = {}
        self.recognitions: dict[str, RecognitionRecord] = {}
        self.subjects: dict[str, str] = {}
        self.appeals: dict[str, AppealRecord] = {}
        self.notices: dict[str, NoticeRecord] = {}
        self.sent: set[str] = set()

    def save_application(self, addressee: Addressee, submitted_at: str, *, mark_event: bool = False) -> None:
        application_id = addressee.application_id
        assert application_id
        existing = self.applications.get(application_id)
        if existing and existing[0].partnership_id and not addressee.partnership_id:
            return  # ApplicationRouted wrote the same snapshot with its partnership first
        marker = current_marker() if mark_event else None
        if marker is not None:
            marker.record()
        self.applications[application_id] = (addressee, submitted_at)

    def application(self, application_id: str) -> Addressee | None:
        found = self.applications.get(application_id)
        return found[0] if found and found[0].enterprise_number else None

    def set_partnership(self, application_id: str, partnership_id: str) -> None:
        found = self.applications.get(application_id)
        addressee, at = found if found else (Addressee(enterprise_number="", application_id=application_id), "")
        self.applications[application_id] = (replace(addressee, partnership_id=partnership_id), at)

    def latest_application_for(self, enterprise_number: str) -> Addressee | None:
        mine = [v for v in self.applications.values() if v[0].enterprise_number == enterprise_number]
        return max(mine, key=lambda v: v[1])[0] if mine else None

    def save_recognition(self, record: RecognitionRecord, *, mark_event: bool = False) -> None:
        marker = current_marker() if mark_event else None
        if marker is not None:
            marker.record()  # as the DynamoDB adapter's transaction
        self.recognitions[record.recognition_id] = record

    def recognition(self, recognition_id: str) -> RecognitionRecord | None:
        return self.recognitions.get(recognition_id)

    def recognitions_for(self, enterprise_number: str) -> list[RecognitionRecord]:
        return [r for r in self.recognitions.values() if r.enterprise_number == enterprise_number]

    def save_subject(self, subject_id: str, application_id: str) -> None:
        self.subjects[subject_id] = application_id

    def subject_application(self, subject_id: str) -> str | None:
        return self.subjects.get(subject_id)

    def save_appeal(self, record: AppealRecord) -> None:
        self.appeals[record.appeal_id] = record

    def appeal(self, appeal_id: str) -> AppealRecord | None:
        return self.appeals.get(appeal_id)

    def notice(self, notice_id: str) -> NoticeRecord | None:
        return self.notices.get(notice_id)

    def add_notice(self, record: NoticeRecord, *, subject_application: str | None = None,
                   application: tuple[Addressee, str] | None = None, claim: str | None = None) -> bool:
        new = record.notice_id not in self.notices and (claim is None or claim not in self.sent)
        if new and claim is not None:
            self.sent.add(claim)
        self.notices.setdefault(record.notice_id, record)
        if subject_application:
            self.subjects[record.subject_id] = subject_application
        if application is not None:
            self.save_application(*application)
        return new

    def record_delivery(self, notice_id: str, outcome: str, at: str) -> bool:
        known = self.notices.get(notice_id)
        if known is not None and (known.delivery_at is None or known.delivery_at <= at):  # the latest report stands
            self.notices[notice_id] = replace(self.notices[notice_id], delivery=outcome, delivery_at=at)
            return True
        return False

    def notices_in(self, partition: str) -> list[NoticeRecord]:
        return [
            n for n in self.notices.values()
            if partition in (enterprise_partition(n.enterprise_number),
                             partnership_partition(n.partnership_id) if n.partnership_id else "")
        ]

    def claim_send(self, marker: str, *, mark_event: bool = False) -> bool:
        event_marker = current_marker() if mark_event else None
        if event_marker is not None and marker not in self.sent:
            event_marker.record()  # as the DynamoDB adapter's transaction
        if marker in self.sent:
            return False
        self.sent.add(marker)
        return True

    def release_send(self, marker: str) -> None:
        self.sent.discard(marker)
        event_marker = written_marker()
        if event_marker is not None:
            event_marker.unwrite()


class InMemoryNoticeArchive:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.refused: list[str] = []

    def put_once(self, key: str, pdf: bytes) -> bool:
        if key in self.objects:
            self.refused.append(key)
            return False
        self.objects[key] = pdf
        return True

    def download_url(self, key: str, expires_in: int) -> str:
        return f"https://notices.example/{key}?expires_in={expires_in}"


@dataclass(frozen=True)
class SentMail:
    mail: Mail
    attachment: bytes | None


class InMemoryMailer:
    def __init__(self) -> None:
        self.sent: list[SentMail] = []
        self.fail_next = False

    def send(self, mail: Mail, attachment: bytes | None = None) -> str:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("mail relay unavailable")
        self.sent.append(SentMail(mail, attachment))
        return f"m-{len(self.sent)}"

    def to(self, address: str) -> list[Mail]:
        return [s.mail for s in self.sent if s.mail.to == address]
