"""Entry point of the moto process: ``python -P _moto.py``.

moto keeps its state in module-level backends, and ``moto.mock_aws`` resets all of them when a
test starts. In the runtime's own process that would wipe a long-lived runtime (the e2e tier
keeps one per pytest worker while integration tests use mock_aws in the same worker), so moto
runs here, in its own process, as a ThreadedMotoServer.

It prints ``{"port": N}`` on stdout once it serves, then answers one-line commands on stdin:
``mail`` -> one JSON line with every message SES sent (with the real time it was sent);
``destinations <json>`` -> the template's SES event destinations, which _mail_events.py publishes to;
``offset <seconds>`` -> the runtime clock's offset, for the timestamps of those events;
``enforce`` -> from now on every request is authenticated and held against the caller's IAM
policies, the way AWS does it (_strict.py: moto's IAM enforcement plus what it lacks);
``stats`` -> what moto holds in memory, per kind (_stats: what makes a long run grow).
EOF on stdin (the runtime stopped or died) stops the server and the process.
"""

import importlib.util
import json
import logging
import os
import sys
import time
from typing import Any


class _StampingList(list):
    """moto records no send time: remember when each message was appended."""

    def __init__(self, items, stamps):
        super().__init__(items)
        self.stamps = stamps

    def append(self, message):
        self.stamps.setdefault(getattr(message, "id", id(message)), time.time())
        super().append(message)


_stamps: dict[Any, float] = {}


def _ses_backend():
    from moto.ses.models import ses_backends

    backend = ses_backends["123456789012"]["eu-west-1"]
    if not isinstance(backend.sent_messages, _StampingList):  # new, or reset
        backend.sent_messages = _StampingList(backend.sent_messages, _stamps)
    return backend


def _sent_messages():
    out = []
    for m in list(_ses_backend().sent_messages):
        mid = getattr(m, "id", id(m))
        item: dict[str, Any] = {
            k: v for k, v in vars(m).items() if not k.startswith("_") and isinstance(v, (str, list, dict))
        }
        item["kind"] = type(m).__name__
        item["sent_epoch"] = _stamps.setdefault(mid, time.time())
        out.append(item)
    return out


def _stats() -> dict[str, Any]:
    """Counts and bytes of what moto keeps, and this process's memory. moto keeps more than AWS
    would bill: every message published to a topic, every receipt handle of a deleted SQS message
    and every mail sent stay in its backends for the life of the process."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.s3.models import s3_backends
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends

    account, region = "123456789012", "eu-west-1"
    sns = sns_backends[account][region]
    sqs = sqs_backends[account][region]
    s3 = s3_backends[account]["global"]
    ses = ses_backends[account][region]
    dynamodb = dynamodb_backends[account][region]
    for _ in range(5):  # the server's threads keep writing: a dict may change while it is counted
        try:
            versions = [k for b in list(s3.buckets.values()) for _, ks in list(b.keys.iterlists()) for k in ks]
            break
        except RuntimeError:
            time.sleep(0.01)
    else:
        versions = []
    memory = {}
    with open("/proc/self/status", encoding="ascii") as status:  # Linux: current and peak RSS
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                name, value = line.split(":")
                memory[name] = int(value.split()[0]) // 1024
    return {
        "rss_mb": memory.get("VmRSS"),
        "peak_rss_mb": memory.get("VmHWM"),
        "sns_published_kept": sum(len(t.sent_notifications) for t in sns.topics.values()),
        "sns_published_bytes": sum(len(n[1] or "") for t in sns.topics.values() for n in t.sent_notifications),
        "sqs_messages": sum(len(q._messages) for q in sqs.queues.values()),
        "sqs_deleted_handles_kept": sum(len(q.deleted_messages) for q in sqs.queues.values()),
        "s3_object_versions": len(versions),
        "s3_bytes": sum(getattr(k, "size", 0) or 0 for k in versions),  # a delete marker has no size
        "ses_mails_kept": len(ses.sent_messages),
        "ses_bytes": sum(len(getattr(m, "raw_data", "") or "") for m in ses.sent_messages),
        "dynamodb_items": sum(len(t) for t in list(dynamodb.tables.values())),
    }


def _load(name):
    # By path: `-P` keeps this folder off the import path (and localrt itself is not needed here).
    spec = importlib.util.spec_from_file_location(
        f"_localrt_{name}", os.path.join(os.path.dirname(__file__), f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _server(strict):
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    class StrictMotoServer(ThreadedMotoServer):
        """moto's threaded server with the presigned-URL check in front of its app."""

        def _server_entry(self) -> None:
            app = strict.PresignedFront(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever()

    return StrictMotoServer(ip_address="127.0.0.1", port=0, verbose=False)


def _unsigned_preflights() -> None:
    """A browser's CORS preflight (OPTIONS) carries no credentials, and S3 answers it from the bucket's
    CORS rules alone. moto checks a presigned URL's signed headers on the preflight too and refuses it
    (a preflight has no Content-Type), so no browser upload could pass; AWS does not do that."""
    from moto.s3.exceptions import MissingBucket
    from moto.s3.responses import S3Response

    checked = S3Response._invalid_headers

    def _invalid_headers(self, url, headers):
        return False if self.method == "OPTIONS" else checked(self, url, headers)

    S3Response._invalid_headers = _invalid_headers  # type: ignore[method-assign]

    def _response_options(self, headers, bucket_name):
        # moto runs its IAM check on the preflight too and fails on the missing Authorization header.
        try:
            bucket = self.backend.head_bucket(bucket_name)
        except MissingBucket:
            return 403, {}, ""  # as S3 answers a preflight for a bucket that does not exist
        self._set_cors_headers_options(headers, bucket)
        return 200, self.response_headers, ""

    S3Response._response_options = _response_options  # type: ignore[method-assign]


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    fixes = _load("moto_fixes")
    fixes.serialise_dynamodb()
    fixes.cache_dispatch()
    fixes.item_level_rollback()
    strict = _load("_strict")
    strict.install()
    strict.install_conditions()
    _unsigned_preflights()
    mail_events = _load("_mail_events")
    mail_events.install()
    server = _server(strict)
    server.start()
    port = server.get_host_and_port()[1]
    strict.install_operator(f"http://127.0.0.1:{port}")
    _ses_backend()
    print(json.dumps({"port": port}), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "mail":
            reply = _sent_messages()
        elif command.startswith("destinations "):
            mail_events.set_destinations(json.loads(command.split(" ", 1)[1]))
            reply = {"destinations": True}
        elif command.startswith("offset "):
            mail_events.set_offset(float(command.split(" ", 1)[1]))
            reply = {"offset": True}
        elif command == "stats":
            reply = _stats()
        elif command == "enforce":
            strict.enforce()
            reply = {"enforcing": True}
        else:
            reply = {"error": f"unknown command {command!r}"}
        sys.stdout.write(json.dumps(reply, default=str) + "\n")
        sys.stdout.flush()
    # EOF: the runtime is done with this AWS, whose state goes with the process. Stopping the server thread
    # (its poll interval) and finalising moto's backends took ~1 s at every runtime's stop; nothing is lost.
    os._exit(0)


if __name__ == "__main__":
    main()
