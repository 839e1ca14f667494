"""The portal: HTML pages for employers, intermediaries and education providers (issue 14), a
backend for the frontend that calls the JSON API with the user's own token."""

from kernel import coldstart  # noqa: F401 - imported first by every handler of the service: pauses the GC for INIT
