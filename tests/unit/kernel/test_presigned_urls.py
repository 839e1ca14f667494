"""Every URL the system hands out is a Signature V4 URL on the bucket's regional endpoint, in
every region the template can be deployed to (it is partition-aware: ${AWS::Partition}).

botocore's default S3 client signs presigned URLs with Signature V2 in us-east-1 and eu-west-1,
which buckets created since June 2020 refuse; kernel.aws's client must never do that. Presigning
is local (no call is made), so this runs without moto, with fake credentials.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import boto3
import pytest

from intake.adapters.documents import S3DocumentStorage
from intake.domain.documents import UPLOAD_URL_VALID_FOR
from kernel import aws
from localrt._strict import presigned_signature
from notification.adapters.archive import S3NoticeArchive
from notification.usecases.issuing import MAIL_LINK_SECONDS
from notification.usecases.listing import PDF_LINK_SECONDS
from review.adapters.documents import S3DocumentLinks
from review.usecases.reviewing import DOWNLOAD_LINK_SECONDS

SERVICES = Path(__file__).resolve().parents[3] / "services"
_SESSION = boto3.session.Session()
REGIONS = sorted(
    {r for p in _SESSION.get_available_partitions() for r in _SESSION.get_available_regions("s3", partition_name=p)}
)
SECRET = "fake-secret-for-presigning"

# Every place in the services that presigns (the test below keeps this list complete).
PRESIGNING_MODULES = {
    "intake/adapters/documents.py",
    "review/adapters/documents.py",
    "notification/adapters/archive.py",
}


def test_the_regions_include_the_ones_the_sigv2_default_hit():
    assert {"eu-west-1", "us-east-1", "eu-central-1"} <= set(REGIONS) and len(REGIONS) > 30


@pytest.fixture
def in_region(monkeypatch):
    def enter(region: str) -> None:
        for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFORPRESIGNING")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        monkeypatch.setenv("AWS_REGION", region)
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)
        aws.reset()

    yield enter
    aws.reset()


def handed_out(region: str) -> dict[str, tuple[str, str, int, dict[str, str]]]:
    """name -> (url, bucket, expiry, headers the client sends) for every kind of link."""
    upload, headers = S3DocumentStorage("documents-bucket").upload_url(
        "applications/app-1/k3y", "application/pdf", 1234, int(UPLOAD_URL_VALID_FOR.total_seconds()))
    return {
        "upload": (upload, "documents-bucket", int(UPLOAD_URL_VALID_FOR.total_seconds()), headers),
        "document link": (S3DocumentLinks("documents-bucket").download_url(
            "applications/app-1/k3y", "extract.pdf", DOWNLOAD_LINK_SECONDS, "v3rsion"), "documents-bucket",
            DOWNLOAD_LINK_SECONDS, {}),
        "notice link": (S3NoticeArchive("notices-bucket").download_url("employers/0403170701/n.pdf", PDF_LINK_SECONDS),
                        "notices-bucket", PDF_LINK_SECONDS, {}),
        "e-mail link": (S3NoticeArchive("notices-bucket").download_url("employers/0403170701/n.pdf", MAIL_LINK_SECONDS),
                        "notices-bucket", MAIL_LINK_SECONDS, {}),
    }


@pytest.mark.parametrize("region", REGIONS)
def test_every_url_is_sigv4_on_the_regional_virtual_hosted_endpoint(in_region, region):
    in_region(region)
    for name, (url, bucket, expires, headers) in handed_out(region).items():
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        assert parts.scheme == "https", name
        assert parts.netloc.startswith(f"{bucket}.s3.{region}."), (name, parts.netloc)
        assert not {"AWSAccessKeyId", "Signature", "Expires"} & set(query), (name, "Signature V2")
        assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256", name
        key_id, day, scope_region, service, terminal = query["X-Amz-Credential"].split("/")
        assert (scope_region, service, terminal) == (region, "s3", "aws4_request"), name
        assert int(query["X-Amz-Expires"]) == expires <= 7 * 24 * 3600, name
        signed = query["X-Amz-SignedHeaders"].split(";")
        values = {"host": parts.netloc, **{k.lower(): v for k, v in headers.items()}}
        # The signature is what S3 computes (an independent implementation of Signature V4).
        assert query["X-Amz-Signature"] == presigned_signature(
            method="PUT" if name == "upload" else "GET", raw_path=parts.path,
            query=[(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)], headers=values,
            signed_headers=signed, amz_date=query["X-Amz-Date"], scope=f"{day}/{region}/s3/aws4_request",
            secret=SECRET), name
        if name == "upload":
            assert signed == ["content-length", "content-type", "host", "if-none-match"]
            assert headers == {"Content-Type": "application/pdf", "Content-Length": "1234", "If-None-Match": "*"}
        if name == "document link":
            assert query["versionId"] == "v3rsion"


def test_no_service_builds_its_own_aws_client_and_every_presigning_module_is_covered_above():
    own_clients, presigning = [], set()
    for path in SERVICES.rglob("*.py"):
        relative = path.relative_to(SERVICES).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative != "kernel/aws.py" and re.search(
            r"boto3\.(client|resource|session|Session)\b|from boto3(\.session)? import", text
        ):
            own_clients.append(relative)
        if "generate_presigned" in text:
            presigning.add(relative)
    assert own_clients == [], "build clients with kernel.aws (SigV4, regional endpoint) instead"
    assert presigning == PRESIGNING_MODULES
