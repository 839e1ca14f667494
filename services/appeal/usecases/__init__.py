"""What the appeal service does, one module per topic, against its ports (usecases/ports.py)."""
