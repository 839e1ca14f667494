"""In-memory fakes of intake's ports for unit tests. Each passes the same contract tests as its
AWS adapter (tests/integration/intake/test_intake_store_contract.py), so a fake cannot promise
what the adapter does not do."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from intake.adapters.documents import digest
from intake.adapters.projections import _bar, _entry, _facts
from intake.adapters.retention import _facts as _retention_facts
from intake.adapters.retention import _plain
from intake.domain.application import Application
from intake.domain.documents import StoredObject
from intake.domain.recognitions import Bar, Entry, Key
from intake.domain.retention import RetentionFacts
from intake.usecases.ports import Decided, KeyHeld, StaleWrite
from kernel.processed import AlreadyProcessed, current_marker


class InMemoryApplicationStore:
    """``projections``: the fake whose key holds a save with ``hold_key`` takes and a save with
    ``decided`` frees, recording the recognition; ``retention``: the fake a save with ``decided``
    records the retention facts in (as the adapter's transaction writes their rows in the same table)."""

    def __init__(self, projections: InMemoryProjections | None = None,
                 retention: InMemoryRetentionStore | None = None) -> None:
        self.items: dict[str, tuple[str, int, list[str]]] = {}
        self.open_keys = projections.open if projections is not None else None  # the same dict: one table
        self._projections = projections
        self._retention = retention

    def get(self, application_id: str) -> tuple[Application, list[str]] | None:
        if application_id not in self.items:
            return None
        body, version, outbox = self.items[application_id]
        app = Application.model_validate_json(body)
        app.version = version
        return app, list(outbox)

    def add(self, app: Application) -> None:
        if app.id in self.items:
            raise StaleWrite(app.id)
        app.version = 1
        self.items[app.id] = (app.model_dump_json(), 1, [])

    def save(self, app: Application, outbox: list[str], *, mark_event: bool = False,
             hold_key: Key | None = None, decided: Decided | None = None) -> None:
        marker = current_marker() if mark_event else None
        if marker is not None and marker.is_recorded():
            raise AlreadyProcessed(marker.event_id)
        # As DynamoDB's condition on the version: an application never added fails it too.
        if app.id not in self.items or self.items[app.id][1] != app.version:
            raise StaleWrite(app.id)
        if hold_key is not None:
            assert self.open_keys is not None, "InMemoryApplicationStore(projections) holds keys"
            if self.open_keys.get(hold_key, app.id) != app.id:  # as InMemoryProjections.hold_key
                raise KeyHeld(app.id)
            self.open_keys[hold_key] = app.id
        if decided is not None:
            assert self._projections is not None and self._retention is not None, (
                "InMemoryApplicationStore(projections, retention) records decisions")
            self._projections.release_key(decided.key, app.id, recognition_id=decided.recognition_id,
                                          partnership_id=decided.partnership_id, valid_from=decided.valid_from,
                                          valid_until=decided.valid_until)
            self._retention.record_decision(decided.decision_id, **decided.facts)
        if marker is not None:
            marker.record()
        app.version += 1
        self.items[app.id] = (app.model_dump_json(), app.version, list(outbox))

    def clear_outbox(self, application_id: str, version: int) -> None:
        if application_id not in self.items:
            return  # the adapter's conditional update fails and is ignored: nothing to clear
        body, stored_version, _ = self.items[application_id]
        if stored_version == version:
            self.items[application_id] = (body, version, [])

    def for_enterprise(self, enterprise_number: str) -> list[Application]:
        apps = [self.get(i)[0] for i in self.items]  # type: ignore[index]
        return sorted((a for a in apps if a.enterprise_number == enterprise_number), key=lambda a: a.created_at)


class InMemoryDocumentStorage:
    def __init__(self, bucket: str = "documents") -> None:
        self.bucket = bucket
        self.objects: dict[str, bytes] = {}

    def upload_url(self, key: str, content_type: str, size_bytes: int, expires_in: int) -> tuple[str, dict[str, str]]:
        headers = {"Content-Type": content_type, "Content-Length": str(size_bytes), "If-None-Match": "*"}
        return f"https://uploads.example/{key}?expires={expires_in}", headers

    def read(self, key: str) -> StoredObject | None:
        data = self.objects.get(key)
        if data is None:
            return None
        size, head, sha = digest([data])
        return StoredObject(size, head, sha)

    def delete(self, key: str) -> int:
        return 0 if self.objects.pop(key, None) is None else 1


class InMemoryProjections:
    def __init__(self) -> None:
        self.recognitions: dict[str, dict[str, Any]] = {}
        self.exclusions: dict[tuple[str, str], dict[str, Any]] = {}
        self.open: dict[Key, str] = {}

    def recognitions_for(self, key: Key) -> list[Entry]:
        return [v for v in (self.recognition(i) for i in self.recognitions) if v and v.key == key]

    def recognition(self, recognition_id: str) -> Entry | None:
        item = self.recognitions.get(recognition_id)
        if not item:
            return None
        key = item["key"]
        return _entry({**item, "recognition_id": recognition_id, "enterprise_number": key[0],
                       "establishment_number": key[1], "training_code": key[2]})

    def record_recognition(self, recognition_id, key, state, as_of, *, partnership_id=None, valid_from=None,  # noqa: ANN001
                           valid_until=None, revoked_on=None, renews=None, mark_event=False) -> None:
        marker = current_marker() if mark_event else None
        if marker is not None and marker.is_recorded():
            raise AlreadyProcessed(marker.event_id)
        item = self.recognitions.setdefault(recognition_id, {"key": key})
        item.update(_facts(partnership_id, valid_from, valid_until, renews))
        if state is not None and "as_of" in item and item["as_of"] >= as_of:
            return  # an older event: only its facts, and the consumer writes the marker
        if marker is not None:
            marker.record()
        if state is None:
            return
        item.update(state=state, as_of=as_of)
        if state == "revoked" and revoked_on is not None:
            item["revoked_on"] = revoked_on.isoformat()
        elif state == "granted":
            item.pop("revoked_on", None)

    def exclusions_for(self, enterprise_number: str) -> list[Bar]:
        return [_bar(e, {**i, "measure_id": m}) for (e, m), i in self.exclusions.items()
                if e == enterprise_number and i.get("imposed")]

    def record_exclusion(self, measure_id, enterprise_number, establishment_number, until, *,  # noqa: ANN001
                         partnership_id=None, starts_on=None) -> None:
        item = self.exclusions.setdefault((enterprise_number, measure_id), {})
        item.update(imposed=True, establishment_number=establishment_number, until=until,
                    partnership_id=partnership_id, starts_on=starts_on)

    def lift_exclusion(self, measure_id: str, enterprise_number: str) -> None:
        self.exclusions.setdefault((enterprise_number, measure_id), {})["lifted"] = True

    def open_application(self, key: Key) -> str | None:
        return self.open.get(key)

    def hold_key(self, key: Key, application_id: str) -> bool:
        if self.open.get(key, application_id) != application_id:
            return False
        self.open[key] = application_id
        return True

    def release_key(self, key: Key, application_id: str, *, recognition_id: str | None = None,  # noqa: ANN001
                    partnership_id=None, valid_from=None, valid_until=None) -> None:
        if self.open.get(key) == application_id:
            del self.open[key]
        if recognition_id is not None:
            self.record_recognition(recognition_id, key, None, datetime.min, partnership_id=partnership_id,
                                    valid_from=valid_from, valid_until=valid_until)


class InMemoryRetentionStore:
    def __init__(self) -> None:
        self.decisions: dict[str, dict[str, Any]] = {}
        self.appeals: dict[str, dict[str, dict[str, Any]]] = {}
        self.undelivered: dict[str, set[str]] = {}

    def record_decision(self, decision_id: str, *, mark_event: bool = False, **facts: Any) -> None:
        marker = current_marker() if mark_event else None
        if marker is not None:
            marker.record()  # raises AlreadyProcessed when it is there
        self.decisions.setdefault(decision_id, {}).update({k: _plain(v) for k, v in facts.items() if v is not None})

    def record_appeal(
        self, decision_id: str, appeal_id: str, *, lodged: bool = False, closed_on: date | None = None
    ) -> None:
        item = self.appeals.setdefault(decision_id, {}).setdefault(appeal_id, {"appeal_id": appeal_id})
        if lodged:
            item["lodged"] = True
        if closed_on is not None:
            item["closed_on"] = closed_on.isoformat()

    def record_scheduled(self, decision_id: str, purge_on: date | None) -> None:
        item = self.decisions.setdefault(decision_id, {})
        if purge_on is None:
            item.pop("scheduled_purge_on", None)
        else:
            item["scheduled_purge_on"] = purge_on.isoformat()

    def record_undelivered(self, decision_id: str, notice_id: str) -> None:
        self.undelivered.setdefault(decision_id, set()).add(notice_id)

    def facts(self, decision_id: str) -> RetentionFacts:
        return _retention_facts(
            decision_id, dict(self.decisions.get(decision_id, {})), list(self.appeals.get(decision_id, {}).values()),
            frozenset(self.undelivered.get(decision_id, ())),
        )


class InMemoryAccessLog:
    def __init__(self) -> None:
        self.log: dict[tuple[str, str], dict[str, Any]] = {}

    def record_purge(self, entry: dict[str, Any]) -> None:
        self.log[(entry["application_id"], entry["document_id"])] = {"action": "purged", **entry}

    def entries(self, application_id: str) -> list[dict[str, Any]]:
        return [e for (a, _), e in self.log.items() if a == application_id]
