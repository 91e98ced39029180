"""The edit form of a refinement: milestones (a formset), quarterly expected progress, and the
units behind open placeholders. Forms read the values;
duban.reporting.services.refinement_rules checks what they mean."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.forms import date_input
from duban.directory.models import Unit
from duban.ledger.models import Assignment, Target, Task

from ..services.refinement_rules import (
    PERCENT,
    QUARTERS,
    TARGETS,
    MilestoneInput,
    Problem,
    RefinementInput,
    named_units,
    open_assignments,
    slot_choices,
    task_units,
)

UnitChoices = list[tuple[Any, Any]]


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=gettext_lazy("What"), max_length=300, required=False)
    due_on = forms.DateField(
        label=gettext_lazy("By when"),
        required=False,
        widget=date_input(),
    )
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int, required=False)

    def __init__(
        self, *args: Any, unit_choices: UnitChoices, default_unit: int | None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *unit_choices]
        field.initial = default_unit

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("description") and not data.get("due_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank or data.get("DELETE"):
            return data
        if not data.get("description"):
            self.add_error("description", _("Say what is to be done."))
        if not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the date."))
        if not data.get("unit"):
            self.add_error("unit", _("Choose the unit."))
        return data


class BaseMilestoneFormSet(forms.BaseFormSet):
    def milestones(self) -> list[tuple[int, MilestoneInput]]:
        """(form index, milestone) of every filled, not deleted row, in order."""
        found = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE") or form.is_blank:
                continue
            found.append(
                (
                    index,
                    MilestoneInput(data["description"], data["due_on"], data["unit"], data["id"]),
                )
            )
        return found


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=BaseMilestoneFormSet, extra=2, can_delete=True
)


def milestone_formset(
    task: Task, data: Any = None, initial: Sequence[MilestoneInput] = ()
) -> BaseMilestoneFormSet:
    """The milestones of ``task``'s refinement: the saved ones, then two blank rows."""
    choices, default_unit = milestone_unit_choices(task)
    formset = MilestoneFormSet(
        data,
        prefix="milestones",
        form_kwargs={"unit_choices": choices, "default_unit": default_unit},
        initial=[
            {"id": m.id, "description": m.description, "due_on": m.due_on, "unit": m.unit_id}
            for m in initial
        ],
    )
    assert isinstance(formset, BaseMilestoneFormSet)
    return formset


@dataclass(frozen=True)
class QuarterRow:
    label: str
    fields: list[forms.BoundField]
    errors: list[str]
    target: Target | None = None


@dataclass(frozen=True)
class SlotRow:
    assignment: Assignment
    field: forms.BoundField
    errors: list[str]


class RefinementForm(forms.Form):
    """The version the user started from, the quarterly plan and the named slot units."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label=gettext_lazy("Measure the progress by"),
        choices=[
            (PERCENT, gettext_lazy("a percentage")),
            (TARGETS, gettext_lazy("the quantitative targets")),
        ],
        initial=PERCENT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        self.targets = list(task.targets.all())
        self.assignments = open_assignments(task)
        self.placed: dict[str, list[str]] = defaultdict(list)
        for q in QUARTERS:
            self.fields[f"percent_{q}"] = forms.IntegerField(
                label=f"Q{q}", required=False, min_value=0, max_value=100
            )
        for target in self.targets:
            for q in QUARTERS:
                self.fields[f"target_{target.pk}_{q}"] = forms.DecimalField(
                    label=f"{target.label} Q{q}", required=False, max_digits=16, decimal_places=4
                )
        for assignment in self.assignments:
            chosen = named_units(assignment)
            self.fields[f"slot_{assignment.pk}"] = forms.TypedMultipleChoiceField(
                label=assignment.name,
                coerce=int,
                required=False,
                choices=[(u.pk, u.name) for u in slot_choices(assignment, chosen)],
                widget=forms.CheckboxSelectMultiple,
            )
        if not self.targets:
            self.fields["mode"].widget = forms.HiddenInput()
            self.fields["mode"].choices = [(PERCENT, PERCENT)]  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, data: RefinementInput, version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version, "mode": data.mode}
        for q, value in zip(QUARTERS, data.percents, strict=False):
            initial[f"percent_{q}"] = value
        for target_id, values in data.target_values.items():
            for q, decimal in zip(QUARTERS, values, strict=False):
                initial[f"target_{target_id}_{q}"] = decimal
        for assignment_id, unit_ids in data.slots.items():
            initial[f"slot_{assignment_id}"] = list(unit_ids)
        return initial

    def to_input(self, milestones: Sequence[MilestoneInput]) -> RefinementInput:
        data = self.cleaned_data
        values: dict[int, list[Decimal | None]] = {
            t.pk: [data.get(f"target_{t.pk}_{q}") for q in QUARTERS] for t in self.targets
        }
        return RefinementInput(
            milestones=list(milestones),
            mode=data.get("mode") or PERCENT,
            percents=[data.get(f"percent_{q}") for q in QUARTERS],
            target_values=dict(values),
            slots={a.pk: data.get(f"slot_{a.pk}", []) for a in self.assignments},
        )

    def place(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.placed[problem.where].append(problem.message)

    @property
    def general_errors(self) -> list[str]:
        return self.placed.get("", [])

    @property
    def percent_row(self) -> QuarterRow:
        fields = [self[f"percent_{q}"] for q in QUARTERS]
        return QuarterRow(_("Expected progress (%)"), fields, self.placed.get("percent", []))

    @property
    def target_rows(self) -> list[QuarterRow]:
        return [
            QuarterRow(
                target.label,
                [self[f"target_{target.pk}_{q}"] for q in QUARTERS],
                self.placed.get(f"target-{target.pk}", []),
                target,
            )
            for target in self.targets
        ]

    @property
    def slot_rows(self) -> list[SlotRow]:
        return [
            SlotRow(a, self[f"slot_{a.pk}"], self.placed.get(f"slot-{a.pk}", []))
            for a in self.assignments
        ]


def milestone_unit_choices(task: Task) -> tuple[UnitChoices, int | None]:
    """The units a milestone may go to, grouped: the task's own, then those that may be named
    behind each open placeholder; and the default (the first lead unit)."""
    own = task_units(task, {})
    units = Unit.objects.in_bulk(own)
    choices: UnitChoices = [
        (_("Units of the task"), [(pk, units[pk].name) for pk in own if pk in units])
    ]
    for assignment in open_assignments(task):
        label = _("Behind “%(group)s”") % {"group": assignment.name}
        choices.append((label, [(u.pk, u.name) for u in slot_choices(assignment)]))
    return choices, own[0] if own else None


def place_milestone_problems(
    formset: BaseMilestoneFormSet, indexes: Sequence[int], problems: Iterable[Problem]
) -> list[Problem]:
    """Put each ``milestone-<n>`` problem on its row; return the others."""
    others = []
    for problem in problems:
        if problem.where.startswith("milestone-"):
            position = int(problem.where.split("-", 1)[1])
            formset.forms[indexes[position]].add_error(None, problem.message)
        else:
            others.append(problem)
    return others
