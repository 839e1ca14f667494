"""Reading the package's own data files. Nothing here runs at import time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# A folder beside this module (the Lambda package is unzipped in /var/task): read by path, without
# importlib.resources, whose import alone cost a cold start 3 ms.
DATA = Path(__file__).resolve().parent / "data"


def read_data_file(name: str) -> Any:
    """Parse ``data/<name>`` shipped inside this package.

    Raises FileNotFoundError if the file is missing and json.JSONDecodeError if it is not JSON.
    """
    return json.loads((DATA / name).read_text(encoding="utf-8"))
