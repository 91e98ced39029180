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
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.core.stored import StoredFile
from duban.directory.models import Unit
from duban.ledger.models import Assignment, Plan, Target, Task, TaskStatus
from duban.ledger.progress import progress_from_targets


def tasks(who: Actor, action: Action) -> models.QuerySet[Task, Any]:
    """The pks of the tasks ``who`` may ``action`` (the Task rule every rule here builds on)."""
    return Task.objects.all().permitted(who, action).values("pk")


def on_tasks(who: Actor, action: Action) -> Q:
    """A filter on ``task``: one of the tasks ``who`` may ``action``; none at all when the rule
    gives every task (the office reviews all), which spares the database a look at each task
    for each row (the office's reports to review among 80,000)."""
    every = Task.objects.all()
    found = every.permitted(who, action)
    return Q() if found is every else Q(task__in=found.values("pk"))


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR_END = "year_end", _("Year-end report")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("Not open yet")
    OPEN = "open", pgettext_lazy("period", "Open")  # 开放中 (the verb is 打开)
    CLOSED = "closed", _("Closed")


class PeriodQuerySet(RestrictedQuerySet["Period"]):
    """A plan's periods (and the list of a period's reports) are seen by those who see a task
    of the plan; the office opens, closes and dates them."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> PeriodQuerySet:
        if action == Action.VIEW:
            return self.filter(plan__in=Plan.objects.all().permitted(who, Action.VIEW).values("pk"))
        if action == Action.CHANGE:
            return self if who.manages else self.none()
        return self.none()


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

    objects = PeriodQuerySet.as_manager()

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


EDITABLE = (ReviewState.DRAFT, ReviewState.RETURNED)  # what its author may still change


class RefinementQuerySet(RestrictedQuerySet["Refinement"]):
    """A refinement is read by those who see its task; the lead unit writes it while it is a
    draft or returned (``CHANGE``, also asked as ``REFINE``); the office reviews it."""

    actions = (Action.VIEW, Action.CHANGE, Action.REFINE, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> RefinementQuerySet:
        if action == Action.VIEW:
            return self.filter(task__in=tasks(who, Action.VIEW))
        if action in (Action.CHANGE, Action.REFINE):
            return self.filter(task__in=tasks(who, Action.REFINE), state__in=EDITABLE)
        if action == Action.REVIEW:
            return self.filter(task__in=tasks(who, Action.REVIEW))
        return self.none()


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

    objects = RefinementQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.task} · {self.get_state_display()}"


class MilestoneQuerySet(RestrictedQuerySet["Milestone"]):
    """A refinement's milestones are read by those who see its task."""

    def permitted(self, who: Actor, action: Action) -> MilestoneQuerySet:
        if action == Action.VIEW:
            return self.filter(refinement__task__in=tasks(who, Action.VIEW))
        return self.none()


class Milestone(models.Model):
    """One step of a refined task: what, by when, which unit (节点)."""

    refinement = models.ForeignKey(Refinement, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField()
    description = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("by when"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = MilestoneQuerySet.as_manager()

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


class ReportQuerySet(RestrictedQuerySet["Report"]):
    """A report is read (its files downloaded) by those who see its task; the lead unit changes
    it while its period is open and it is a draft or returned; the office reviews it."""

    actions = (Action.VIEW, Action.DOWNLOAD, Action.CHANGE, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> ReportQuerySet:
        if action in (Action.VIEW, Action.DOWNLOAD):
            return self.filter(on_tasks(who, Action.VIEW))
        if action == Action.CHANGE:
            return self.filter(
                task__in=tasks(who, Action.REPORT),
                state__in=EDITABLE,
                period__state=PeriodState.OPEN,
            )
        if action == Action.REVIEW:
            return self.filter(on_tasks(who, Action.REVIEW))
        return self.none()


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
    # The figure warnings the author confirmed (我已核实以上数据无误), for the office:
    # [{"target": id, "message": msgid, "params": {...}}] (services.reports.FigureNote).
    confirmed_warnings = models.JSONField(default=list, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["period", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="report_unique")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.period} · {self.task}"

    def confirmed_warning_texts(self) -> list[str]:
        """The confirmed warnings as people read them (「项目」：1000个超过目标值…)."""
        texts = []
        for warning in self.confirmed_warnings or []:
            try:
                texts.append(gettext(warning["message"]) % warning["params"])
            except (KeyError, TypeError, ValueError):
                continue
        return texts

    def derived_progress(self) -> int | None:
        """Progress read from the report's target values by the one rule,
        ``duban.ledger.progress.progress_from_targets``: the least share of a target reached
        (at most 100 each, rounded down); ceilings (≤) and non-positive targets do not count."""
        return progress_from_targets(
            (value.value, value.target.value, value.target.op)
            for value in self.target_values.select_related("target")
        )


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


class ReportVersionQuerySet(RestrictedQuerySet["ReportVersion"]):
    """A report's versions are read by those who see the report's task."""

    def permitted(self, who: Actor, action: Action) -> ReportVersionQuerySet:
        if action == Action.VIEW:
            return self.filter(report__task__in=tasks(who, Action.VIEW))
        return self.none()


class ReportVersion(models.Model):
    """A frozen copy of a report at each save, submission, return and acceptance."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ReviewState.choices)
    data = models.JSONField()
    # duban's now (duban.core.clock): a demonstration's versions are dated on its days.
    created_at = models.DateTimeField(default=clock.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ContributionQuerySet(RestrictedQuerySet["Contribution"]):
    """A contribution is read by those who see its task (its files: ``Evidence``); a
    responsible unit changes its own while the period is open and it is a draft."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> ContributionQuerySet:
        if action == Action.VIEW:
            return self.filter(task__in=tasks(who, Action.VIEW))
        if action == Action.CHANGE and who.unit_id is not None:
            return self.filter(
                task__in=tasks(who, Action.CONTRIBUTE),
                unit_id=who.unit_id,
                state=ReviewState.DRAFT,
                period__state=PeriodState.OPEN,
            )
        return self.none()


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

    objects = ContributionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "period", "unit"], name="contribution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.task} · {self.unit}"


class EvidenceQuerySet(RestrictedQuerySet["Evidence"]):
    """A file is read and downloaded by those who see its report's or contribution's task, and
    removed by whoever may change that report or contribution."""

    actions = (Action.VIEW, Action.DOWNLOAD, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> EvidenceQuerySet:
        if action in (Action.VIEW, Action.DOWNLOAD):
            seen = tasks(who, Action.VIEW)
            return self.filter(Q(report__task__in=seen) | Q(contribution__task__in=seen))
        if action == Action.CHANGE:
            reports = Report.objects.all().permitted(who, Action.CHANGE).values("pk")
            contributions = Contribution.objects.all().permitted(who, Action.CHANGE).values("pk")
            return self.filter(Q(report__in=reports) | Q(contribution__in=contributions))
        return self.none()


class Evidence(StoredFile):
    """A file attached to a report or a contribution, stored outside the web root."""

    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/")

    objects = EvidenceQuerySet.as_manager()

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
