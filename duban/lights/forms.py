from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LightSettings, OverrideColour


class OverrideForm(forms.Form):
    colour = forms.ChoiceField(
        label=_("colour"),
        choices=OverrideColour.choices,
        widget=forms.Select(attrs={"id": "light-colour"}),
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "id": "light-reason"}),
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = LightSettings
        fields = ("days_before_yellow", "pace_yellow", "pace_red", "time_pace")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        yellow, red = data.get("pace_yellow"), data.get("pace_red")
        if yellow is not None and red is not None and yellow > red:
            raise forms.ValidationError(_("The yellow threshold cannot be above the red one."))
        return data
