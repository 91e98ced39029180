"""Form pieces every app uses alike."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """A browser date picker: ``<input type="date">`` takes and gives ISO dates (2023-08-15)
    whatever the language, so the value is written in ISO, never in the locale's format (which
    the picker would reject and show empty)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
