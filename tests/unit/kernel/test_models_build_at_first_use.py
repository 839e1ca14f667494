"""Every pydantic model of the services builds its schema when first used (``defer_build=True``):
a function then builds the few models its first request needs, not the hundred-odd it imports.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from pydantic import BaseModel

SERVICES = Path(__file__).resolve().parents[3] / "services"


def _modules_with_models() -> list[str]:
    names = []
    for path in sorted(SERVICES.rglob("*.py")):
        if "BaseModel" in path.read_text(encoding="utf-8"):
            names.append(".".join(path.relative_to(SERVICES).with_suffix("").parts))
    return names


def test_every_model_defined_in_the_services_defers_its_build():
    modules = _modules_with_models()
    assert len(modules) >= 10
    models, eager = [], []
    for name in modules:
        for _, obj in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__ == name:
                models.append(obj)
                if not obj.model_config.get("defer_build"):
                    eager.append(f"{name}.{obj.__qualname__}")
    assert len(models) >= 50
    assert eager == [], "add defer_build=True to their model_config"
