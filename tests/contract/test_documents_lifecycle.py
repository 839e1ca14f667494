"""The documents bucket's lifecycle rules against the retention policy.

Retention is the application's: criminal-record extracts are deleted by intake's retention timers
once the final decision can no longer be challenged; every other document (derogation proofs,
mandates, RSZ certificates) justifies the recognition for as long as it lasts and is kept
(services/intake/domain/retention.py). Submission pins each document's version, and the
partnership's links read that version. So a lifecycle rule may remove only what nothing
references: incomplete multipart uploads, expired delete markers, and the empty tombstones a
deletion leaves (intake/adapters/documents.py). A rule that can reach a document's bytes, current
or noncurrent, fails here.
"""

from __future__ import annotations

from pathlib import Path

from intake.adapters.documents import TOMBSTONE
from intake.domain.requests import RegisterDocument
from intake.domain.retention import SENSITIVE_TYPES
from localrt.cfn_yaml import load_yaml

ROOT = Path(__file__).resolve().parents[2]
_DATA_ACTIONS = (
    "ExpirationInDays",
    "ExpirationDate",
    "NoncurrentVersionExpiration",
    "NoncurrentVersionExpirationInDays",
    "Transitions",
    "Transition",
    "NoncurrentVersionTransitions",
    "NoncurrentVersionTransition",
)


def _rules(logical_id: str) -> list[dict]:
    doc = load_yaml(ROOT / "infra" / "template.yaml")
    return doc["Resources"][logical_id]["Properties"]["LifecycleConfiguration"]["Rules"]


def smallest_document() -> int:
    """The fewest bytes a document can have (RegisterDocument's size_bytes lower bound)."""
    bounds = [m.ge for m in RegisterDocument.model_fields["size_bytes"].metadata if getattr(m, "ge", None) is not None]
    return min(bounds)


def reaches_documents(rule: dict) -> bool:
    """Whether the rule can expire or move bytes of an object that may be a document."""
    if not any(action in rule for action in _DATA_ACTIONS):
        return False  # AbortIncompleteMultipartUpload, ExpiredObjectDeleteMarker: no document's bytes
    below = rule.get("ObjectSizeLessThan")
    return below is None or int(below) > smallest_document()


def test_every_document_type_but_the_sensitive_ones_is_kept_and_those_are_the_timers_job():
    kept = set(RegisterDocument.model_fields["type"].annotation.__args__) - SENSITIVE_TYPES
    assert SENSITIVE_TYPES == {"criminal_record_extract"}
    assert {"derogation_proof", "mandate", "rsz_certificate"} <= kept


def test_no_lifecycle_rule_of_the_documents_bucket_reaches_a_documents_bytes():
    rules = _rules("DocumentsBucket")
    assert all(r["Status"] == "Enabled" for r in rules)
    reaching = [r["Id"] for r in rules if reaches_documents(r)]
    assert reaching == [], f"these rules can delete a document that a recognition or a decision references: {reaching}"


def test_the_lifecycle_still_removes_what_nothing_references():
    rules = _rules("DocumentsBucket")
    assert len(TOMBSTONE) < smallest_document()
    assert any(r.get("AbortIncompleteMultipartUpload") for r in rules)
    assert any(r.get("ExpiredObjectDeleteMarker") is True for r in rules)
    tombstones = [r for r in rules if "ObjectSizeLessThan" in r and int(r["ObjectSizeLessThan"]) > len(TOMBSTONE)]
    # A tombstone seals a key against an upload URL that is valid 15 minutes: it must outlive that.
    assert tombstones and all(int(r["ExpirationInDays"]) >= 1 for r in tombstones)
    assert all("NoncurrentVersionExpiration" in r for r in tombstones)


def test_official_notices_are_never_expired():
    assert not [r["Id"] for r in _rules("NoticesBucket") if "ExpirationInDays" in r or "ExpirationDate" in r]
