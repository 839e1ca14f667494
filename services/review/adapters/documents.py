"""Short-lived download links to the documents bucket (presigned GET; the link is its own
authorisation, so it is handed out only after the caller was checked, and is logged)."""

from __future__ import annotations

from kernel import aws


class S3DocumentLinks:
    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    def download_url(self, key: str, filename: str, expires_in: int, version_id: str | None = None) -> str:
        """A presigned GET for the object version that intake verified at submission: whatever
        happens to the key later, the partnership reads exactly the bytes that were checked."""
        from kernel.filenames import content_disposition

        # RFC 6266: a raw non-Latin-1 name in this header breaks the download.
        params = {"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": content_disposition(filename)}
        if version_id:
            params["VersionId"] = version_id
        return aws.client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
