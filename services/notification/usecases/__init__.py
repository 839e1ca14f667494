"""Use cases of the notification service, one module per topic; each is fn(ports, envelope, data)
for the event that causes it (usecases.ports has the Ports)."""
