"""Errors a reader or the parser raises for input it cannot use.

Messages are English msgids marked with ``N_`` so that the presentation layer (CLI, web,
API) translates them through Django's i18n; this module itself imports no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (xgettext keyword)."""
    return message


class IntakeError(Exception):
    """A file that cannot be read as a notice.

    ``code`` is stable for programs; ``message`` and ``hint`` are msgids formatted with
    ``params`` (what is wrong, and what the user should do about it).
    """

    def __init__(self, code: str, message: str, hint: str = "", **params: Any) -> None:
        self.code = code
        self.message = message
        self.hint = hint
        self.params = params
        super().__init__(self.render())

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        tr: Callable[[str], str] = translate or (lambda s: s)
        text = tr(self.message) % self.params if self.params else tr(self.message)
        if self.hint:
            hint = tr(self.hint) % self.params if self.params else tr(self.hint)
            text = f"{text}{'' if text.endswith(('。', '！', '：')) else ' '}{hint}"
        return text
