"""Copies of the boundary contract's JSON Schemas (`shared/contract/`), shipped with the package.

A test checks that these copies are identical to the shared originals.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def schema(name: str) -> dict:
    """`application` or `verdict`: the JSON Schema as a dict."""
    text = resources.files("models.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)
