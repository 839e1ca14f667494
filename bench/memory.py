"""Peak memory of one invocation per function, in a fresh worker process.

Every function's worker starts cold on the local runtime; API functions get one HTTP GET through
the gateway, consumers their first real SQS batch (a real envelope) from one application filed,
routed and decided. The figure is the worker's whole-process max RSS after that first
invocation (ru_maxrss), which is what Lambda reports as Max Memory Used.
"""

from __future__ import annotations

from typing import Any

from client import Api, Employer, Partnership

# A GET route without path parameters per API, and who may call it.
_ROLE_BY_PREFIX = {"/review": "partnership", "/appeals": "appeals"}


def _get_route(fn: Any) -> str | None:
    paths = [r.path for r in fn.http_routes if r.method.upper() in ("GET", "ANY") and "{" not in r.path]
    return min(paths, key=len) if paths else None


def warm_up(rt: Any, api: Api) -> None:
    """One invocation per API function, then one whole lifecycle for the consumers."""
    employer, partnership = Employer(api), Partnership(api)
    tokens = {"partnership": partnership.token, "appeals": rt.token(role="appeals", sub="bench-appeals"),
              "employer": employer.token}
    for fn in rt.template.functions:
        path = _get_route(fn)
        if path:
            role = next((r for p, r in _ROLE_BY_PREFIX.items() if path.startswith(p)), "employer")
            response = api.request("GET", path, tokens[role])
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
    app_id = employer.file()
    rt.settle(timeout=60)
    partnership.read_file(app_id)
    if not partnership.approve(app_id):
        raise RuntimeError(f"{app_id} is not in the partnership's queue after settling")
    rt.settle(timeout=60)
