"""botocore's data for the functions, without what they never read: written by the build, read by kernel.aws.

A client's first cost in a cold start is parsing JSON: endpoints.json (1.2 MB, every service of every
partition) for the first client, then each service's model, mostly its documentation (S3's is 1.4 MB
of which 0.2 MB describes the API). The build (services/Makefile, for `sam build` and the local
runtime's artefact alike) runs this module on the botocore it packages and writes, into FOLDER beside
the code:

- ``endpoints.json`` with every partition as botocore ships it and, of its services, only
  kernel.aws.SERVICES (the services the functions call);
- ``<service>/<version>/service-2.json`` of each of those services, the latest version botocore has,
  with every ``documentation`` text empty (botocore reads them only to write docstrings).

kernel.aws's loader searches FOLDER before botocore's own data, so these are what it finds; the rest
(endpoint rule sets, paginators, extras, partitions) is botocore's. Nothing else changes: the same
operations, shapes, protocols and endpoints (tests/unit/kernel/test_aws_data.py compares the requests
and endpoints built from both). Run from services/ as ``python -m kernel.aws_data <botocore data> <target>``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from kernel.aws import SERVICES

FOLDER = "botocore_data"


def without_documentation(value: Any) -> Any:
    """``value`` with every documentation text empty. The keys stay: botocore reads some of them
    unguarded (a client context parameter's), and a member may be named ``documentation``."""
    if isinstance(value, dict):
        return {k: "" if k == "documentation" and isinstance(v, str) else without_documentation(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [without_documentation(v) for v in value]
    return value


def _read(path: Path) -> Any:
    """``<name>.json``, or botocore's compressed ``<name>.json.gz``."""
    if path.exists():
        return json.loads(path.read_bytes())
    return json.loads(gzip.decompress(path.with_name(path.name + ".gz").read_bytes()))


def _latest_version(source: Path, service: str) -> str:
    versions = sorted(d.name for d in (source / service).iterdir()
                      if (d / "service-2.json").exists() or (d / "service-2.json.gz").exists())
    if not versions:
        raise FileNotFoundError(f"{source / service}: no service-2 model")
    return versions[-1]


def write(source: Path, target: Path, services: frozenset[str]) -> None:
    """Writes FOLDER's files for ``services`` from botocore's data folder ``source`` into ``target``."""
    endpoints = _read(source / "endpoints.json")
    endpoints["partitions"] = [
        {**partition, "services": {k: v for k, v in partition["services"].items() if k in services}}
        for partition in endpoints["partitions"]
    ]
    _dump(endpoints, target / "endpoints.json")
    for service in sorted(services):
        version = _latest_version(source, service)
        model = without_documentation(_read(source / service / version / "service-2.json"))
        _dump(model, target / service / version / "service-2.json")


def _dump(value: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, separators=(",", ":")), encoding="utf-8")  # in order: members serialise in it


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m kernel.aws_data <botocore data folder> <target folder>", file=sys.stderr)
        return 2
    write(Path(argv[0]), Path(argv[1]), SERVICES)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
