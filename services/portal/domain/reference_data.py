"""The procedure's reference data (services/reference: policy, partnerships, training catalogue),
read the way the pages need it.

The one place the portal imports reference lazily: reference builds its pydantic models when it
is imported (~20 ms of a fresh worker's first page, bench/portal_pages.py), which the home page,
the register and most other pages never need. Each function imports at its first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reference.catalogue import Training
    from reference.partnerships import Partnership, PartnershipTable
    from reference.policy import PolicyValues


def policy_values(partnership_id: str | None = None) -> PolicyValues:
    """The effective policy values for a partnership (its overrides applied); None: the base values."""
    from reference.policy import policy

    return policy().for_partnership(partnership_id).values


def partnership_table() -> PartnershipTable:
    from reference.partnerships import partnership_table as table

    return table()


def partnership(partnership_id: str) -> Partnership | None:
    from reference.partnerships import partnership as find

    return find(partnership_id)


def training(code: str) -> Training | None:
    from reference.catalogue import training as find

    return find(code)


def trainings() -> list[Training]:
    from reference.catalogue import trainings as every

    return list(every())


def search_trainings(q: str | None) -> list[Training]:
    from reference.catalogue import search_trainings as search

    return list(search(q))
