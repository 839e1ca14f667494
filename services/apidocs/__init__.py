"""Health check and the API documents: one OpenAPI document merged from every service's routes."""
