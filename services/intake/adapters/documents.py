"""Document bytes in the documents bucket: presigned PUT URLs out, the stored object read back.

Keys are ``applications/<application id>/<random>``: random so that nobody can guess another
company's upload, prefixed by the application so that a key belongs to one application.

An upload URL can be used for its whole 15 minutes and cannot be revoked, so S3 itself must refuse
what the application would not accept. The URL signs the declared Content-Type and Content-Length
(S3 refuses another type or size) and ``If-None-Match: *`` (S3 writes the key once, and refuses
any later PUT while the object is there: 412). A removed or purged document leaves a
``TOMBSTONE`` (an empty object) under its key, so a URL still valid cannot recreate it; the
bucket's lifecycle rule removes tombstones after a day (infra/template.yaml).
"""

from __future__ import annotations

import hashlib

from intake.domain.documents import MAX_BYTES, SNIFF_BYTES, StoredObject
from kernel import aws

_CHUNK = 1024 * 1024
# Empty: no document is (RegisterDocument requires size_bytes >= 1), which is how the lifecycle
# rule tells a tombstone from a document.
TOMBSTONE = b""


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

    def upload_url(self, key: str, content_type: str, size_bytes: int, expires_in: int) -> tuple[str, dict[str, str]]:
        headers = {"Content-Type": content_type, "Content-Length": str(size_bytes), "If-None-Match": "*"}
        url = aws.client("s3").generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type,
                    "ContentLength": size_bytes, "IfNoneMatch": "*"},
            ExpiresIn=expires_in,
            HttpMethod="PUT",
        )
        # The three headers are signed (X-Amz-SignedHeaders): a PUT without them, or with another
        # value, fails S3's signature check (403); a second PUT fails the condition (412).
        return url, headers

    def read(self, key: str) -> StoredObject | None:
        s3 = aws.client("s3")
        try:
            response = s3.get_object(Bucket=self.bucket, Key=key)
        except s3.exceptions.NoSuchKey:
            return None
        body = response["Body"]
        if response["ContentLength"] == len(TOMBSTONE):
            body.close()
            return None  # a sealed key: the document was removed
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
        # The tombstone first, unconditionally: from here on every upload URL for the key fails
        # its If-None-Match, and whatever an upload wrote before is an older version, deleted below.
        seal = s3.put_object(Bucket=self.bucket, Key=key, Body=TOMBSTONE, ContentType="application/octet-stream")
        targets = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for page in s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=key)
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            if v["Key"] == key and v["VersionId"] != seal.get("VersionId")
        ]
        # delete_objects takes at most 1000 keys per call.
        for start in range(0, len(targets), 1000):
            response = s3.delete_objects(
                Bucket=self.bucket, Delete={"Objects": targets[start : start + 1000], "Quiet": True}
            )
            if response.get("Errors"):
                # Reported per key, not raised: raise so the caller's message is retried.
                raise RuntimeError(
                    f"S3 kept {len(response['Errors'])} version(s) of {key}: {response['Errors'][0].get('Code')}"
                )
        return len(targets)
