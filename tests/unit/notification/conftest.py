"""Fixtures of the notification unit tests live in notification_support (a unique module name: tests of several
services run in one process, and `from conftest import` would pick whichever conftest came first)."""

from notification_support import *  # noqa: F401,F403
