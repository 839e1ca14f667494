"""Use cases of the review service: each takes its ports explicitly (see ports.py)."""
