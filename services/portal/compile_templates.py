"""Writes compiled_templates/: every template compiled ahead of time into Python (handlers/views.py).

    PYTHONPATH=services:infra .venv/bin/python -m portal.compile_templates

Run it after changing a template; tests/unit/portal fails while a compile is stale or missing.
"""

from __future__ import annotations

from portal.handlers.views import COMPILED, compiled_templates


def main() -> int:
    wanted = compiled_templates()
    COMPILED.mkdir(exist_ok=True)
    for stale in COMPILED.glob("*.compiled"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        path = COMPILED / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    print(f"{len(wanted)} templates compiled into {COMPILED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
