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
        safe_name = filename.replace('"', "").replace("\\", "")
        params = {"Bucket": self._bucket, "Key": key,
                  "ResponseContentDisposition": f'attachment; filename="{safe_name}"'}
        if version_id:
            params["VersionId"] = version_id
        return aws.client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
