"""The bus edge names its use cases as strings (imported at the first event, not at cold start):
every name must resolve, or a typo would only show when that event arrives."""

from intake.handlers.events import HANDLERS, use_case


def test_every_use_case_named_by_the_bus_edge_exists():
    steps = [step for handler in HANDLERS.values() for step in getattr(handler, "steps", ())]
    assert len(steps) >= 13
    for step in steps:
        assert callable(use_case(step)), step
