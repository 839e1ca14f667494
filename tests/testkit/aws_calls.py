"""What the session runtime's functions called on AWS (localrt/call_counter.py writes it per worker)."""

from __future__ import annotations

import json
from pathlib import Path


def assert_every_call_was_held_against_its_policy(directory: Path) -> None:
    """Each function called only services whose calls the local stack holds against the
    function's IAM policy (localrt/_strict.py ENFORCED_SERVICES): a call to any other service
    would pass here whatever the template grants, and could fail on AWS."""
    from localrt._strict import ENFORCED_SERVICES

    unchecked: dict[str, set[str]] = {}
    for report in directory.glob("*.json"):
        data = json.loads(report.read_text(encoding="utf-8"))
        for operation in data["calls"]:
            service = operation.split(".", 1)[0]
            if service not in ENFORCED_SERVICES:
                unchecked.setdefault(data["function"], set()).add(operation.split("#", 1)[0])
    assert not unchecked, f"calls the local stack does not check against IAM (teach localrt/_strict.py): {unchecked}"

