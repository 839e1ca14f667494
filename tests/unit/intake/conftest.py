"""Fixtures of the intake unit tests live in intake_support (a unique module name: tests of several
services run in one process, and `from conftest import` would pick whichever conftest came first)."""

from intake_support import *  # noqa: F401,F403
