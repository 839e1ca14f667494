"""kernel.coldstart: in an execution environment every handler's import pauses the cyclic GC, and its
first invocation freezes what INIT made and resumes the GC, whether it succeeds or raises; outside one
(a test, a tool) importing a service leaves the GC alone.

Each case runs in a fresh interpreter, as a worker starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from testkit.apigw import http_event

from localrt.template import load_template

ROOT = Path(__file__).resolve().parents[3]
HANDLERS = sorted({fn.handler for fn in load_template(ROOT / "infra" / "template.yaml").functions})

PROBE = """
import gc, importlib, json, sys
handler, event = sys.argv[1], json.loads(sys.argv[2])
module, _, name = handler.rpartition(".")
function = getattr(importlib.import_module(module), name)
after_import = gc.isenabled()

class Context:
    function_name, memory_limit_in_mb, aws_request_id = "probe", 256, "req-1"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:probe"
    def get_remaining_time_in_millis(self):
        return 30000

try:
    function(event, Context())
    raised = False
except Exception:
    raised = True
print(json.dumps({"after_import": after_import, "after_first": gc.isenabled(), "frozen": gc.get_freeze_count(),
                  "raised": raised}))
"""


def _probe(handler: str, event: dict, *, in_lambda: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
    env |= {"PYTHONPATH": str(ROOT / "services"), "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "TABLE_NAME": "t", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
            "EVENT_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:t"}
    if in_lambda:
        env["AWS_LAMBDA_FUNCTION_NAME"] = "probe"
    run = subprocess.run([sys.executable, "-c", PROBE, handler, json.dumps(event)], env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _event(handler: str) -> dict:
    if ".events." in handler or "mail_events" in handler:
        return {"Records": []}
    return http_event("GET", "/no-such-route")


@pytest.mark.parametrize("handler", HANDLERS)
def test_the_first_invocation_resumes_the_collector_paused_by_the_import(handler):
    seen = _probe(handler, _event(handler))
    assert seen["after_import"] is False, "the import did not pause the GC"
    assert seen["after_first"] is True, "the first invocation left the GC paused"
    assert seen["frozen"] > 10_000  # what INIT made is out of the collections


def test_an_invocation_that_raises_resumes_it_too():
    seen = _probe("intake.handlers.events.handler", {"Records": "not a list"})
    assert seen == {**seen, "after_import": False, "after_first": True, "raised": True}


def test_outside_an_execution_environment_the_collector_is_left_alone():
    seen = _probe("intake.handlers.api.handler", _event("intake.handlers.api.handler"), in_lambda=False)
    assert seen["after_import"] is True and seen["after_first"] is True and seen["frozen"] == 0
