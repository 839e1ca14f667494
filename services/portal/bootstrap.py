"""The one composition root of the portal: ports built from the environment at first use.

Tests call ``override(ports)`` with fakes instead of monkeypatching; ``reset()`` forgets both.
"""

from __future__ import annotations

import time

from kernel.settings import Settings
from portal.adapters.api_client import HttpJsonApi
from portal.adapters.oidc import OidcProvider
from portal.adapters.sessions import DynamoSessionStore
from portal.usecases.ports import Ports


class PortalSettings(Settings):
    table_name: str
    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret_arn: str
    oidc_discovery_url: str = ""
    stylesheet_url: str = ""
    api_base_url: str = ""


_settings: PortalSettings | None = None
_ports: Ports | None = None


def settings() -> PortalSettings:
    global _settings
    if _settings is None:
        _settings = PortalSettings.from_environ()
    return _settings


def ports() -> Ports:
    global _ports
    if _ports is None:
        env = settings()
        _ports = Ports(api=HttpJsonApi(), sessions=DynamoSessionStore(env.table_name),
                       identity=OidcProvider(env.oidc_issuer, env.oidc_client_id, env.oidc_client_secret_arn,
                                             env.oidc_discovery_url),
                       now=time.time)
    return _ports


def override(ports: Ports | None = None, settings: PortalSettings | None = None) -> None:
    """For tests: use these ports (and settings) instead of the real ones."""
    global _ports, _settings
    _ports, _settings = ports, settings


def reset() -> None:
    override(None, None)
