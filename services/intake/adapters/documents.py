"""Document bytes in the documents bucket: presigned PUT URLs out, the stored object read back.

Keys are ``applications/<application id>/<random>``: random so that nobody can guess another
company's upload, prefixed by the application so that a key belongs to one application and the
bucket's lifecycle rule finds it.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from kernel import aws

from intake.domain.documents import MAX_BYTES, SNIFF_BYTES, StoredObject

_CHUNK = 1024 * 1024


class DocumentStorage(Protocol):
    bucket: str

    def upload_url(self, key: str, content_type: str, expires_in: int) -> tuple[str, dict[str, str]]:
        """A URL to PUT the bytes to, and the headers the PUT must carry."""

    def read(self, key: str) -> StoredObject | None:
        """Size, first bytes and SHA-256 of the object, or None when nothing was uploaded."""

    def delete(self, key: str) -> int:
        """Remove the object (every version: it may be a criminal-record extract); returns how
        many versions and delete markers were removed."""


def digest(chunks) -> tuple[int, bytes, str]:  # noqa: ANN001 - any iterable of bytes
    sha, size, head = hashlib.sha256(), 0, b""
    for chunk in chunks:
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        sha.update(chunk)
        size += len(chunk)
    return size, head, sha.hexdigest()


class S3DocumentStorage:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def upload_url(self, key: str, content_type: str, expires_in: int) -> tuple[str, dict[str, str]]:
        url = aws.client("s3").generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=expires_in,
            HttpMethod="PUT",
        )
        # Content-Type is part of the signature: a PUT with another type is refused by S3.
        return url, {"Content-Type": content_type}

    def read(self, key: str) -> StoredObject | None:
        s3 = aws.client("s3")
        try:
            response = s3.get_object(Bucket=self.bucket, Key=key)
        except s3.exceptions.NoSuchKey:
            return None
        body = response["Body"]
        try:
            if response["ContentLength"] > MAX_BYTES:
                # Too big to be what was declared; no need to hash it.
                return StoredObject(response["ContentLength"], body.read(SNIFF_BYTES), "", response.get("VersionId"))
            size, head, sha = digest(body.iter_chunks(_CHUNK))
        finally:
            body.close()
        return StoredObject(size, head, sha, response.get("VersionId"))

    def delete(self, key: str) -> int:
        s3 = aws.client("s3")
        targets = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for page in s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=key)
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            if v["Key"] == key
        ]
        # delete_objects takes at most 1000 keys per call.
        for start in range(0, len(targets), 1000):
            response = s3.delete_objects(Bucket=self.bucket, Delete={"Objects": targets[start:start + 1000], "Quiet": True})
            if response.get("Errors"):
                # Reported per key, not raised: raise so the caller's message is retried.
                raise RuntimeError(f"S3 kept {len(response['Errors'])} version(s) of {key}: {response['Errors'][0].get('Code')}")
        return len(targets)


class InMemoryDocumentStorage:
    def __init__(self, bucket: str = "documents") -> None:
        self.bucket = bucket
        self.objects: dict[str, bytes] = {}

    def upload_url(self, key: str, content_type: str, expires_in: int) -> tuple[str, dict[str, str]]:
        return f"https://uploads.example/{key}?expires={expires_in}", {"Content-Type": content_type}

    def read(self, key: str) -> StoredObject | None:
        data = self.objects.get(key)
        if data is None:
            return None
        size, head, sha = digest([data])
        return StoredObject(size, head, sha)

    def delete(self, key: str) -> int:
        return 0 if self.objects.pop(key, None) is None else 1
