"""The appeal service."""

from kernel import coldstart  # noqa: F401 - imported first by every handler of the service: pauses the GC for INIT
