"""Health check and the API documents: one OpenAPI document merged from every service's routes."""

from kernel import coldstart  # noqa: F401 - imported first by every handler of the service: pauses the GC for INIT
