"""Short-lived download links to the documents bucket (presigned GET; the link is its own
authorisation, so it is handed out only after the caller was checked, and is logged)."""

from __future__ import annotations

from urllib.parse import quote

from kernel import aws

# RFC 8187 attr-char: what may stand unescaped in filename*=UTF-8''...
_ATTR_CHARS = "!#$&+-.^_`|~"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """A Content-Disposition header per RFC 6266: an ASCII fallback and the UTF-8 name, so any
    script survives and nothing in the name can break out of the header."""
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in name) or "document"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe=_ATTR_CHARS)}"


class S3DocumentLinks:
    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    def download_url(self, key: str, filename: str, expires_in: int, version_id: str | None = None) -> str:
        """A presigned GET for the object version that intake verified at submission: whatever
        happens to the key later, the partnership reads exactly the bytes that were checked."""
        # RFC 6266: a raw non-Latin-1 name in this header breaks the download.
        params = {"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": content_disposition(filename)}
        if version_id:
            params["VersionId"] = version_id
        return aws.client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
