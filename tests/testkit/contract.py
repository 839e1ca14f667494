"""Every answer the API gives must be one its OpenAPI document describes: the status, the media type, and
for a JSON body its schema. ``ContractCheck`` is a requests response hook (``Api.response_hooks``): the e2e
tier installs it, so a test that receives an undocumented answer fails where it made the call.

Only requests to an operation of the document are judged: the local routes (``/_local/*``), the portal's
pages and presigned S3 URLs are not part of the API's contract.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import requests
from jsonschema import Draft202012Validator


class ContractViolation(AssertionError):
    pass


def _template_pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")


class ContractCheck:
    def __init__(self, document: dict[str, Any], base_url: str) -> None:
        self.document, self.base = document, urlsplit(base_url)
        # Literal paths before templated ones: /register/verify is not /register/{x}.
        self._paths = sorted(((_template_pattern(p), p) for p in document["paths"]), key=lambda x: x[1].count("{"))
        self._validators: dict[str, Draft202012Validator] = {}
        self._lock = threading.Lock()
        self.checked: Counter[str] = Counter()  # "POST /applications 201" -> responses checked

    @classmethod
    def of_runtime(cls, base_url: str) -> ContractCheck:
        document = requests.get(base_url + "/openapi.json", timeout=60).json()
        return cls(document, base_url)

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, template in self._paths:
            if pattern.match(path):
                found = self.document["paths"][template].get(method.lower())
                if found is not None:
                    return template, found
        return None

    def _validator(self, key: str, schema: dict[str, Any]) -> Draft202012Validator:
        with self._lock:
            if key not in self._validators:
                # The schema's "#/components/..." references resolve against the document's components.
                self._validators[key] = Draft202012Validator({**schema, "components": self.document["components"]})
            return self._validators[key]

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.check(response)
        return response

    def check(self, response: requests.Response) -> None:
        url = urlsplit(response.request.url or "")
        if (url.scheme, url.netloc) != (self.base.scheme, self.base.netloc):
            return  # S3, the OpenID provider on another port
        method = response.request.method or "GET"
        found = self.operation(method, url.path)
        if found is None:
            return  # /_local/*, the portal's pages, a path the API does not have (a 404 of the gateway)
        template, operation = found
        where = f"{method} {template} {response.status_code}"
        documented = operation["responses"].get(str(response.status_code))
        if documented is None:
            raise ContractViolation(f"{where}: status not documented (documented: {sorted(operation['responses'])}); "
                                    f"body {response.text[:300]}")
        content = documented.get("content") or {}
        media_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
        if not content:
            if response.content:
                raise ContractViolation(f"{where}: a body where the document says none: {response.text[:200]}")
        elif media_type not in content:
            raise ContractViolation(f"{where}: media type {media_type!r}, documented {sorted(content)}")
        elif media_type.endswith("json"):
            schema = content[media_type].get("schema") or {}
            errors = sorted(self._validator(f"{where} {media_type}", schema).iter_errors(response.json()),
                            key=lambda e: list(e.absolute_path))
            if errors:
                details = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:200]}"
                                    for e in errors[:5])
                raise ContractViolation(f"{where}: body does not match the documented schema: {details}")
        with self._lock:
            self.checked[where] += 1
