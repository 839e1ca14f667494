"""Use cases of the notification service, one module per concern; each takes the cause's
envelope, its data and the Dependencies from bootstrap (fakes in unit tests)."""
