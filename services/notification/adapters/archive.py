"""The notices bucket: every notice is written once under its own key and never overwritten."""

from __future__ import annotations

from kernel import aws


class S3NoticeArchive:
    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    def put_once(self, key: str, pdf: bytes) -> bool:
        s3 = aws.client("s3")
        try:
            # If-None-Match makes S3 refuse the write when the key exists (412), so a redelivered
            # event or a concurrent retry can never replace an official notice.
            s3.put_object(
                Bucket=self._bucket, Key=key, Body=pdf, ContentType="application/pdf", IfNoneMatch="*",
                ContentDisposition=f'inline; filename="{key.rsplit("/", 1)[-1]}"',
            )
            return True
        except s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict"):
                return False
            raise

    def download_url(self, key: str, expires_in: int) -> str:
        # kernel.aws's S3 client signs with Signature V4 on the regional endpoint (see there).
        return aws.client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=expires_in
        )
