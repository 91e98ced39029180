"""The one field of every two-factor form: a code from the app, or a recovery code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        strip=True,
        error_messages={"required": _("Enter the code.")},
    )

    def __init__(
        self, *args: Any, digits_only: bool = False, autofocus: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        attrs: dict[str, Any] = {"autocomplete": "one-time-code", "autocapitalize": "none"}
        if autofocus:
            attrs["autofocus"] = True
        if digits_only:
            attrs.update(inputmode="numeric", pattern="[0-9 ]*")
        self.fields["code"].widget.attrs.update(attrs)
