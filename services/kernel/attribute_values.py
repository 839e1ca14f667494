"""DynamoDB attribute values to Python values and back, as boto3's Table resource converts them.

The adapters write and read items as Python values (str, int, Decimal, bool, None, list, dict, sets,
bytes); DynamoDB's wire format is typed ({"S": "..."}, {"N": "12"}, {"M": {...}}). boto3 does this with
TypeSerializer/TypeDeserializer and a walk over the operation's shapes (boto3.dynamodb.transform); this
module does the same without importing boto3, which a function has no other use for (its import and its
default session were ~50 ms of every cold start; tests/unit/kernel/test_no_boto3_in_functions.py).

The conversion is boto3's (tests/unit/kernel/test_attribute_values.py compares both on generated
values): numbers are Decimals in DynamoDB's context (38 digits; a float is refused, as an inexact number
would be rounded), sets are SS/NS/BS, tuples are lists. One difference: a binary value reads back as
bytes, not boto3's Binary wrapper (nothing here stores binary attributes).

``register(client)`` hooks the conversion into a botocore DynamoDB client: every member whose shape is
AttributeValue is converted on the way out and on the way back, wherever the operation nests it (an
Item, a Key, ExpressionAttributeValues, the items of a transaction, a page of a query...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any

# DynamoDB's number: 38 significant digits, exponent -130..+125; anything it would round is an error.
DYNAMODB_CONTEXT = Context(Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow])
_ATTRIBUTE_VALUE = "AttributeValue"


def _number(value: int | Decimal) -> str:
    number = str(DYNAMODB_CONTEXT.create_decimal(value))
    if number in ("Infinity", "NaN"):
        raise TypeError("Infinity and NaN not supported")
    return number


def _is_number(value: Any) -> bool:
    # A bool is an int: serialize() tells it apart first, as boto3 does (in a set it counts as a number).
    if isinstance(value, float):
        raise TypeError("Float types are not supported. Use Decimal types instead.")
    return isinstance(value, (int, Decimal))


def serialize(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB attribute value."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if _is_number(value):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (bytes, bytearray)):
        return {"B": value}
    if isinstance(value, Set):
        if all(_is_number(v) for v in value):
            return {"NS": [_number(v) for v in value]}
        if all(isinstance(v, str) for v in value):
            return {"SS": list(value)}
        if all(isinstance(v, (bytes, bytearray)) for v in value):
            return {"BS": list(value)}
    if isinstance(value, Mapping):
        return {"M": {k: serialize(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"L": [serialize(v) for v in value]}
    raise TypeError(f'Unsupported type "{type(value)}" for value "{value}"')


def deserialize(value: Mapping[str, Any]) -> Any:
    """A DynamoDB attribute value as a Python value."""
    if not value:
        raise TypeError("Value must be a nonempty dictionary whose key is a valid dynamodb type.")
    kind, content = next(iter(value.items()))
    if kind in ("S", "B", "BOOL"):
        return content
    if kind == "N":
        return DYNAMODB_CONTEXT.create_decimal(content)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: deserialize(v) for k, v in content.items()}
    if kind == "L":
        return [deserialize(v) for v in content]
    if kind in ("SS", "BS"):
        return set(content)
    if kind == "NS":
        return {DYNAMODB_CONTEXT.create_decimal(n) for n in content}
    raise TypeError(f"Dynamodb type {kind} is not supported")


def transform(shape: Any, params: Any, convert: Callable[[Any], Any]) -> Any:
    """``params`` (of botocore shape ``shape``) with ``convert`` applied to every AttributeValue in it.
    A new structure: the caller's dicts and lists are left as they were."""
    kind = shape.type_name
    if kind == "structure" and isinstance(params, Mapping):
        members = shape.members
        return {k: _member(members[k], v, convert) if k in members else v for k, v in params.items()}
    if kind == "map" and isinstance(params, Mapping):
        return {k: _member(shape.value, v, convert) for k, v in params.items()}
    if kind == "list" and isinstance(params, list):
        return [_member(shape.member, v, convert) for v in params]
    return params


def _member(shape: Any, value: Any, convert: Callable[[Any], Any]) -> Any:
    return convert(value) if shape.name == _ATTRIBUTE_VALUE else transform(shape, value, convert)


def _serialize_input(params: dict[str, Any], model: Any, **_: Any) -> None:
    # before-parameter-build lets a handler change the parameters in place, not replace them.
    converted = transform(model.input_shape, params, serialize)
    params.clear()
    params.update(converted)


def _deserialize_output(parsed: dict[str, Any], model: Any, **_: Any) -> None:
    if model.output_shape is not None:
        converted = transform(model.output_shape, parsed, deserialize)
        parsed.clear()
        parsed.update(converted)


def register(client: Any) -> Any:
    """``client`` (a botocore DynamoDB client) taking and returning Python values; returns it."""
    events = client.meta.events
    events.register("before-parameter-build.dynamodb", _serialize_input, unique_id="kernel-attribute-values-in")
    events.register("after-call.dynamodb", _deserialize_output, unique_id="kernel-attribute-values-out")
    return client
