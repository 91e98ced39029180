"""Small filters of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any, fallback: str = "—") -> str:
    """``{{ adjustment.made_by|person:"督查室" }}``: a person by name (the user name only when
    there is none); ``fallback`` for nobody (the console, a deleted account)."""
    if user is None:
        return fallback
    return str(user.get_full_name() or user.get_username())
