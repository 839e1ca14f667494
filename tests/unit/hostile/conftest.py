"""Fixtures of the hostile-input tests live in hostile_support (a unique module name)."""

from hostile_support import *  # noqa: F401,F403
