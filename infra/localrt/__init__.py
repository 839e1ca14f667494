"""localrt: run the whole serverless system locally from infra/template.yaml, with moto.

    from localrt import LocalRuntime
    with LocalRuntime(port=0) as rt:
        rt.url, rt.endpoint_url, rt.token(role="employer", enterprise_number="0403170701")
        rt.advance(days=3); rt.settle(); rt.mail()
"""

from .runtime import LocalRuntime, SettleTimeout
from .template import load_template

__all__ = ["LocalRuntime", "SettleTimeout", "load_template"]
