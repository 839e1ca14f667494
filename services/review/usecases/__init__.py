"""Use cases of the review service: every one is fn(ports, ...) with its ports first (ports.py)."""
