"""Every published event version has a schema file; a model that drifts from it in a way that
breaks consumers fails the build (add a new version instead)."""

import json
from pathlib import Path

import pytest

from kernel.catalogue import file_name, incompatibilities, schema_for
from kernel.events import CATALOGUE

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "events" / "catalogue"
CONTRACT_MINIMUM = {
    "ApplicationSubmitted", "ApplicationWithdrawn", "ApplicationRouted", "QuestionAsked", "QuestionAnswered",
    "SiteVisitPlanned", "SiteVisitReported", "DecisionRecorded", "RecognitionGranted", "RecognitionRevoked",
    "RecognitionExpired", "RecognitionRestored", "MeasureImposed", "NoticeIssued", "SupportRequested",
    "SupportRequestRouted", "AppealLodged", "AppealAdmissibilityDecided", "AppealDecided",
    "DecisionDeadlineApproaching", "DecisionDeadlineMissed", "RenewalReminderDue", "RecognitionExpiryDue",
    "MentorTrainingDue",
}


def test_the_catalogue_has_every_event_of_the_contract():
    assert CONTRACT_MINIMUM <= {name for name, _ in CATALOGUE}


@pytest.mark.parametrize("name,version", sorted(CATALOGUE))
def test_each_event_version_matches_its_published_schema(name, version):
    published = CATALOGUE_DIR / file_name(name, version)
    assert published.exists(), f"run `make catalogue` and commit {published.name}"
    problems = incompatibilities(json.loads(published.read_text()), schema_for(name, version))
    assert problems == [], f"{name} v{version} changed incompatibly: {problems}"


def test_the_compatibility_check_catches_a_removed_and_a_new_required_field():
    old = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    removed = {"type": "object", "properties": {}, "required": []}
    required = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "required": ["a", "b"],
    }
    optional = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"]}
    assert incompatibilities(old, removed)
    assert incompatibilities(old, required)
    assert incompatibilities(old, optional) == []
