"""Password rules: Django's own, with messages duban's catalogue carries.

Django 5.2 rewrote the too-short message (``... at least %d characters.``) and its Chinese
catalogue still has only the old wording, so the rule would speak English on a Chinese page.
duban's subclass says it in words of its own (duban/locale), whatever Django's catalogue holds.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
