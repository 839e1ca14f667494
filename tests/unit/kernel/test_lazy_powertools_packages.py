"""kernel.powertools: the HTTP edge loads Powertools' REST resolver without the event_handler and
data_classes package __init__ modules (every other resolver, asyncio, every event source's class),
and code that uses those packages still gets what their __init__ would have given it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str) -> str:
    env = {"PYTHONPATH": "services:infra", "PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "eu-west-1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, env=env)
    return out.stdout.strip()


def test_an_api_handler_loads_neither_appsync_nor_asyncio_nor_every_event_source():
    code = (
        "import sys\n"
        "import intake.handlers.api, review.handlers.api, appeal.handlers.api, notification.handlers.api\n"
        "import routing.handlers.api, apidocs.handler\n"
        "loaded = [m for m in sys.modules if m == 'asyncio' or 'appsync' in m or m.endswith(('.kinesis_stream_event',"
        " '.s3_event', '.code_pipeline_job_event', '.bedrock_agent_function'))]\n"
        "print(loaded)\n"
    )
    assert _run(code) == "[]"


def test_the_packages_names_are_the_objects_their_init_gives():
    code = (
        "import kernel.http\n"
        "import aws_lambda_powertools.event_handler as eh\n"
        "import aws_lambda_powertools.utilities.data_classes as dc\n"
        "from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response\n"
        "from aws_lambda_powertools.utilities.data_classes.api_gateway_proxy_event import APIGatewayProxyEventV2\n"
        "same = eh.Response is Response and eh.APIGatewayHttpResolver is APIGatewayHttpResolver\n"
        "same = same and dc.APIGatewayProxyEventV2 is APIGatewayProxyEventV2\n"
        # A name the lazy map does not hold runs the real __init__: everything it defines is there.
        "from aws_lambda_powertools.event_handler import AppSyncResolver, __all__ as names\n"
        "print(same, all(hasattr(eh, n) for n in names), AppSyncResolver.__module__)\n"
    )
    assert _run(code) == "True True aws_lambda_powertools.event_handler.appsync"
