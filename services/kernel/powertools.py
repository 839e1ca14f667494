"""Powertools' event handler for the HTTP edge, without the two package __init__ modules that load
everything else Powertools can handle.

``aws_lambda_powertools/event_handler/__init__.py`` imports every resolver Powertools has (AppSync, and
with it asyncio; Bedrock agents; VPC Lattice...), and the REST resolver imports its event classes from
``utilities/data_classes/__init__.py``, which imports the data class of every event source (Kinesis,
S3, CodePipeline, Cognito...). Python runs a package's __init__ before any of its submodules, so
naming the submodule is not enough: together they were ~45 ms of CPU on every API function's cold
start. Importing this module first (kernel.http and kernel.problems do, and the handlers take
Powertools' names from kernel.http) registers both packages as modules whose names load on first
use: a submodule when the name is one, a name the package's __init__ imports from a submodule from
that submodule, and any other name by running the real __init__ after all. Code that uses the
packages sees the same objects; only what is loaded, and when, differs.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from typing import Any

LAZY_PACKAGES = ("aws_lambda_powertools.event_handler", "aws_lambda_powertools.utilities.data_classes")


def _names_from_submodules(name: str, origin: str) -> dict[str, str]:
    """What the package's __init__ imports from its submodules: name -> absolute module name."""
    with open(origin, encoding="utf-8") as source:
        tree = ast.parse(source.read(), origin)
    where: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            module = importlib.util.resolve_name("." * node.level + node.module, name) if node.level else node.module
            if module.startswith(name + "."):
                for alias in node.names:
                    where[alias.asname or alias.name] = module
    return where


def lazy_package(name: str) -> types.ModuleType:
    """Register package ``name`` without running its __init__ (see the module docstring). A package
    already imported is left as it is."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.origin is None or spec.submodule_search_locations is None:
        return importlib.import_module(name)
    module = importlib.util.module_from_spec(spec)
    where: dict[str, str] = {}

    def __getattr__(attr: str) -> Any:
        if not where:
            where.update(_names_from_submodules(name, str(spec.origin)))
        if attr in where:
            value = getattr(importlib.import_module(where[attr]), attr)
            setattr(module, attr, value)
            return value
        if not attr.startswith("__") and importlib.util.find_spec(f"{name}.{attr}") is not None:
            return importlib.import_module(f"{name}.{attr}")
        # Anything else is the package's own: run its real __init__ now, into this same module.
        del module.__getattr__
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return getattr(module, attr)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)
    return module


for _package in LAZY_PACKAGES:
    lazy_package(_package)
