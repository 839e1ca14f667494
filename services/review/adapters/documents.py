"""Short-lived download links to the documents bucket (presigned GET; the link is its own
authorisation, so it is handed out only after the caller was checked, and is logged)."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _s3() -> Any:
    import boto3
    from botocore.config import Config

    # Signature V4: SigV2 links are refused by buckets in newer regions and ignore the expiry cap.
    return boto3.client("s3", config=Config(signature_version="s3v4"))


class S3DocumentLinks:
    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    def download_url(self, key: str, filename: str, expires_in: int) -> str:
        from kernel.filenames import content_disposition

        return _s3().generate_presigned_url(
            "get_object",
            # RFC 6266: a raw non-Latin-1 name in this header breaks the download.
            Params={"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": content_disposition(filename)},
            ExpiresIn=expires_in,
        )


def reset() -> None:
    """Forget the cached client (tests that start a new moto)."""
    _s3.cache_clear()
