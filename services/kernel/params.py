"""The request parameters of a route (``Annotated[Model, Body()]``, ``Header(alias=...)``, ``Query(...)``),
Powertools' own, imported after kernel.powertools (see there): a handler that imported them from
Powertools directly would load Powertools' whole event_handler package first."""

from kernel import powertools  # noqa: F401

# isort: split
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Query

__all__ = ["Body", "Header", "Query"]
