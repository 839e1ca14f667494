"""``python -m localrt [--template infra/template.yaml] [--port N] [--quiet]``

Starts the whole system locally and serves until Ctrl-C or SIGTERM. While it runs,
``.local/runtime.json`` says where (``url``, ``endpoint_url``), for tools such as tools/redrive.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading

from .runtime import DEFAULT_TEMPLATE, REPO_ROOT, LocalRuntime

RUNTIME_FILE = REPO_ROOT / ".local" / "runtime.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localrt", description=__doc__.splitlines()[0])
    parser.add_argument("--template", default=str(DEFAULT_TEMPLATE), help="SAM template (default: %(default)s)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")),
                        help="HTTP port, 0 = any free port (default: $PORT or 3000)")
    parser.add_argument("--quiet", action="store_true",
                        help="function logs go to .local/localrt.log instead of stdout")
    parser.add_argument("--pool-size", type=int, default=1, help="warm workers per function (default 1)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(message)s",
                        datefmt="%H:%M:%S")
    logging.getLogger("localrt").setLevel(logging.INFO)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    rt = LocalRuntime(args.template, args.port, quiet=args.quiet, pool_size=args.pool_size)
    try:
        rt.start()
    except OSError as exc:
        print(f"localrt: cannot serve on port {args.port}: {exc} (set PORT or --port)", file=sys.stderr)
        return 1
    try:
        _write_runtime_file(rt)
        print(_banner(rt), file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        print("localrt: stopping", file=sys.stderr, flush=True)
        _remove_runtime_file()
        rt.stop()
    return 0


def _write_runtime_file(rt: LocalRuntime) -> None:
    RUNTIME_FILE.parent.mkdir(parents=True, exist_ok=True)
    RUNTIME_FILE.write_text(json.dumps({"url": rt.url, "endpoint_url": rt.endpoint_url, "pid": os.getpid(),
                                        "template": str(rt.template_path)}) + "\n", encoding="utf-8")


def _remove_runtime_file() -> None:
    # Only ours: a second runtime started meanwhile owns the file now.
    try:
        if json.loads(RUNTIME_FILE.read_text(encoding="utf-8")).get("pid") == os.getpid():
            RUNTIME_FILE.unlink()
    except (OSError, ValueError):
        pass


def _banner(rt: LocalRuntime) -> str:
    lines = [
        "",
        f"  Portal   {rt.url}/   (log in as any role on the local login page; mailbox: {rt.url}/portal/mailbox)",
        "",
        f"  localrt: {rt.template_path}",
        f"  API      {rt.url}",
        f"  moto     {rt.endpoint_url}   (AWS_ENDPOINT_URL for the aws cli / boto3; fake credentials)",
        f"  clock    {rt.clock.iso_now()}",
        "",
        "  token:   curl -s -X POST " + rt.url + "/_local/token -d '{\"role\": \"employer\", "
        "\"enterprise_number\": \"0403170701\"}'",
        "  clock:   curl -s -X POST " + rt.url + "/_local/clock -d '{\"advance_days\": 1}'",
        "  mail:    curl -s " + rt.url + "/_local/mail",
    ]
    if rt.log_file:
        lines.append(f"  function logs: {rt.log_file}")
    lines.append("  Ctrl-C to stop")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
