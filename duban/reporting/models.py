"""Refinement, reporting periods, reports, contributions and evidence: the quarterly cycle.

Lead units refine their tasks into milestones and quarterly expected progress (细化任务台账),
report every period (进展情况、存在问题、下步打算, target figures, evidence), gather the
responsible units' contributions; the office reviews. Nothing is overwritten: every saved and
submitted state of a report is kept as a ReportVersion.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.stored import StoredFile
from duban.directory.models import Unit
from duban.ledger.models import Assignment, Plan, Target, Task, TaskStatus


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR_END = "year_end", _("Year-end report")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Period(models.Model):
    """A reporting round: 2023Q1 … 2023Q4 and the year-end report (2023Y)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    code = models.CharField(_("code"), max_length=10)  # "2023Q1", "2023Y"
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.PLANNED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="period_code_unique")]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return self.code


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Refinement(models.Model):
    """The lead unit's breakdown of one task (细化任务台账), reviewed by the office."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="refinement")
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    review_comment = models.TextField(_("office's comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock: two editors, one wins

    def __str__(self) -> str:
        return f"{self.task} · {self.get_state_display()}"


class Milestone(models.Model):
    """One step of a refined task: what, by when, which unit (节点)."""

    refinement = models.ForeignKey(Refinement, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField()
    description = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("by when"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["refinement", "position"]

    def __str__(self) -> str:
        return self.description


class QuarterPlan(models.Model):
    """Expected progress at the end of a quarter (形象进度): a percentage or a target value."""

    refinement = models.ForeignKey(Refinement, on_delete=models.CASCADE, related_name="quarters")
    quarter = models.PositiveSmallIntegerField()  # 1–4
    expected_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expected_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["refinement", "quarter", "target"]

    def __str__(self) -> str:
        return f"Q{self.quarter}"


class SlotUnit(models.Model):
    """A unit the lead unit names behind an open placeholder (相关镇（街道） → 缑氏镇)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="slot_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="slots")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="slot_unit_unique")
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Report(models.Model):
    """The lead unit's report on one task for one period; its history is in ReportVersion."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.IN_PROGRESS
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), null=True, blank=True)
    progress_text = models.TextField(_("progress (进展情况)"), blank=True)
    problems = models.TextField(_("problems (存在问题)"), blank=True)
    next_steps = models.TextField(_("next steps (下步打算)"), blank=True)
    milestones_reached = models.ManyToManyField(Milestone, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    days_late = models.PositiveIntegerField(default=0)
    review_comment = models.TextField(_("office's comment"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock

    class Meta:
        ordering = ["period", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="report_unique")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.period} · {self.task}"


class ReportTargetValue(models.Model):
    """The current value of one quantitative target, as the report states it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="target_values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="report_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.value}"


class ReportVersion(models.Model):
    """A frozen copy of a report at each save, submission, return and acceptance."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ReviewState.choices)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class Contribution(models.Model):
    """A responsible unit's part of the lead unit's report."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="contributions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="contributions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contributions")
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    text = models.TextField(_("what we did"), blank=True)
    figures = models.TextField(_("our figures"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "period", "unit"], name="contribution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.task} · {self.unit}"


class Evidence(StoredFile):
    """A file attached to a report or a contribution, stored outside the web root."""

    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, contribution__isnull=True)
                | models.Q(report__isnull=True, contribution__isnull=False),
                name="evidence_report_or_contribution",
            )
        ]


def task_of(obj: Any) -> int | None:
    """The task an object of this app belongs to (for the task's history)."""
    for path in (
        "task_id",
        "refinement.task_id",
        "report.task_id",
        "contribution.task_id",
        "assignment.task_id",
    ):
        value: Any = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return int(value)
    return None
