"""Forms of the ledger pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TaskStatus


class StatusForm(forms.Form):
    """Set a task's status by hand, until progress reports set it (a later issue)."""

    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
