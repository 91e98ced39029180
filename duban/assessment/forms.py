"""Forms of the assessment pages; the rules (what may be done when) live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from duban.core.files import MultipleFileField
from duban.core.forms import date_input
from duban.directory.models import Unit, UnitKind
from duban.ledger.models import Task

from . import scheme as scheme_rules
from .services.schemes import LABELS

MAX_TEXT = 2000
FILES_HELP = _("JPG, PNG, PDF, Word (.docx) or Excel (.xlsx).")


def plain(value: Decimal) -> str:
    """A number as people write it: 0.5, 60 (never 60.00 or 6E+1)."""
    return format(value.normalize(), "f")


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _points(label: Any, **kwargs: Any) -> forms.DecimalField:
    """Points as people write them: up to two decimals, between −100 and 100."""
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-100"),
        max_value=Decimal("100"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class PublicityForm(forms.Form):
    """开始公示: for how many working days (the scheme's number by default)."""

    days = forms.IntegerField(
        label=_("Publicity (working days)"),
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


RECOGNITION_KINDS = [
    ("higher_level", _("Recognition from a higher level (上级表彰)")),
    ("instruction", _("Leaders' written approval (领导批示肯定)")),
]


class RecognitionForm(forms.Form):
    """上级表彰: a higher level's recognition of a unit, with its document."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    points = forms.DecimalField(
        label=_("Bonus points"),
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    title = forms.CharField(label=_("What was recognised"), max_length=300)
    document = forms.CharField(
        label=_("Document (name and number)"),
        max_length=300,
        help_text=_("The higher level's document, e.g. 洛政〔2023〕12号."),
    )
    granted_on = forms.DateField(label=_("Granted on"), widget=date_input())
    task = forms.ModelChoiceField(
        label=_("Task (if it concerns one)"), queryset=Task.objects.none(), required=False
    )
    attachments = MultipleFileField(label=_("The document (file)"), help_text=FILES_HELP)

    def __init__(
        self,
        *args: Any,
        units: Any,
        tasks: Any,
        least: Decimal,
        most: Decimal,
        instruction: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if instruction:  # the scheme counts 领导批示肯定: the office records those here too
            self.fields["kind"] = forms.ChoiceField(
                label=_("Kind"), choices=RECOGNITION_KINDS, initial="higher_level"
            )
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        task_field = self.fields["task"]
        task_field.queryset = tasks  # type: ignore[attr-defined]
        task_field.label_from_instance = lambda task: f"{task.number}. {task.text[:50]}"  # type: ignore[attr-defined]
        points = self.fields["points"]
        points.validators += [MinValueValidator(least), MaxValueValidator(most)]
        points.help_text = _("From %(least)s to %(most)s points.") % {
            "least": plain(least),
            "most": plain(most),
        }
        points.widget.attrs.update({"min": str(least), "max": str(most)})


class AdjustForm(forms.Form):
    """The office's change of one item: the points it should count, why, and the document."""

    points = _points(_("Points after the adjustment"))
    reason = _text(
        _("Reason for the adjustment"),
        error_messages={"required": _("Say why the item is adjusted: the unit sees the reason.")},
    )
    attachments = MultipleFileField(
        label=_("Supporting document"),
        help_text=_("Required: the document the adjustment rests on (PDF, Word, Excel, a photo)."),
    )

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data["attachments"]
        if not files:
            raise forms.ValidationError(_("Attach the document the adjustment rests on."))
        return list(files)


class AppealForm(forms.Form):
    """申诉: a unit asks the office to look at one of its items again."""

    reason = _text(
        _("Reason for the appeal"),
        rows=4,
        error_messages={"required": _("Say why your unit appeals this item.")},
    )
    attachments = MultipleFileField(label=_("Evidence files"), help_text=FILES_HELP)


class DecisionForm(forms.Form):
    """The office's answer to an appeal: upheld (with the points the item counts) or not."""

    UPHELD = "upheld"
    REJECTED = "rejected"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(UPHELD, _("Uphold (采纳)")), (REJECTED, _("Reject (不予采纳)"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the appeal is upheld.")},
    )
    reply = _text(
        _("Reply to the unit"),
        error_messages={"required": _("Write the reply: the unit reads it with the decision.")},
    )
    points = _points(
        _("Points the item counts when upheld"),
        required=False,
        help_text=_("Left empty, an upheld appeal sets the item to 0 points."),
    )

    @property
    def upheld(self) -> bool:
        return bool(self.cleaned_data.get("decision") == self.UPHELD)


# --- The scheme ---------------------------------------------------------------------------------

# How the scheme's rules are grouped on the page and in the form; a rule the engine adds later
# and that is named in no section is shown under "Other rules".
SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("Points of each part (base score)"),
        ("completion_pool", "pace_pool", "reporting_pool", "response_pool"),
    ),
    (_("Task completion"), ("lead_weight", "responsible_weight", "evidence_required")),
    (_("Pace of progress"), ("pace_red", "pace_yellow")),
    (
        _("Reporting"),
        (
            "late_minor_days",
            "report_late_minor",
            "report_late_major",
            "report_missing",
            "report_returned",
        ),
    ),
    (_("Response to supervision"), ("notice_late_reply", "notice_supervise", "notice_listed")),
    (_("Responsible units"), ("responsible_share",)),
    (
        _("Bonus"),
        (
            "bonus_cap",
            "early_bonus",
            "beyond_target_bonus",
            "task_bonus_cap",
            "praise_bonus",
            "recognition_min",
            "recognition_max",
            "instruction_bonus",
        ),
    ),
    (_("Deduction"), ("criticism", "falsified")),
    (_("Veto (一票否决)"), ("veto_falsified", "veto_missed_tasks")),
    (
        _("Ranking and grades"),
        ("township_kinds", "grade_excellent", "grade_good", "grade_fair", "excellent_quota"),
    ),
    (_("Publicity"), ("publicity_days",)),
)
OTHER_SECTION = _("Other rules")


def sections() -> list[tuple[Any, list[str]]]:
    """Every rule of the scheme in its section, in order (unnamed ones last)."""
    named = {name for _title, names in SECTIONS for name in names}
    found = [
        (title, [n for n in names if n in scheme_rules.FIELD_NAMES]) for title, names in SECTIONS
    ]
    rest = [name for name in scheme_rules.FIELD_NAMES if name not in named]
    if rest:
        found.append((OTHER_SECTION, rest))
    return [(title, names) for title, names in found if names]


def _rule_field(name: str) -> forms.Field:
    default = getattr(scheme_rules.DEFAULT, name)
    label = LABELS.get(name, name)
    if isinstance(default, bool):
        return forms.BooleanField(label=label, required=False)
    if isinstance(default, int):
        return forms.IntegerField(
            label=label, min_value=0, max_value=1000, widget=forms.NumberInput(attrs={"min": "0"})
        )
    if isinstance(default, Decimal):
        return forms.DecimalField(
            label=label,
            min_value=Decimal("0"),
            max_digits=7,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        )
    if isinstance(default, tuple):
        return forms.MultipleChoiceField(
            label=label,
            choices=UnitKind.choices,
            widget=forms.CheckboxSelectMultiple,
        )
    raise TypeError(f"no form field for the rule {name}")  # pragma: no cover


class SchemeForm(forms.Form):
    """Every rule of the scheme, as numbers and switches; saving makes the next version."""

    note = _text(
        _("What changed"),
        rows=2,
        error_messages={"required": _("Say what this version changes: it is kept with it.")},
    )

    def __init__(self, *args: Any, rules: scheme_rules.Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in scheme_rules.FIELD_NAMES:
            field = _rule_field(name)
            value = getattr(rules, name)
            field.initial = list(value) if isinstance(value, tuple) else value
            self.fields[name] = field

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in sections()]

    def rules(self) -> dict[str, Any]:
        """The rules as ``save_scheme`` takes them (the JSON form of the scheme)."""
        out: dict[str, Any] = {}
        for name in scheme_rules.FIELD_NAMES:
            value = self.cleaned_data[name]
            if isinstance(value, Decimal):
                out[name] = plain(value)
            elif isinstance(value, list | tuple):
                out[name] = list(value)
            else:
                out[name] = value
        return out
