"""The botocore data the build writes (kernel/aws_data.py) changes nothing a function sends: every
service of kernel.aws.SERVICES resolves the same endpoint in every region of every partition, its
clients build the same HTTP requests (URL, target, body) for the calls the services make, and its
models have the same operations and shapes; only parsing is cheaper. No request leaves the process
(``before-send`` answers each), so this runs without moto."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import botocore
import botocore.loaders
import botocore.regions
import botocore.session
import pytest

from kernel import aws, aws_data

BOTOCORE_DATA = Path(botocore.__file__).parent / "data"

# One call per service as the services make it (adapters), with the parameters that shape the request.
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "dynamodb": ("transact_write_items", {"TransactItems": [{"Put": {
        "TableName": "t", "Item": {"pk": {"S": "A#1"}, "sk": {"S": "A#1"}, "n": {"N": "3"}},
        "ConditionExpression": "attribute_not_exists(pk) OR #v = :v",
        "ExpressionAttributeNames": {"#v": "version"}, "ExpressionAttributeValues": {":v": {"N": "2"}}}}],
        "ClientRequestToken": "token-1"}),
    "s3": ("put_object", {"Bucket": "notices", "Key": "employers/0403170701/n.pdf", "Body": b"%PDF-1.7",
                          "ContentType": "application/pdf", "ServerSideEncryption": "aws:kms",
                          "Metadata": {"kind": "decision"}}),
    "sns": ("publish_batch", {"TopicArn": "arn:aws:sns:eu-west-1:123456789012:t", "PublishBatchRequestEntries": [
        {"Id": "1", "Message": "{}", "MessageAttributes": {"name": {"DataType": "String", "StringValue": "X"}}}]}),
    "ses": ("send_raw_email", {"RawMessage": {"Data": b"From: a@b\r\n\r\nx"}, "ConfigurationSetName": "c"}),
    "scheduler": ("create_schedule", {
        "Name": "n", "GroupName": "g", "ScheduleExpression": "at(2027-01-04T09:00:00)",
        "ScheduleExpressionTimezone": "Europe/Brussels", "FlexibleTimeWindow": {"Mode": "OFF"},
        "ActionAfterCompletion": "DELETE", "ClientToken": "token-1",
        "Target": {"Arn": "arn:aws:sns:eu-west-1:123456789012:t", "RoleArn": "arn:aws:iam::123456789012:role/r",
                   "Input": "{}"}}),
    "secretsmanager": ("get_secret_value", {"SecretId": "portal/oidc"}),
}


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("artefact") / aws_data.FOLDER
    aws_data.write(BOTOCORE_DATA, folder, aws.SERVICES)
    return folder


def _session(extra: list[str] | None) -> Any:
    session = botocore.session.Session()
    session.register_component("data_loader", botocore.loaders.Loader(extra_search_paths=extra))
    return session


def test_every_known_service_has_a_call_here():
    assert set(CALLS) == aws.SERVICES


def test_the_files_are_a_small_part_of_what_botocore_parses(trimmed):
    sizes = {p.relative_to(trimmed): p.stat().st_size for p in trimmed.rglob("*.json")}
    assert (BOTOCORE_DATA / "endpoints.json").stat().st_size > 20 * (trimmed / "endpoints.json").stat().st_size
    assert len(sizes) == 1 + len(aws.SERVICES)


@pytest.mark.parametrize("service", sorted(aws.SERVICES))
def test_the_same_endpoint_in_every_region_of_every_partition(trimmed, service):
    full = botocore.regions.EndpointResolver(json.loads((BOTOCORE_DATA / "endpoints.json").read_bytes()))
    mine = botocore.regions.EndpointResolver(json.loads((trimmed / "endpoints.json").read_bytes()))
    assert mine.get_available_partitions() == full.get_available_partitions()
    regions = 0
    for partition in full.get_available_partitions():
        assert mine.get_available_endpoints(service, partition) == full.get_available_endpoints(service, partition)
        for region in full.get_available_endpoints(service, partition) + ["eu-west-1", "us-east-1"]:
            assert mine.construct_endpoint(service, region, partition) == \
                full.construct_endpoint(service, region, partition), (partition, region)
            regions += 1
    assert regions > 10


@pytest.mark.parametrize("service", sorted(aws.SERVICES))
def test_the_same_operations_and_shapes(trimmed, service):
    full = _session(None).get_service_model(service)
    mine = _session([str(trimmed)]).get_service_model(service)
    assert mine.api_version == full.api_version and mine.metadata == full.metadata
    assert mine.operation_names == full.operation_names
    assert mine.shape_names == full.shape_names
    for name in full.operation_names:
        a, b = full.operation_model(name), mine.operation_model(name)
        assert aws_data.without_documentation(a._operation_model) == b._operation_model, name  # noqa: SLF001
    for name in full.shape_names:
        a, b = full.shape_for(name), mine.shape_for(name)
        assert aws_data.without_documentation(a._shape_model) == b._shape_model, name  # noqa: SLF001
        assert b.documentation == ""


def _sent(session: Any, service: str, region: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def capture(request: Any, **_: Any) -> Any:
        body = request.body.read() if hasattr(request.body, "read") else request.body  # S3: aws-chunked
        seen.update(url=request.url, method=request.method, body=body,
                    headers={k: v for k, v in request.headers.items()
                             if k.lower() in ("content-type", "x-amz-target", "content-md5", "x-amz-meta-kind",
                                              "x-amz-server-side-encryption")})
        raise _Sent

    client = session.create_client(service, region_name=region, aws_access_key_id="AKIAFAKE",
                                   aws_secret_access_key="fake")
    client.meta.events.register("before-send", capture)
    operation, params = CALLS[service]
    with pytest.raises(_Sent):
        getattr(client, operation)(**params)
    return seen


class _Sent(Exception):
    pass


@pytest.mark.parametrize("region", ["eu-west-1", "us-east-1", "eu-central-1"])
@pytest.mark.parametrize("service", sorted(aws.SERVICES))
def test_the_same_request_for_the_calls_the_services_make(trimmed, service, region, monkeypatch):
    for name in ("AWS_ENDPOINT_URL", f"AWS_ENDPOINT_URL_{service.upper()}", "AWS_PROFILE", "AWS_DATA_PATH"):
        monkeypatch.delenv(name, raising=False)
    assert _sent(_session([str(trimmed)]), service, region) == _sent(_session(None), service, region)


def test_kernel_aws_reads_the_folder_beside_the_code_before_botocores(trimmed, monkeypatch):
    code = trimmed.parent
    (code / "kernel").mkdir(exist_ok=True)
    monkeypatch.setattr(aws, "__file__", str(code / "kernel" / "aws.py"))
    monkeypatch.delenv("AWS_DATA_PATH", raising=False)
    aws.reset()
    try:
        loader = aws.session().get_component("data_loader")
        _, path = loader.load_data_with_path("endpoints")
        assert Path(path).parent == trimmed
        _, model = loader.load_data_with_path(os.path.join("s3", "2006-03-01", "service-2"))
        assert Path(model).is_relative_to(trimmed)
    finally:
        aws.reset()
