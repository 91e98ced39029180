"""Forms of the report pages: periods, the report, the review, contributions, the import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.files import MultipleFileField
from duban.core.forms import date_input
from duban.ledger.display import format_number
from duban.ledger.models import Target, TaskStatus

from ..models import Evidence, Milestone, Report
from ..services import figures
from ..services.reports import MAX_TEXT, FigureNote, ReportInput


def _evidence_name(evidence: Evidence) -> str:
    return evidence.original_name


def _text(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FigureField(forms.CharField):
    """A target's figure, read by the rule the Excel import reads it with
    (``figures.read_figure``): a plain, non-negative decimal number, no exponent notation."""

    def __init__(self, *, target: Target, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 12}))
        super().__init__(label=target.label, required=False, help_text=target.unit, **kwargs)
        self.target_label = target.label

    def to_python(self, value: Any) -> Any:
        try:
            return figures.read_figure(value, self.target_label)
        except figures.FigureError as exc:
            raise forms.ValidationError(gettext(exc.message) % exc.params) from None


class PeriodForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=date_input())
    due_on = forms.DateField(label=_("Due on"), widget=date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("due_on") and data["opens_on"] > data["due_on"]:
            self.add_error("due_on", _("A period cannot open after it is due."))
        return data


class StandardPeriodsForm(forms.Form):
    year_end_due = forms.DateField(
        label=_("Year-end report due on"),
        required=False,
        help_text=_("31 December when left empty."),
        widget=date_input(),
    )


class ReportForm(forms.Form):
    """The author's form; one ``target_<id>`` field per quantitative target of the task."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress %"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave it empty to have it worked out from the targets."),
    )
    progress_text = _text(_("Progress made"))
    problems = _text(_("Problems"))
    next_steps = _text(_("Next steps"))
    milestones = forms.ModelMultipleChoiceField(
        label=_("Milestones reached"),
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(label=_("Add evidence files"))
    remove = forms.ModelMultipleChoiceField(
        label=_("Remove files"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the figures above and they are right"), required=False
    )
    # The unusual figures the service asked to confirm (shown with ``confirm_warnings``).
    figure_warnings: list[FigureNote]

    def __init__(
        self,
        *args: Any,
        targets: Sequence[Target],
        milestones: Sequence[Milestone],
        report: Report | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.figure_warnings = []
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = FigureField(target=target)
        milestone_field = self.fields["milestones"]
        assert isinstance(milestone_field, forms.ModelMultipleChoiceField)
        milestone_field.queryset = Milestone.objects.filter(pk__in=[m.pk for m in milestones])
        if not milestones:
            del self.fields["milestones"]
        remove_field = self.fields["remove"]
        assert isinstance(remove_field, forms.ModelMultipleChoiceField)
        remove_field.queryset = report.evidence.all() if report else Evidence.objects.none()
        remove_field.label_from_instance = _evidence_name  # type: ignore[method-assign,assignment]
        if report is None or not report.evidence.exists():
            del self.fields["remove"]

    @staticmethod
    def initial_for(report: Report | None) -> dict[str, Any]:
        if report is None:
            return {"version": 0, "status": TaskStatus.IN_PROGRESS}
        initial: dict[str, Any] = {
            "version": report.version,
            "status": report.status,
            "progress": report.progress,
            "progress_text": report.progress_text,
            "problems": report.problems,
            "next_steps": report.next_steps,
            "milestones": list(report.milestones_reached.values_list("pk", flat=True)),
        }
        for value in report.target_values.all():
            initial[f"target_{value.target_id}"] = format_number(value.value)
        return initial

    def target_fields(self) -> list[tuple[Target, forms.BoundField]]:
        return [(target, self[f"target_{target.pk}"]) for target in self.targets]

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            status=data["status"],
            progress=data.get("progress"),
            progress_text=data.get("progress_text", ""),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
            target_values={t.pk: data.get(f"target_{t.pk}") for t in self.targets},
            milestone_ids=(
                [m.pk for m in data.get("milestones", [])] if "milestones" in self.fields else None
            ),
            confirmed=bool(data.get("confirm_warnings")),
        )

    def ask_to_confirm(self, warnings: list[FigureNote]) -> None:
        """Show the unusual figures with the box to confirm them (nothing was saved)."""
        self.figure_warnings = warnings
        self.add_error(
            None,
            gettext(
                "Some figures are unusual. Check them; if they are right, confirm them and save "
                "again."
            ),
        )


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is returned."),
    )


class ContributionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text = _text(_("What we did"))
    figures = _text(_("Our figures"))
    attachments = MultipleFileField(label=_("Add evidence files"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    submit = forms.BooleanField(
        label=_("Submit the imported reports at once (otherwise they are saved as drafts)"),
        required=False,
    )
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the unusual figures"),
        required=False,
        help_text=_(
            "Figures more than 3 times their target, or lower than the previous quarter's, are "
            "only imported with this ticked."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.DUBAN_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                gettext("The file is larger than the %(limit)s MB allowed.")
                % {"limit": limit // 2**20}
            )
        return upload
