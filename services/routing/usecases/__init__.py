"""What routing does, against its ports (usecases/ports.py)."""
