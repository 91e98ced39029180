"""Forms of the directory pages. Name rules live in services; forms turn them into errors."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Group, GroupExpansion, Leader, Unit, UnitAlias, UnitKind
from .names import name_key
from .services import DirectoryError, by_kind, check_name_free, clean_name

CODE = re.compile(r"\d{6}|\d{9}|\d{12}")


def _checked_name(value: str, *, unit: Unit | None = None, group: Group | None = None) -> str:
    try:
        name = clean_name(value)
        check_name_free(name, unit=unit, group=group)
    except DirectoryError as exc:
        raise forms.ValidationError(str(exc)) from exc
    return name


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name, full name or alias"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *UnitKind.choices],
    )


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ("name", "full_name", "kind", "code", "active")

    def clean_name(self) -> str:
        return _checked_name(self.cleaned_data["name"], unit=self.instance)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if code and not CODE.fullmatch(code):
            raise forms.ValidationError(_("A division code has 6, 9 or 12 digits."))
        return code


class AliasForm(forms.ModelForm):
    class Meta:
        model = UnitAlias
        fields = ("name",)


class BaseAliasFormSet(forms.BaseInlineFormSet):
    """The unit's aliases, checked against each other and against the unit's own new name."""

    unit_name = ""

    def clean(self) -> None:
        super().clean()
        seen = {name_key(self.unit_name)} if self.unit_name else set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", {})
            name = cleaned.get("name")
            if not name or cleaned.get("DELETE"):
                continue
            try:
                name = clean_name(name)
                if name_key(name) in seen:
                    raise DirectoryError(
                        _("“%(name)s” is already a name of this unit.") % {"name": name}
                    )
                check_name_free(name, unit=self.instance)
            except DirectoryError as exc:
                form.add_error("name", str(exc))
                continue
            seen.add(name_key(name))
            form.cleaned_data["name"] = name


_AliasFormSet = forms.inlineformset_factory(
    Unit, UnitAlias, form=AliasForm, formset=BaseAliasFormSet, extra=2, can_delete=True
)


def alias_formset(unit: Unit, data: Any = None, *, unit_name: str = "") -> BaseAliasFormSet:
    """The alias rows of ``unit``'s page; ``unit_name`` is the name submitted with them."""
    formset = cast(BaseAliasFormSet, _AliasFormSet(data, instance=unit, prefix="aliases"))
    formset.unit_name = unit_name
    return formset


def _unit_choices() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=by_kind(Unit.objects.all()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class LeaderForm(forms.ModelForm):
    class Meta:
        model = Leader
        fields = ("name", "title", "units", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = gettext_lazy("Leader's name")
        units = _unit_choices()
        units.label = Leader._meta.get_field("units").verbose_name
        self.fields["units"] = units

    def clean_name(self) -> str:
        try:
            name = clean_name(self.cleaned_data["name"])
        except DirectoryError as exc:
            raise forms.ValidationError(str(exc)) from exc
        others = Leader.objects.exclude(pk=self.instance.pk) if self.instance.pk else Leader.objects
        if name_key(name) in {name_key(other) for other in others.values_list("name", flat=True)}:
            raise forms.ValidationError(
                _("There is already a leader called “%(name)s”.") % {"name": name}
            )
        return name


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ("name", "expansion", "members")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = _unit_choices()
        members.label = Group._meta.get_field("members").verbose_name
        members.help_text = gettext_lazy(
            "Only when the group stands for the units listed as members; otherwise ignored."
        )
        self.fields["members"] = members

    def clean_name(self) -> str:
        return _checked_name(self.cleaned_data["name"], group=self.instance)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expansion") == GroupExpansion.MEMBERS:
            if not data.get("members"):
                self.add_error("members", _("Tick the units this group stands for."))
        elif "members" in data:
            data["members"] = Unit.objects.none()
        return data
