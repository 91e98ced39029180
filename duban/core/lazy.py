"""Modules imported on first use, so that a process starts without the libraries it won't need.

Some modules bring a large library: the document readers (openpyxl, pdfminer.six, lxml) and the
export writers (openpyxl, python-docx with lxml, PIL). ``duban parse notice.txt`` needs none of
them, nor does a page, an API call or a ledger read in the served processes: the master of
``duban serve`` imports every view before it forks its workers, and each library it imports
is memory that every process holds. So their callers hold such a module as a ``LazyModule``:
it is imported when one of its names is first used, i.e. when a file of that kind is read or
written (docs/configuration.md, "Start-up time"; docs/deploy.md). The import goes through
``importlib``, whose per-module lock makes a first use from two threads at once safe.

A caller names the module under ``TYPE_CHECKING`` too, so that type checkers see the real one::

    if TYPE_CHECKING:
        from duban.exports import ledger_xlsx
    else:
        ledger_xlsx = LazyModule("duban.exports.ledger_xlsx")

Only a name read at run time imports the module: keep its attributes out of module-level code
(a dict of its functions, a default argument) or the import happens at start-up after all.
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
