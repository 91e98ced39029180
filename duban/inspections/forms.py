"""Forms of the inspection pages; the workflow rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duban.core.files import MultipleFileField
from duban.core.forms import date_input
from duban.directory.models import Unit
from duban.ledger.models import Task

from .models import InspectionState, Severity
from .services import MAX_TEXT


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=date_input())


class TaskChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.number}. {obj.text[:60]}"


class InspectionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    tasks = TaskChoice(
        label=_("Tasks covered"),
        queryset=Task.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "task-choices"}),
    )
    team = forms.CharField(
        label=_("Inspection team"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("Names of the team members, one per line or separated by 、."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))
    state = forms.ChoiceField(label=_("State"), choices=InspectionState.choices)

    def __init__(self, *args: Any, tasks: QuerySet[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    task = forms.ModelChoiceField(label=_("Task"), queryset=Task.objects.none())
    text = forms.CharField(
        label=_("What was found"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.GENERAL
    )
    found_on = _date(_("Found on"))
    falsified = forms.BooleanField(
        label=_("Verified as a falsified report"),
        required=False,
        help_text=_(
            "The team verified that the task's report was false: the assessment deducts points "
            "from its lead units and vetoes their grade."
        ),
    )
    attachments = MultipleFileField(
        label=_("Photos and files"),
        help_text=_("JPG, PNG, PDF, Word (.docx) or Excel (.xlsx)."),
    )

    def __init__(self, *args: Any, tasks: QuerySet[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["task"]
        field.queryset = tasks  # type: ignore[attr-defined]
        field.label_from_instance = lambda task: f"{task.number}. {task.text[:60]}"  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    text = forms.CharField(
        label=_("What must be fixed"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.filter(active=True))
    deadline = _date(_("Deadline"))


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(
        label=_("Evidence files"),
        help_text=_("JPG, PNG, PDF, Word (.docx) or Excel (.xlsx)."),
    )


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=MAX_TEXT,
        help_text=_("What is missing or wrong: the unit sees it on the item and in its list."),
        error_messages={
            "required": _("Say why the report is returned: the unit needs the reason.")
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )
