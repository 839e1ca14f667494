"""Fixtures of the review unit tests live in review_support (a unique module name: tests of several
services run in one process, and `from conftest import` would pick whichever conftest came first)."""

from review_support import *  # noqa: F401,F403
