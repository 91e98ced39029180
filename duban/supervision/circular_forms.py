"""Forms of the circular (通报) pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.directory.models import Unit
from duban.reporting.models import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units(label: Any, queryset: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple
    )


class CircularNewForm(forms.Form):
    """The office picks the units to praise and criticise among the suggestions (or any unit)."""

    praised = _units(_("Units to praise"), Unit.objects.none())
    criticised = _units(_("Units to criticise"), Unit.objects.none())
    rectify_by = forms.DateField(label=_("Rectify by"), widget=DATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["praised"].queryset = units  # type: ignore[attr-defined]
        self.fields["criticised"].queryset = units  # type: ignore[attr-defined]


class CircularForm(CircularNewForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    recipients = forms.CharField(label=_("Addressed to (主送)"), max_length=500)
    cc = forms.CharField(label=_("Copied to (抄送)"), max_length=500, required=False)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("One paragraph a line; headings start with # (一、), ## (（一）) or ### (1.)."),
    )
    regenerate = forms.BooleanField(
        label=_("Rebuild the body from the record and the units chosen"), required=False
    )
    rectify_by = forms.DateField(label=_("Rectify by"), widget=DATE, required=False)

    field_order = [  # noqa: RUF012 - a Django form option
        "title",
        "recipients",
        "cc",
        "praised",
        "criticised",
        "rectify_by",
        "body",
    ]


class PeriodChoiceForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.select_related("plan").order_by(  # type: ignore[attr-defined]
            "-plan__year", "due_on"
        )
