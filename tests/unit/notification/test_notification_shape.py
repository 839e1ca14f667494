"""The service's shape (docs/conventions.md): one composition root that builds real adapters, an
explicit override for tests, and edges that import their use cases directly."""

from pathlib import Path

from notification import bootstrap

SERVICE = Path(__file__).resolve().parents[3] / "services" / "notification"


def test_production_ports_are_the_aws_adapters_never_a_fake(monkeypatch):
    for name, value in {"TABLE_NAME": "t", "NOTICES_BUCKET": "b", "EVENT_TOPIC_ARN": "arn:aws:sns:eu-west-1:1:t",
                        "MAIL_SENDER": "noreply@x.example", "SCHEDULE_GROUP": "g",
                        "SCHEDULER_ROLE_ARN": "arn:aws:iam::1:role/r", "TIMER_QUEUE_ARN": "arn:aws:sqs:eu-west-1:1:q",
                        "TIMER_DEAD_LETTER_ARN": "arn:aws:sqs:eu-west-1:1:d"}.items():
        monkeypatch.setenv(name, value)
    bootstrap.reset()
    try:
        built = bootstrap.ports()
        kinds = {type(getattr(built, name)).__name__ for name in ("store", "archive", "mailer", "publisher", "timers")}
        assert kinds == {"DynamoNotificationStore", "S3NoticeArchive", "SesMailer", "SnsEventPublisher",
                         "SchedulerTimers"}
        assert bootstrap.ports() is built  # cached
        assert type(bootstrap.processed_events()).__name__ == "DynamoProcessedEvents"
    finally:
        bootstrap.reset()


def test_an_override_is_what_both_edges_get_until_it_is_lifted(ports):
    assert bootstrap.ports() is ports and bootstrap.read_ports() is ports


def test_handlers_import_their_use_cases_at_module_top_and_nothing_by_name():
    for edge in (SERVICE / "handlers").glob("*.py"):
        source = edge.read_text()
        assert "importlib" not in source and "use_cases(" not in source, edge.name
        assert "adapters.memory" not in source, edge.name
    assert not (SERVICE / "service").exists()
    assert "class StaleWrite" in (SERVICE / "usecases" / "ports.py").read_text()
