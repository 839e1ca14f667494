"""Shared by every tier: in-process moto behaves as AWS does where moto is wrong (localrt.moto_fixes), and the
testkit's fixtures (tests/testkit) are offered to every test."""

from testkit.clock import kernel_clock

from localrt.moto_fixes import serialise_dynamodb

__all__ = ["kernel_clock"]

serialise_dynamodb()
