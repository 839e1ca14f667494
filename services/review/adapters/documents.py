"""Short-lived download links to the documents bucket (presigned GET; the link is its own
authorisation, so it is handed out only after the caller was checked and is logged)."""

from __future__ import annotations

from kernel import aws


class S3DocumentLinks:
    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    def download_url(self, key: str, filename: str, expires_in: int) -> str:
        safe_name = filename.replace('"', "")
        return aws.client("s3").generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": key,
                    "ResponseContentDisposition": f'attachment; filename="{safe_name}"'},
            ExpiresIn=expires_in,
        )
