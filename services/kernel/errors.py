"""Domain errors every service raises; kernel.http maps each to one HTTP problem (kernel.problems) (RFC 9457)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class DomainError(Exception):
    status = 400
    title = "Bad Request"
    type_suffix = "bad-request"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class BadRequest(DomainError):
    pass


class Forbidden(DomainError):
    status, title, type_suffix = 403, "Forbidden", "forbidden"


class NotFound(DomainError):
    """Also for resources that exist but are not the caller's: nothing is revealed."""

    status, title, type_suffix = 404, "Not Found", "not-found"


class Conflict(DomainError):
    status, title, type_suffix = 409, "Conflict", "conflict"


class RuleViolation(DomainError):
    """The request is well-formed but breaks a rule of the procedure (422)."""

    status, title, type_suffix = 422, "Unprocessable Content", "rule-violation"
