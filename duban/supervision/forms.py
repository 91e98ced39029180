"""Forms of the supervision pages: notices, extension requests, 约谈 notes and circulars (通报)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.files import MultipleFileField
from duban.directory.models import Unit
from duban.ledger.models import Task
from duban.reporting.models import Milestone, Period

from .models import NoticeLevel, NoticeState
from .services.notices import MAX_TEXT, lead_units, not_on_task, reachable_units, reaches_unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UnitChoiceField(forms.MultipleChoiceField):
    """Units ticked among the task's (``choices``); the form's ``clean`` turns them into units
    and says, by name, why a unit the task does not reach cannot be chosen (a forged or stale
    choice is not an "invalid choice" here, it gets a sentence)."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value: Any) -> bool:
        return True


class NoticeForm(forms.Form):
    """A notice on a task to one or more of the units it reaches (one notice each), with
    co-operating units; the units come grouped as the task reaches them (``unit_groups``)."""

    level = forms.ChoiceField(label=_("Level"), choices=NoticeLevel.choices)
    units = UnitChoiceField(
        label=_("Addressed to"),
        help_text=_(
            "Each unit ticked gets its own notice, with its own document number, and answers it."
        ),
    )
    co_units = UnitChoiceField(label=_("Co-operating units"), required=False)
    milestone = forms.ModelChoiceField(
        label=_("Milestone"), queryset=Milestone.objects.none(), required=False
    )
    problem = _text(_("Problem"))
    requirement = _text(_("Requirement"))
    reply_due = forms.DateField(label=_("Reply by"), widget=DATE)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        self.headings = reachable_units(task)
        choices = [(str(u.pk), u.name) for h in self.headings for u in h.units]
        self.fields["units"].choices = choices  # type: ignore[attr-defined]
        self.fields["co_units"].choices = choices  # type: ignore[attr-defined]
        self.fields["milestone"].queryset = Milestone.objects.filter(  # type: ignore[attr-defined]
            refinement__task=task
        )
        leads = lead_units(task)
        if leads and not self.is_bound:
            self.initial.setdefault("units", [str(leads[0].pk)])

    def _grouped(self, name: str) -> list[tuple[str, list[Any]]]:
        options = {str(option.data["value"]): option for option in self[name]}
        return [
            (h.label, [options[str(u.pk)] for u in h.units if str(u.pk) in options])
            for h in self.headings
        ]

    @property
    def unit_groups(self) -> list[tuple[str, list[Any]]]:
        return self._grouped("units")

    @property
    def co_unit_groups(self) -> list[tuple[str, list[Any]]]:
        return self._grouped("co_units")

    def _units(self, name: str) -> list[Unit]:
        values = self.cleaned_data.get(name) or []
        try:
            ids = list(dict.fromkeys(int(value) for value in values))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("There is no such unit.")) from None
        found = Unit.objects.in_bulk(ids)
        if len(found) != len(ids):
            raise forms.ValidationError(_("There is no such unit."))
        units = [found[pk] for pk in ids]
        for unit in units:
            if not reaches_unit(self.task, unit):
                raise forms.ValidationError(not_on_task(self.task, unit))
        return units

    def clean_units(self) -> list[Unit]:
        return self._units("units")

    def clean_co_units(self) -> list[Unit]:
        return self._units("co_units")


class ReplyForm(forms.Form):
    text = _text(_("What was done"))
    attachments = MultipleFileField(label=_("Attach files"))


class AcceptForm(forms.Form):
    comment = _text(_("Comment"), required=False)


class PressForm(forms.Form):
    comment = _text(_("Why the notice is pressed again"))
    requirement = _text(_("New requirement"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=NoticeLevel.choices)
    reply_due = forms.DateField(label=_("New reply deadline"), widget=DATE)


class NoticeFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All")), *NoticeLevel.choices]
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *NoticeState.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.all(), empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Reply overdue"), required=False)


class ExtensionForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label=_("Milestone"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("The task's deadline"),
    )
    requested_due = forms.DateField(label=_("New date"), widget=DATE)
    reason = _text(_("Reason"))

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(  # type: ignore[attr-defined]
            refinement__task=task
        )


class DecisionForm(forms.Form):
    comment = _text(_("Comment"), required=False)


class SummonsForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    note = _text(_("Note"))


# The circular (通报)


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


class PeriodPressForm(forms.Form):
    """The period 催办: the deadline of the replies, the requirement, and the units to press
    (``choices``: those with missing reports; all ticked at first)."""

    reply_due = forms.DateField(label=_("Reply by"), widget=DATE)
    requirement = _text(_("Requirement"))
    units = UnitChoiceField(label=_("Units to press"))

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(str(u.pk), u.name) for u in units]  # type: ignore[attr-defined]

    def clean_units(self) -> list[int]:
        """The units ticked; one whose reports came in since the preview is told apart by the
        service (``PressResult.nothing_missing``), not refused here."""
        try:
            return list(dict.fromkeys(int(value) for value in self.cleaned_data["units"]))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("There is no such unit.")) from None
