"""Ports of the appeal service (Protocols), their DynamoDB implementations and in-memory fakes."""
