"""Partnerships (data/partnerships.json): who decides an application, by joint committee."""



from collections import Counter
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reference._data import read_data_file

Status = Literal["C", "S", "U", "NF"]


class Partnership(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    joint_committees: tuple[str, ...] = ()
    contact_email: str | None = None
    # The letterhead's and the signature's address and phone (sample values until an operator sets them).
    postal_address: str | None = None
    phone: str | None = None
    contact_source: str = ""  # where the contact values come from, or that they are samples
    training_overrides: tuple[str, ...] = ()
    status: Status
    note: str = ""


class PartnershipTable(BaseModel):
    """All partnerships plus the fallback; each joint committee and override code belongs to at most one."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    version: str = Field(min_length=1)
    status: str
    source: tuple[str, ...]
    fallback: str
    partnerships: tuple[Partnership, ...]

    @model_validator(mode="after")
    def _consistent(self) -> "PartnershipTable":
        ids = [p.id for p in self.partnerships]
        _reject_duplicates("partnership ids", ids)
        if self.fallback not in ids:
            raise ValueError(f"fallback partnership {self.fallback!r} is not listed")
        _reject_duplicates("joint committees", [jc for p in self.partnerships for jc in p.joint_committees])
        _reject_duplicates("training overrides", [c for p in self.partnerships for c in p.training_overrides])
        return self

    def get(self, partnership_id: str) -> Partnership | None:
        return next((p for p in self.partnerships if p.id == partnership_id), None)

    def by_joint_committee(self, joint_committee: str) -> Partnership | None:
        return next((p for p in self.partnerships if joint_committee in p.joint_committees), None)

    def by_training_override(self, training_code: str) -> Partnership | None:
        return next((p for p in self.partnerships if training_code in p.training_overrides), None)


def _reject_duplicates(what: str, items: list[str]) -> None:
    duplicates = sorted(item for item, n in Counter(items).items() if n > 1)
    if duplicates:
        raise ValueError(f"{what} listed more than once: {duplicates}")


@cache
def partnership_table() -> PartnershipTable:
    """The whole table, read at first use.

    Raises pydantic.ValidationError if data/partnerships.json is malformed or inconsistent.
    """
    return PartnershipTable.model_validate(read_data_file("partnerships.json"))


def partnerships() -> list[Partnership]:
    return list(partnership_table().partnerships)


def partnership(partnership_id: str) -> Partnership | None:
    """The partnership with this id, or None."""
    return partnership_table().get(partnership_id)


def data_version() -> str:
    return partnership_table().version
