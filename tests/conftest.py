"""Shared by every tier: in-process moto behaves as AWS does where moto is wrong (localrt.moto_fixes)."""

from localrt.moto_fixes import serialise_dynamodb

serialise_dynamodb()
