"""The procedure's day is the Brussels date (DOMAIN.md: every term is counted in Belgian days)."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from testkit.clock import Clock

from kernel import clock

UTC = UTC
SERVICES = Path(__file__).resolve().parents[3] / "services"


@pytest.fixture
def at():
    yield Clock().at
    Clock.reset()


@pytest.mark.parametrize("instant,day", [
    (datetime(2026, 1, 15, 22, 59, 59, tzinfo=UTC), date(2026, 1, 15)),  # 23:59:59 in Brussels (CET)
    (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 16)),      # 00:30 in Brussels
    (datetime(2026, 7, 15, 21, 59, 59, tzinfo=UTC), date(2026, 7, 15)),  # 23:59:59 in Brussels (CEST)
    (datetime(2026, 7, 15, 22, 30, tzinfo=UTC), date(2026, 7, 16)),      # 00:30 in Brussels
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 1, 1)),      # New Year in Brussels first
])
def test_today_is_the_brussels_date_of_now(at, instant, day):
    at(instant)
    assert clock.today() == day


def _utc_date_uses(path: Path) -> list[str]:
    """Calls that take a date from an instant without going through Brussels."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, owner = node.func.attr, node.func.value
        if name == "date" and not node.args and not node.keywords:
            found.append(f"{path.relative_to(SERVICES)}:{node.lineno} .date()")
        if name in ("today", "utcnow") and isinstance(owner, ast.Name) and owner.id in ("date", "datetime"):
            found.append(f"{path.relative_to(SERVICES)}:{node.lineno} {owner.id}.{name}()")
    return found


def test_no_service_takes_the_utc_date_of_an_instant():
    # kernel.calendar.local_date is the one place an instant becomes a date (in Brussels).
    allowed = {SERVICES / "kernel" / "calendar.py"}
    uses = [use for path in sorted(SERVICES.rglob("*.py")) if path not in allowed for use in _utc_date_uses(path)]
    assert uses == []
