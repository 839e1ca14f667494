"""No function imports boto3: every client is botocore's, built by kernel.aws.

boto3 is a layer over botocore that the functions do not need (no resources, no transfer manager):
importing it, and creating clients through its default session, cost every cold start ~50 ms (about
a sixth of `make bench`'s reference, which does use boto3). What the functions took from it, the
DynamoDB value conversion, is kernel.attribute_values (tests/unit/kernel/test_attribute_values.py holds
it to boto3's behaviour).

Each check runs in a fresh interpreter, as a worker starts: every handler of the template is imported,
and every kind of client kernel.aws builds is built (building is local: no call is made).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from localrt.template import load_template

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import importlib, sys
for handler in sys.argv[1:]:
    module, _, name = handler.rpartition(".")
    getattr(importlib.import_module(module), name)
from kernel import aws
[aws.client(name) for name in sorted(aws.SERVICES)], aws.values_client()
aws.table("any-table")
loaded = sorted(m for m in sys.modules if m == "boto3" or m.startswith("boto3."))
print(",".join(loaded))
"""


def test_no_handler_and_no_client_of_kernel_aws_imports_boto3():
    handlers = sorted({fn.handler for fn in load_template(ROOT / "infra" / "template.yaml").functions})
    assert len(handlers) >= 10
    env = {**os.environ, "PYTHONPATH": str(ROOT / "services"), "AWS_DEFAULT_REGION": "eu-west-1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "TABLE_NAME": "t",
           "EVENT_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:t"}
    probe = subprocess.run([sys.executable, "-c", PROBE, *handlers], env=env, capture_output=True, text=True,
                           timeout=120, check=False)
    assert probe.returncode == 0, probe.stderr[-3000:]
    assert probe.stdout.strip() == "", f"boto3 modules loaded: {probe.stdout.strip()}"
