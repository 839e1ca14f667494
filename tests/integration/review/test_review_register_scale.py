"""The public register on moto at more than one page: public fields only in its items, pages read
from the partition of the filter (never a scan), verify a lookup of its one key."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from kernel import aws, clock
from kernel.errors import BadRequest
from kernel.events import Mentor
from review.adapters.dynamo import DynamoReviewRepository
from review.domain.recognition import Recognition
from review.usecases import register
from review.usecases.ports import RegisterFilter

TABLE = "review-table"
NRN = "80031512361"
TRAININGS = ("keukenmedewerker-duaal", "kapper-duaal")
POSTAL_CODES = ("9000", "2000", "3000")


def create_table() -> None:
    boto3.client("dynamodb").create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "gsi1pk", "gsi1sk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


class Reads:
    """Every DynamoDB read the repository makes, with what it scanned."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, model, parsed, **_kwargs) -> None:
        self.calls.append((model.name, parsed))

    def scanned(self) -> int:
        return sum(int(parsed.get("ScannedCount", 0)) for name, parsed in self.calls if name in ("Query", "Scan"))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def repo(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        aws.reset()
        create_table()
        yield DynamoReviewRepository(TABLE)
        aws.reset()


@pytest.fixture
def reads(repo):
    recorder = Reads()
    events = aws.table(TABLE).meta.client.meta.events
    events.register("after-call.dynamodb", recorder)
    yield recorder
    events.unregister("after-call.dynamodb", recorder)


def recognition(
    i: int,
    *,
    valid_from: date | None = None,
    training: str | None = None,
    postal: str | None = None,
    enterprise: str | None = None,
    **changes,
) -> Recognition:
    start = valid_from or clock.today() - timedelta(days=30)
    return Recognition(
        recognition_id=f"rec-{i:05d}",
        partnership_id="horeca",
        enterprise_number=enterprise or f"0{400000000 + i:09d}",
        establishment_number=f"2{100000000 + i:09d}",
        training_code=training or TRAININGS[i % len(TRAININGS)],
        company_name=f"Company {i}",
        postal_code=postal or POSTAL_CODES[i % len(POSTAL_CODES)],
        city="Gent",
        mentors=[Mentor(first_name="Jan", last_name="Peeters", national_register_number=NRN)],
        valid_from=start,
        valid_until=start + timedelta(days=5 * 365),
        granted_at=datetime.now(UTC),
        application_id=f"app-{i}",
        decision_id=f"dec-{i}",
        **changes,
    )


def seed(repo, count: int) -> list[Recognition]:
    """Through the bulk import: the same items as save_recognition (test_the_bulk_import_writes_...)."""
    made = [recognition(i) for i in range(count)]
    repo.import_recognitions(made)
    return made


def table_items() -> dict[tuple[str, str], dict]:
    return {(i["pk"]["S"], i["sk"]["S"]): i for i in boto3.client("dynamodb").scan(TableName=TABLE)["Items"]}


def test_the_bulk_import_writes_what_saving_one_by_one_writes(repo):
    made = [recognition(i) for i in range(4)]
    for r in made:
        repo.save_recognition(r, None)
    saved = table_items()
    boto3.client("dynamodb").delete_table(TableName=TABLE)
    create_table()
    repo.import_recognitions(made)
    assert table_items() == saved


def every_page(repo, where: RegisterFilter, limit: int) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        page = register.register(repo, where=where, limit=limit, cursor=cursor)
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages


def test_register_items_hold_public_fields_only(repo):
    for r in (recognition(i) for i in range(3)):
        repo.save_recognition(r, None)
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    register_items = [i for i in items if not i["pk"]["S"].startswith("REC#")]
    assert register_items, "the register keeps its own items"
    for item in register_items:
        text = json.dumps(item)
        assert NRN not in text and "mentors" not in text and "Peeters" not in text, item
        assert "partnership_id" not in item and "application_id" not in item and "decision_id" not in item


def test_an_unfiltered_page_reads_one_page_and_the_pages_cover_the_register_once(repo, reads):
    made = seed(repo, 120)
    reads.calls.clear()
    first = register.register(repo, where=RegisterFilter(), limit=50, cursor=None)
    assert len(first["items"]) == 50 and first["next_cursor"]
    assert reads.names() == ["Query"] and reads.scanned() == 50
    assert all("mentors" not in item for item in first["items"])

    pages = every_page(repo, RegisterFilter(), 50)
    listed = [item["recognition_id"] for page in pages for item in page]
    assert sorted(listed) == sorted(r.recognition_id for r in made) and len(set(listed)) == 120
    assert [len(page) for page in pages][:2] == [50, 50]
    assert "Scan" not in reads.names()


@pytest.mark.parametrize(
    "where",
    [
        RegisterFilter(training_code="kapper-duaal"),
        RegisterFilter(postal_code="2000"),
        RegisterFilter(training_code="kapper-duaal", postal_code="2000"),
    ],
)
def test_each_filter_reads_only_matching_entries(repo, reads, where):
    made = seed(repo, 60)
    expected = sorted(
        r.recognition_id
        for r in made
        if where.training_code in (None, r.training_code) and where.postal_code in (None, r.postal_code)
    )
    reads.calls.clear()
    pages = every_page(repo, where, 7)
    assert sorted(item["recognition_id"] for page in pages for item in page) == expected
    # Only entries of the filter's own partition are read: nothing is filtered away afterwards.
    assert reads.scanned() == len(expected)
    assert set(reads.names()) == {"Query"}


def test_an_enterprise_filter_reads_that_enterprise_only(repo, reads):
    seed(repo, 40)
    mine = [recognition(100 + i, enterprise="0403170701", training=TRAININGS[i % 2]) for i in range(4)]
    for r in mine:
        repo.save_recognition(r, None)
    reads.calls.clear()
    page = register.register(
        repo, where=RegisterFilter(enterprise_number="0403170701", training_code=TRAININGS[0]), limit=50, cursor=None
    )
    assert sorted(i["recognition_id"] for i in page["items"]) == sorted(r.recognition_id for r in mine[::2])
    assert page["next_cursor"] is None and reads.scanned() == 4


def test_only_active_recognitions_are_listed_and_ended_ones_leave_the_listing(repo, reads):
    today = clock.today()
    active = recognition(1)
    scheduled = recognition(2, valid_from=today + timedelta(days=10))
    revoked = recognition(3, revoked_on=today - timedelta(days=1))
    ended = recognition(4, valid_from=today - timedelta(days=5 * 365 + 10))
    for r in (active, scheduled, revoked, ended):
        repo.save_recognition(r, None)
    current = repo.get_recognition(ended.recognition_id)
    repo.save_recognition(current.item.model_copy(update={"ended": True}), current.version)

    reads.calls.clear()
    page = register.register(repo, where=RegisterFilter(), limit=50, cursor=None)
    assert [i["recognition_id"] for i in page["items"]] == [active.recognition_id]
    assert reads.scanned() == 3  # the ended one is no longer in the listing at all
    # The verify route still knows the ended one: its history is the key's.
    answer = register.verify(
        repo,
        enterprise_number=ended.enterprise_number,
        establishment_number=ended.establishment_number,
        training_code=ended.training_code,
        on=None,
    )
    assert answer["status"] == "expired" and answer["recognized"] is False


def test_verify_is_one_query_on_its_key(repo, reads):
    made = seed(repo, 30)
    target = made[17]
    reads.calls.clear()
    answer = register.verify(
        repo,
        enterprise_number=target.enterprise_number,
        establishment_number=target.establishment_number,
        training_code=target.training_code,
        on=None,
    )
    assert answer["recognized"] is True and answer["recognition_id"] == target.recognition_id
    assert reads.names() == ["Query"] and reads.scanned() == 1


def test_a_cursor_belongs_to_its_filter(repo):
    seed(repo, 10)
    page = register.register(repo, where=RegisterFilter(training_code="kapper-duaal"), limit=2, cursor=None)
    with pytest.raises(BadRequest):
        register.register(repo, where=RegisterFilter(postal_code="9000"), limit=2, cursor=page["next_cursor"])
    for garbage in ("x", "!!!", "eyJ9", "A" * 300):
        with pytest.raises(BadRequest):
            register.register(repo, where=RegisterFilter(), limit=2, cursor=garbage)


def test_the_ledger_and_the_measures_still_read_whole_recognitions(repo):
    [r] = seed(repo, 1)
    [found] = repo.recognitions_for_key(r.enterprise_number, r.establishment_number, r.training_code)
    assert found.mentors[0].national_register_number == NRN and found.partnership_id == "horeca"
    assert [x.recognition_id for x in repo.enterprise_recognitions(r.enterprise_number)] == [r.recognition_id]
