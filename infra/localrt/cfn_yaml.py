"""The one reader of CloudFormation YAML: the runtime, the tests and the bench all load the template here.

A SafeLoader that knows the short tags (``!Ref X``, ``!GetAtt A.B``, ``!Sub ...``) and turns each into
the long form CloudFormation itself stores (``{"Ref": "X"}``, ``{"Fn::GetAtt": ["A", "B"]}``,
``{"Fn::Sub": ...}``), so whoever reads the document sees one shape whichever form the template uses.

The template is read by every runtime, by the integration tests' table builder and by several contract
tests: parsed by PyYAML's pure-Python scanner it took ~0.19 s each time, ~15 s of a `make test`. So the
loader is libyaml's (CSafeLoader, which PyYAML's wheels carry; the pure-Python SafeLoader where it is
missing), and a file is parsed once per process and content: each caller gets its own deep copy.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

SHORT_TAGS = ("Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Not", "Equals", "And", "Or", "Condition",
              "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Length", "ToJsonString")


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CfnLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader (libyaml's where PyYAML has it) that turns CloudFormation short tags into their
    long form. Safe either way: no tag constructs an arbitrary object."""


def long_form(tag: str) -> str:
    """``Ref`` and ``Condition`` keep their name; every other short tag is an ``Fn::`` function."""
    return tag if tag in ("Ref", "Condition") else f"Fn::{tag}"


def _constructor(tag: str) -> Callable[[yaml.SafeLoader, yaml.Node], dict[str, Any]]:
    name = long_form(tag)

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if tag == "GetAtt":  # !GetAtt A.B is short for [A, B]
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            assert isinstance(node, yaml.MappingNode)
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    return construct


for _tag in SHORT_TAGS:
    CfnLoader.add_constructor(f"!{_tag}", _constructor(_tag))


def load_yaml_text(text: str) -> dict[str, Any]:
    return copy.deepcopy(_parsed(text))


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> dict[str, Any]:
    return yaml.load(text, Loader=CfnLoader)  # a safe loader: no arbitrary objects


def load_yaml(path: str | Path) -> dict[str, Any]:
    """The template (or any CloudFormation YAML file) as a dict, short tags in their long form: a
    document of the caller's own (changing it changes no other caller's), as the file reads now."""
    return load_yaml_text(Path(path).read_text(encoding="utf-8"))
