"""moto's cancelled TransactWriteItems puts back a copy of the tables taken before it ran, wiping
any write made meanwhile; localrt.moto_fixes makes each DynamoDB call atomic, as on AWS."""

from __future__ import annotations

import threading

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws


@pytest.fixture
def table(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        yield client


def test_a_write_during_a_cancelled_transaction_survives_it(table, monkeypatch):
    import moto.dynamodb.models as models

    copied = models.copy.deepcopy
    writer_done = threading.Event()

    def put_meanwhile() -> None:
        table.put_item(TableName="t", Item={"pk": {"S": "written-meanwhile"}})
        writer_done.set()

    def deepcopy_then_let_another_request_in(value, *args, **kwargs):
        snapshot = copied(value, *args, **kwargs)
        if not writer_done.is_set() and isinstance(value, models.Table):
            threading.Thread(target=put_meanwhile).start()
            # Without the fix the put lands now, inside the transaction's window; with it, it waits.
            writer_done.wait(timeout=0.5)
        return snapshot

    monkeypatch.setattr(models.copy, "deepcopy", deepcopy_then_let_another_request_in)
    with pytest.raises(ClientError, match="TransactionCanceled"):
        table.transact_write_items(TransactItems=[{"Put": {
            "TableName": "t", "Item": {"pk": {"S": "guarded"}}, "ConditionExpression": "attribute_exists(pk)"}}])
    assert writer_done.wait(timeout=5)

    assert "Item" in table.get_item(TableName="t", Key={"pk": {"S": "written-meanwhile"}})


# ------------------------------------------------------------------ ClientRequestToken
def guarded_put(pk: str) -> list[dict]:
    return [{"Put": {"TableName": "t", "Item": {"pk": {"S": pk}}, "ConditionExpression": "attribute_not_exists(pk)"}}]


def test_a_transaction_resent_with_its_token_succeeds_again_without_writing_twice(table):
    # botocore gives every TransactWriteItems a ClientRequestToken and resends it unchanged when a reply
    # is lost (read timeout, dropped connection): DynamoDB then answers success without redoing it. moto
    # ran it again, so its own condition failed, and a decision that was recorded answered 409 locally.
    table.transact_write_items(TransactItems=guarded_put("decided"), ClientRequestToken="tok-1")
    table.transact_write_items(TransactItems=guarded_put("decided"), ClientRequestToken="tok-1")
    with pytest.raises(ClientError, match="TransactionCanceled"):  # a new request is judged anew
        table.transact_write_items(TransactItems=guarded_put("decided"), ClientRequestToken="tok-2")


def test_the_same_token_with_other_parameters_is_refused_as_dynamodb_does(table):
    table.transact_write_items(TransactItems=guarded_put("a"), ClientRequestToken="tok-3")
    with pytest.raises(ClientError) as refused:
        table.transact_write_items(TransactItems=guarded_put("b"), ClientRequestToken="tok-3")
    assert refused.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    assert "Item" not in table.get_item(TableName="t", Key={"pk": {"S": "b"}})



# ------------------------------------------------------------------ dispatch answers computed once
def test_the_dispatcher_lists_moto_s_backends_once_not_per_request(monkeypatch):
    import os

    import moto.backends as backends
    import moto.core.responses as responses

    from localrt.moto_fixes import cache_dispatch

    before = sorted(backends.list_of_moto_modules())
    cache_dispatch()

    def no_listing(path):
        raise AssertionError("moto's package folder listed for a request")

    monkeypatch.setattr(os, "listdir", no_listing)
    assert sorted(backends.list_of_moto_modules()) == before and "dynamodb" in before
    assert responses.camelcase_to_underscores("TransactWriteItems") == "transact_write_items"
    from moto.dynamodb.responses import DynamoHandler

    names = responses.method_names_from_class(DynamoHandler)
    assert "transact_write_items" in names and responses.method_names_from_class(DynamoHandler) is names


def test_the_moto_server_still_answers_every_service_after_the_caches(table):
    # The in-process moto of the fixture dispatches through moto.core.responses too.
    from localrt.moto_fixes import cache_dispatch

    cache_dispatch()
    table.transact_write_items(TransactItems=guarded_put("after-caches"))
    assert "Item" in table.get_item(TableName="t", Key={"pk": {"S": "after-caches"}})


# ------------------------------------------------------------------ rollback per item, not per table
def test_a_cancelled_transaction_undoes_exactly_its_own_writes_without_copying_the_table(table):
    # moto deep-copied the whole table for every item of every transaction to roll back: with growing
    # tables each transaction cost more, and the 200-application bench crawled at 9.5 GB.
    from moto.dynamodb.models import dynamodb_backends

    from localrt.moto_fixes import item_level_rollback

    item_level_rollback()
    table.put_item(TableName="t", Item={"pk": {"S": "kept"}, "v": {"S": "before"}})
    backend = dynamodb_backends["123456789012"]["eu-west-1"]
    stored = backend.tables["t"]
    with pytest.raises(ClientError, match="TransactionCanceled"):
        table.transact_write_items(TransactItems=[
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "new"}}}},
            {"Update": {"TableName": "t", "Key": {"pk": {"S": "kept"}}, "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"S": "during"}}}},
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "guard"}}, "ConditionExpression": "attribute_exists(pk)"}},
        ])
    assert backend.tables["t"] is stored  # rolled back in place: no copy of the table put back
    assert "Item" not in table.get_item(TableName="t", Key={"pk": {"S": "new"}})
    assert table.get_item(TableName="t", Key={"pk": {"S": "kept"}})["Item"]["v"] == {"S": "before"}
    table.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": {"pk": {"S": "new"}}}}])
    assert "Item" in table.get_item(TableName="t", Key={"pk": {"S": "new"}})


def test_every_mock_s_fresh_session_reads_the_service_models_through_one_shared_loader():
    # tests/conftest.py applies localrt.moto_fixes.share_botocore_loader to every test process.
    loaders = []
    for _ in range(2):
        with mock_aws():  # each mock patches boto3.DEFAULT_SESSION to a new session
            boto3.client("dynamodb", region_name="eu-west-1")
            loaders.append(boto3.DEFAULT_SESSION._session.get_component("data_loader"))
    assert loaders[0] is loaders[1]
