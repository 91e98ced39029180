"""Forms of the user management pages: they read fields; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.directory.models import Leader, Unit, UnitKind

from .models import Role

ACTIVE_CHOICES = [
    ("", gettext_lazy("Active and inactive")),
    ("yes", gettext_lazy("Active")),
    ("no", gettext_lazy("Inactive")),
]


def _units() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.all(), required=False, empty_label="—"
    )


def unit_choices(keep: int | None = None, *, retired: bool = False) -> list[Any]:
    """Units grouped by kind (<optgroup>), towns and streets in official order; retired units
    only with ``retired`` or when one is ``keep`` (the account's current unit)."""
    units = Unit.objects.all() if retired else Unit.objects.filter(Q(active=True) | Q(pk=keep))
    units = units.order_by("code", "name")
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append((unit.pk, unit.name))
    grouped = [(str(label), by_kind[kind]) for kind, label in UnitKind.choices if kind in by_kind]
    return [("", "—"), *grouped]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("User name or full name"), required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        required=False,
        choices=[("", gettext_lazy("All roles")), *Role.choices],
    )
    unit = _units()
    active = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(retired=True)  # type: ignore[attr-defined]

    def criteria(self) -> dict[str, Any]:
        """Keyword arguments of ``services.find_users``; nothing when the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"],
            "role": data["role"],
            "unit": data["unit"],
            "active": {"yes": True, "no": False}.get(data["active"]),
        }


class UserForm(forms.Form):
    """Creating (with user name and password) or editing (without) an account."""

    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name of the person"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    unit = _units()
    leader = forms.ModelChoiceField(
        label=gettext_lazy("Leader"),
        queryset=Leader.objects.order_by("name"),
        required=False,
        empty_label="—",
        help_text=gettext_lazy("For leader accounts: the leader this account belongs to."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy(
            "Leave both empty to have a random password made, shown once after saving."
        ),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Initial password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(
        self,
        *args: Any,
        creating: bool,
        roles: list[str],
        current_unit: int | None = None,
        **kwargs: Any,
    ) -> None:
        """``roles``: the roles the person may give (``managed_roles``), offered in this order."""
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if value in roles
        ]
        self.fields["unit"].choices = unit_choices(keep=current_unit)  # type: ignore[attr-defined]
        self.fields["unit"].help_text = _(
            "Required for unit operators (their unit) and the office (its own unit)."
        )
        if not creating:
            for name in ("username", "password1", "password2"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
