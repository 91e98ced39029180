"""Modules imported on first use, so that a command starts without the libraries it won't need.

The readers of Excel, PDF, Word and web pages each bring a large library (openpyxl,
pdfminer.six, lxml: together about 0.15 s to import). ``duban parse notice.txt`` needs none of
them, so ``readers`` and ``pipeline`` hold them as ``LazyModule``: the module is imported when one
of its names is first used, i.e. when a file of that kind is read (docs/configuration.md,
"Start-up time"). The import goes through ``importlib``, whose per-module lock makes a first use
from two threads at once safe.

For type checkers the real modules are imported under ``TYPE_CHECKING`` beside the lazy ones.
"""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """Stands for the module ``name`` and imports it when an attribute is first read."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
