"""Tables and buckets for integration tests, as infra/template.yaml declares them (read by the local
runtime's loader and created by its provisioning code), so a test's key schema cannot drift from the
deployed one. Call inside ``mock_aws()`` (or against any endpoint boto3's default session reaches)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import boto3

from localrt.provision import create_bucket, create_table
from localrt.template import Template, load_template

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"


@functools.cache
def template() -> Template:
    return load_template(TEMPLATE)


def table(logical_id: str, name: str | None = None, client: Any = None) -> str:
    """Creates the template's table ``logical_id`` (e.g. "IntakeTable"), named ``name``; returns the name.
    Raises KeyError if the template has no such table."""
    declared = {t.logical_id: t for t in template().tables}[logical_id]
    return create_table(client or boto3.client("dynamodb"), declared, name)


def bucket(logical_id: str, name: str | None = None, client: Any = None) -> str:
    """Creates the template's bucket ``logical_id`` (e.g. "DocumentsBucket"), named ``name``; returns the name.
    Raises KeyError if the template has no such bucket."""
    declared = {b.logical_id: b for b in template().buckets}[logical_id]
    return create_bucket(client or boto3.client("s3"), declared, name)


def offline_credentials(monkeypatch: Any) -> None:
    """The environment for moto's in-process mock: a region, dummy credentials, and no endpoint override (a local
    runtime's AWS_ENDPOINT_URL would send the calls past the mock)."""
    for name, value in {"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
