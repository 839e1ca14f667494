"""Sessions in the portal's own DynamoDB table (pk = SESSION#<sha256 of the cookie>), and a fake.

Items carry ``expires_at`` (epoch seconds) for DynamoDB's TTL; TTL deletes late, so every read
checks the time itself (usecases.sessions).
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from kernel import aws
from portal.domain.session import LoginAttempt, Session, User

_SESSION, _LOGIN = "SESSION#", "LOGIN#"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _session_item(session: Session) -> dict[str, Any]:
    data = asdict(session)
    data["user"]["mandates"] = list(session.user.mandates)
    return {"pk": _SESSION + session.key, "sk": "S", **{k: v for k, v in data.items() if k != "key"},
            "created_at": int(session.created_at), "expires_at": int(session.expires_at),
            "idle_until": int(session.idle_until)}


def _session_from(item: dict[str, Any]) -> Session:
    data = _plain(item)
    user = data.pop("user")
    user["mandates"] = tuple(user.get("mandates") or ())
    fields = {
        k: data.get(k) for k in ("access_token", "csrf_token", "created_at", "expires_at", "idle_until", "acting_for")
    }
    return Session(key=data["pk"][len(_SESSION):], user=User(**user), **fields)


class DynamoSessionStore:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def _table(self) -> Any:
        return aws.table(self.table_name)

    def load(self, key: str) -> Session | None:
        item = self._table().get_item(Key={"pk": _SESSION + key, "sk": "S"}, ConsistentRead=True).get("Item")
        return _session_from(item) if item else None

    def save(self, session: Session) -> None:
        self._table().put_item(Item=_drop_none(_session_item(session)))

    def end(self, key: str) -> None:
        self._table().delete_item(Key={"pk": _SESSION + key, "sk": "S"})

    def load_login(self, key: str) -> LoginAttempt | None:
        item = self._table().get_item(Key={"pk": _LOGIN + key, "sk": "L"}, ConsistentRead=True).get("Item")
        if not item:
            return None
        data = _plain(item)
        return LoginAttempt(key=key, state=data["state"], nonce=data["nonce"], code_verifier=data["code_verifier"],
                            return_to=data["return_to"], expires_at=data["expires_at"])

    def save_login(self, attempt: LoginAttempt) -> None:
        self._table().put_item(Item={"pk": _LOGIN + attempt.key, "sk": "L", "state": attempt.state,
                                     "nonce": attempt.nonce, "code_verifier": attempt.code_verifier,
                                     "return_to": attempt.return_to, "expires_at": int(attempt.expires_at)})

    def end_login(self, key: str) -> None:
        self._table().delete_item(Key={"pk": _LOGIN + key, "sk": "L"})


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    return value


class InMemorySessionStore:
    """For unit tests: the same behaviour, in a dict."""

    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}
        self.logins: dict[str, LoginAttempt] = {}
        self.writes = 0

    def load(self, key: str) -> Session | None:
        return self.sessions.get(key)

    def save(self, session: Session) -> None:
        self.writes += 1
        self.sessions[session.key] = session

    def end(self, key: str) -> None:
        self.sessions.pop(key, None)

    def load_login(self, key: str) -> LoginAttempt | None:
        return self.logins.get(key)

    def save_login(self, attempt: LoginAttempt) -> None:
        self.logins[attempt.key] = attempt

    def end_login(self, key: str) -> None:
        self.logins.pop(key, None)
