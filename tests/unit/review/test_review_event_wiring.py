"""The bus edge names its use cases as strings (imported at the first event): each must exist."""

from kernel.consumer import resolve_use_case
from review.handlers.events import HANDLERS


def test_every_use_case_named_by_the_bus_edge_exists():
    steps = [step for handler in HANDLERS.values() for step in handler.steps]
    assert len(steps) == len(HANDLERS)
    for step in steps:
        assert callable(resolve_use_case("review.service", step)), step
