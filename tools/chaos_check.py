"""After the fault run: what the API shows against what each application should have reached,
and where every message went (consumer queues drained, DLQs and partner feeds counted)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from chaos_scenarios import EXPECTED, TRAINING, Case
from testkit.client import Api

DECISION_KINDS = ("approval", "refusal")


@dataclass
class Result:
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # At-least-once delivery may send an e-mail twice (a crash between sending and marking the
    # event handled); reported, not a failure.
    warnings: list[str] = field(default_factory=list)


def check(api: Api, rt: Any, cases: list[Case]) -> Result:
    result = Result()
    states: Counter = Counter()
    notices: Counter = Counter()
    mail_by_address = Counter(to for m in api.get_json("/_local/mail") for to in (m.get("to") or []))
    mails = Counter()
    for case in cases:
        try:
            seen = _check_case(api, case, result.problems)
        except RuntimeError as exc:  # a read that still failed after the client's retries
            result.problems.append(f"application {case.index}: {exc}")
            seen = {}
        states[seen.get("status", "missing")] += 1
        notices.update(seen.get("notices", ()))
        mails[case.final] += mail_by_address[case.contact]
        if case.application_id and mail_by_address[case.contact] != EXPECTED[case.final].mails:
            result.warnings.append(f"application {case.index} ({case.final}): {mail_by_address[case.contact]} "
                                   f"e-mails, expected {EXPECTED[case.final].mails}")
    result.figures.update({f"applications {s}": n for s, n in sorted(states.items())})
    result.figures["recognised in the register"] = sum(1 for c in cases if c.__dict__.get("_recognized"))
    decided = [c for c in cases if c.decision_id]
    result.figures["decisions"] = len(decided)
    result.figures["appeals decided"] = sum(1 for c in cases if c.appeal_id)
    result.figures.update({f"notices {k}": n for k, n in sorted(notices.items())})
    result.figures["e-mails (all)"] = len(api.get_json("/_local/mail"))
    for final, n in sorted(mails.items()):
        count = sum(1 for c in cases if c.final == final)
        result.figures[f"e-mails per {final} application"] = round(n / count, 2)
    _check_queues(rt, result)
    return result


def _check_case(api: Api, case: Case, problems: list[str]) -> dict[str, Any]:
    label = f"application {case.index} ({case.final}, {case.application_id})"
    problems.extend(f"{label}: {step}" for step in case.steps_failed)
    if not case.application_id:
        return {}
    expected = EXPECTED[case.final]
    employer = case.employer(api)
    status = api.get_json(f"/applications/{case.application_id}", employer).get("status")
    if status != expected.status:
        problems.append(f"{label}: status {status}, expected {expected.status}")
    verified = _public_json(api, "/register/verify", enterprise_number=case.enterprise,
                            establishment_number=case.establishment, training_code=TRAINING)
    case.__dict__["_recognized"] = verified.get("recognized")
    if (verified.get("recognized"), verified.get("status")) != (expected.recognized, expected.register_status):
        problems.append(f"{label}: register says {verified.get('recognized')}/{verified.get('status')}, "
                        f"expected {expected.recognized}/{expected.register_status}")
    listed = api.get_json("/notices", employer)
    kinds = tuple(sorted(n["kind"] for n in listed))
    if kinds != expected.notices:
        problems.append(f"{label}: notices {list(kinds)}, expected {list(expected.notices)}")
    if case.decision_id:
        decision_notices = [n for n in listed if n["subject_id"] == case.decision_id and n["kind"] in DECISION_KINDS]
        if len(decision_notices) != 1:
            problems.append(f"{label}: {len(decision_notices)} decision notices for decision {case.decision_id}")
    if case.appeal_id:
        appeal_notices = [n for n in listed if n["subject_id"] == case.appeal_id and n["kind"] == "appeal_decision"]
        if len(appeal_notices) != 1:
            problems.append(f"{label}: {len(appeal_notices)} appeal decision notices for appeal {case.appeal_id}")
    return {"status": status, "notices": kinds}


def _public_json(api: Api, path: str, **params: Any) -> Any:
    """A public route read as a well-behaved client reads it: the stage throttles the register (10
    requests/s, infra/template.yaml's route settings) and this check asks once per application, faster
    than that, so a 429 is waited out with a growing pause (API Gateway sends no Retry-After)."""
    for attempt in range(8):
        response = api.get(path, None, params=params)
        if response.status_code != 429:
            break
        time.sleep(0.1 * 2 ** attempt)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
    return response.json()


def _check_queues(rt: Any, result: Result) -> None:
    """Consumer queues must be empty after settling: each message was processed or moved to its
    DLQ. DLQs and partner feeds (polled outside the system) are counted and listed."""
    sqs = rt.client("sqs")
    consumed = {q.arn for q in rt.template.consumer_queues}
    dlqs = rt.template.dead_letter_queue_arns
    for queue in rt.template.queues:
        attrs = sqs.get_queue_attributes(QueueUrl=rt.queue_urls[queue.arn], AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed"])["Attributes"]
        depth = sum(int(v) for v in attrs.values())
        if queue.arn in dlqs:
            result.figures[f"messages in DLQ {queue.name}"] = depth
        elif queue.arn in consumed:
            if depth:
                result.problems.append(f"{queue.name}: {depth} message(s) neither processed nor in a DLQ")
        elif depth:
            result.figures[f"messages waiting in partner feed {queue.name}"] = depth


def figures_table(figures: dict[str, Any]) -> str:
    width = max(len(k) for k in figures)
    return "\n".join(f"  {k:<{width}}  {v:>8}" for k, v in figures.items())
