"""The appeal service."""
