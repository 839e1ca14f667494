"""kernel.aws's session knows which services exist (kernel.aws.SERVICES) instead of listing botocore's
data folders on every cold start: every client the services build is in that list, each builds, and a
name outside it fails as botocore fails for a service it does not know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from botocore.exceptions import UnknownServiceError

from kernel import aws

SERVICES = Path(__file__).resolve().parents[3] / "services"


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    aws.reset()
    yield
    aws.reset()


def test_every_client_the_services_build_is_a_known_service():
    named = set()
    for path in SERVICES.rglob("*.py"):
        named |= set(re.findall(r"""aws\.client\(["']([a-z0-9-]+)["']\)""", path.read_text(encoding="utf-8")))
    assert named and named <= aws.SERVICES, named - aws.SERVICES
    # values_client() builds the DynamoDB client by its own call.
    assert aws.SERVICES == named | {"dynamodb"}


@pytest.mark.parametrize("name", sorted(aws.SERVICES))
def test_each_known_service_builds_a_client_with_its_operations(offline, name):
    client = aws.client(name)
    assert client.meta.service_model.service_name == name
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.service_model.operation_names


def test_an_unknown_service_fails_as_botocore_fails(offline):
    with pytest.raises(UnknownServiceError):
        aws.client("sqs")


def test_the_loader_keeps_botocores_search_paths(offline, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    aws.reset()
    paths = aws.session().get_component("data_loader").search_paths
    assert str(tmp_path) in paths and any(p.endswith("botocore/data") for p in paths)
