"""kernel.attribute_values converts as boto3's Table resource does (the functions no longer import boto3).

Generated Python values must serialise to exactly what boto3's TypeSerializer makes, read back to what
its TypeDeserializer reads (but bytes for its Binary), and whole requests and responses must convert as
boto3.dynamodb.transform converts them, wherever the operation's shapes nest an attribute value.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import botocore.session
import pytest
from boto3.dynamodb.transform import ParameterTransformer
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel import attribute_values

numbers = st.one_of(st.integers(min_value=-(10**37), max_value=10**37),
                    st.decimals(allow_nan=False, allow_infinity=False, places=6,
                                min_value=Decimal("-1e20"), max_value=Decimal("1e20")))
scalars = st.one_of(st.none(), st.booleans(), st.text(max_size=20), st.binary(max_size=8), numbers)
sets = st.one_of(st.frozensets(st.text(max_size=5), max_size=4), st.frozensets(numbers, max_size=4),
                 st.frozensets(st.binary(max_size=4), max_size=4))
values = st.recursive(st.one_of(scalars, sets),
                      lambda inner: st.one_of(st.lists(inner, max_size=4),
                                              st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                      max_leaves=12)
MODEL = botocore.session.Session().get_service_model("dynamodb")


def _unwrapped(value):
    """boto3's read with its Binary wrapper taken off (attribute_values reads bytes)."""
    if isinstance(value, Binary):
        return value.value
    if isinstance(value, dict):
        return {k: _unwrapped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrapped(v) for v in value]
    if isinstance(value, set):
        return {_unwrapped(v) for v in value}
    return value


def _same_wire(a, b):
    """Equal attribute values; a set's members in any order (both come from iterating a set)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        return all(sorted(map(repr, a[k])) == sorted(map(repr, b[k])) if k in ("SS", "NS", "BS")
                   else _same_wire(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_wire(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=300, deadline=None)
@given(values)
def test_a_value_is_written_and_read_as_boto3_writes_and_reads_it(value):
    wire = attribute_values.serialize(value)
    assert _same_wire(wire, TypeSerializer().serialize(value))
    assert attribute_values.deserialize(wire) == _unwrapped(TypeDeserializer().deserialize(wire))


@pytest.mark.parametrize("value", [1.5, float("nan"), {"a": [0.1]}, {1.0}, Decimal("Infinity"),
                                   Decimal("1." + "1" * 40), object(), {frozenset({"a"}): 1}.keys()])
def test_what_boto3_refuses_is_refused_with_the_same_error(value):
    with pytest.raises(Exception) as boto3_error:  # noqa: PT011 - the point is that both agree
        TypeSerializer().serialize(value)
    with pytest.raises(boto3_error.type):
        attribute_values.serialize(value)


REQUEST = {
    "TransactItems": [
        {"Put": {"TableName": "t", "Item": {"pk": "A#1", "n": 3, "tags": {"x", "y"}, "doc": {"l": [1, None]}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": "t", "Key": {"pk": "A#2", "sk": "S"}, "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": Decimal("2.5")}}},
        {"ConditionCheck": {"TableName": "t", "Key": {"pk": "A#3", "sk": "S"}, "ConditionExpression": "#s = :s",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {":s": "open"}}},
    ],
}
RESPONSE = {
    "Items": [{"pk": {"S": "A#1"}, "n": {"N": "3"}, "m": {"M": {"b": {"BOOL": True}, "z": {"NULL": True}}}}],
    "LastEvaluatedKey": {"pk": {"S": "A#1"}},
    "Count": 1,
    "ResponseMetadata": {"HTTPStatusCode": 200},
}


def _boto3(shape, params, convert):
    params = copy.deepcopy(params)
    ParameterTransformer().transform(params, shape, convert, "AttributeValue")
    return params


def test_a_transaction_is_converted_as_boto3_converts_it_and_the_callers_dicts_stay_as_they_were():
    shape = MODEL.operation_model("TransactWriteItems").input_shape
    before = copy.deepcopy(REQUEST)
    ours = attribute_values.transform(shape, REQUEST, attribute_values.serialize)
    assert _same_wire(ours, _boto3(shape, REQUEST, TypeSerializer().serialize))
    assert REQUEST == before


def test_a_query_page_is_read_as_boto3_reads_it():
    shape = MODEL.operation_model("Query").output_shape
    ours = attribute_values.transform(shape, RESPONSE, attribute_values.deserialize)
    assert ours == _boto3(shape, RESPONSE, TypeDeserializer().deserialize)
    assert ours["Items"][0] == {"pk": "A#1", "n": Decimal(3), "m": {"b": True, "z": None}}
    assert ours["ResponseMetadata"] == {"HTTPStatusCode": 200}
