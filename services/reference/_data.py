"""Reading the package's own data files. Nothing here runs at import time."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_data_file(name: str) -> Any:
    """Parse ``data/<name>`` shipped inside this package.

    Raises FileNotFoundError if the file is missing and json.JSONDecodeError if it is not JSON.
    """
    return json.loads(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))
