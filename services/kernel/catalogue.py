"""Export the event catalogue: one JSON Schema per event name and version.

`make catalogue` writes events/catalogue/<Name>.v<N>.json. The files are committed: they are the
published contract, and tests/contract fails when a model drifts from its file in a way that
breaks consumers (see is_compatible).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kernel.events import CATALOGUE


def schema_for(name: str, version: int) -> dict[str, Any]:
    schema = CATALOGUE[(name, version)].model_json_schema(mode="serialization")
    schema["title"] = f"{name} v{version}"
    schema["x-event-name"] = name
    schema["x-event-version"] = version
    return schema


def file_name(name: str, version: int) -> str:
    return f"{name}.v{version}.json"


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"].split("/")[-1]
        return _resolve(schema, schema.get("$defs", {})[ref])
    return node


def incompatibilities(old: dict[str, Any], new: dict[str, Any], path: str = "data") -> list[str]:
    """What in ``new`` breaks a consumer written against ``old``: a removed or retyped field, or
    a new required field. Adding optional fields is allowed within a version."""
    return _compare(old, old, new, new, path)


def _compare(old_root: dict, old: Any, new_root: dict, new: Any, path: str) -> list[str]:
    old, new = _resolve(old_root, old), _resolve(new_root, new)
    problems: list[str] = []
    if not isinstance(old, dict) or not isinstance(new, dict):
        return problems
    if old.get("type") != new.get("type"):
        problems.append(f"{path}: type {old.get('type')} became {new.get('type')}")
        return problems
    if "enum" in old or "const" in old:
        if old.get("enum") != new.get("enum") or old.get("const") != new.get("const"):
            problems.append(f"{path}: allowed values changed")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for field, old_field in old_props.items():
        if field not in new_props:
            problems.append(f"{path}.{field}: removed")
        else:
            problems.extend(_compare(old_root, old_field, new_root, new_props[field], f"{path}.{field}"))
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    for field in sorted(added_required):
        problems.append(f"{path}.{field}: became required")
    if "items" in old and "items" in new:
        problems.extend(_compare(old_root, old["items"], new_root, new["items"], f"{path}[]"))
    for key in ("anyOf", "oneOf"):
        if key in old and key in new and len(old[key]) == len(new[key]):
            for i, (a, b) in enumerate(zip(old[key], new[key], strict=True)):
                problems.extend(_compare(old_root, a, new_root, b, f"{path}<{i}>"))
    return problems


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, version in sorted(CATALOGUE):
        target = directory / file_name(name, version)
        target.write_text(json.dumps(schema_for(name, version), indent=2, sort_keys=True) + "\n")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "events/catalogue")):
        print(path)
