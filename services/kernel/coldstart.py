"""The cyclic garbage collector waits until a cold start is over.

A cold start creates some hundred thousand objects that live as long as the execution environment
(modules, classes, pydantic schemas, botocore's service models) and almost no garbage, yet the
collector, triggered by allocation counts, walks them over and over: 20-30 ms of a cold start
(`make bench`). So importing a service's package (the first thing Python does for a handler
``<service>.handlers.api.handler``) pauses it, and the first invocation (``entry``, around every
handler) first moves all that INIT made into the permanent generation (gc.freeze: never walked again;
it stays alive anyway), then runs with the collector paused and resumes it when it returns or raises,
so the first invocation's own garbage is collected as usual afterwards.

Only in an execution environment (AWS_LAMBDA_FUNCTION_NAME is set, by Lambda and by the local
runtime): a test or tool that imports a service keeps its collector.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import Any, TypeVar

Handler = TypeVar("Handler", bound=Callable[..., Any])

_paused = False


def pause() -> None:
    """Pauses the collector for the cold start (once; outside an execution environment, never)."""
    global _paused
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and gc.isenabled() and not gc.get_freeze_count():
        gc.disable()
        _paused = True


def entry(handler: Handler) -> Handler:
    """Wraps a Lambda handler: on the first invocation after ``pause``, freezes what INIT made and
    resumes the collector when the invocation ends."""

    @functools.wraps(handler)
    def invoke(event: Any, context: Any) -> Any:
        global _paused
        if not _paused:
            return handler(event, context)
        gc.freeze()
        try:
            return handler(event, context)
        finally:
            _paused = False
            gc.enable()

    return invoke  # type: ignore[return-value]


pause()
