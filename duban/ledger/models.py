"""The ledger (台账): a plan read from one notice, its areas, tasks, targets and assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.directory.models import Group, Leader, Unit
from duban.directory.reach import UnitRef, reaching_parts


class PlanQuerySet(RestrictedQuerySet["Plan"]):
    """A plan (and its original notice) is seen by those who see at least one of its tasks."""

    actions = (Action.VIEW, Action.DOWNLOAD, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> PlanQuerySet:
        if action == Action.CHANGE:
            return self if who.manages else self.none()
        if action in (Action.VIEW, Action.DOWNLOAD):
            if who.reads_all and who.reads_business:
                return self
            tasks = Task.objects.all().permitted(who, Action.VIEW)
            return self.filter(Exists(tasks.filter(plan=OuterRef("pk"))))
        return self.none()


class Plan(models.Model):
    """One year's task-split notice and everything read from it."""

    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    signed_on = models.DateField(_("date"), null=True, blank=True)
    declared_areas = models.PositiveIntegerField(null=True, blank=True)
    declared_tasks = models.PositiveIntegerField(null=True, blank=True)
    source_file = models.FileField(_("original file"), upload_to="plans/%Y/", blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title


class Area(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="area_number_unique")
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Completed")
    LAGGING = "lagging", _("Lagging")


class TaskQuerySet(RestrictedQuerySet["Task"]):
    """Who sees and works on which task (the base of every other model's rule).

    Those who read every task see all; a leader the tasks he or she leads; a unit's operator the
    tasks that reach the unit (``duban.directory.reach``). The lead unit refines and reports, a
    responsible unit (not also lead) contributes; the office changes and reviews. A task that
    exists but is not the person's answers 403 on its pages, never 404.
    """

    actions = (
        Action.VIEW,
        Action.DOWNLOAD,
        Action.CHANGE,
        Action.REVIEW,
        Action.REFINE,
        Action.REPORT,
        Action.CONTRIBUTE,
    )

    def permitted(self, who: Actor, action: Action) -> TaskQuerySet:
        if action in (Action.VIEW, Action.DOWNLOAD):
            if not who.reads_business:
                return self.none()
            if who.reads_all:
                return self
            if who.leader_id is not None:
                return self.filter(led_by(who.leader_id))
            if who.unit_id is not None:
                return self.filter(reaches(who))
            return self.none()
        if action in (Action.CHANGE, Action.REVIEW):
            return self if who.manages else self.none()
        if who.unit_id is None or not who.reads_business:
            return self.none()
        if action in (Action.REFINE, Action.REPORT):
            return self.filter(reaches(who, AssignmentRole.LEAD))
        if action == Action.CONTRIBUTE:
            return self.filter(reaches(who, AssignmentRole.RESPONSIBLE)).exclude(
                reaches(who, AssignmentRole.LEAD)
            )
        return self.none()


def unit_of(who: Actor) -> UnitRef:
    assert who.unit_id is not None
    return UnitRef(who.unit_id, who.unit_kind, who.unit_active)


def reaches(who: Actor | UnitRef, role: str | None = None) -> Q:
    """Tasks (as a filter on Task) one of whose assignments reaches the unit, with ``role``.

    A filter on the tasks' ids that the assignments reaching the unit name — by name, through a
    group, behind a placeholder: three lists the database reads once through the assignments'
    unit and group indexes and the placeholders' units, rather than a look at every task's
    assignments (a plan of 20,000 tasks, of which a unit is on a few hundred)."""
    unit = who if isinstance(who, UnitRef) else unit_of(who)
    assignments = Assignment.objects.all()
    if role is not None:
        assignments = assignments.filter(role=role)
    named, grouped, behind = reaching_parts(unit)
    return (
        Q(pk__in=assignments.filter(named).values("task_id"))
        | Q(pk__in=assignments.filter(grouped).values("task_id"))
        | Q(pk__in=assignments.filter(behind).values("task_id"))
    )


def led_by(leader_id: int) -> Exists:
    return Exists(TaskLeader.objects.filter(task=OuterRef("pk"), leader_id=leader_id))


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    position = models.PositiveIntegerField(_("order"))
    number = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("task"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position"]
        indexes = [models.Index(fields=["plan", "position"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class TargetOp(models.TextChoices):
    EQ = "=", "="
    GE = ">=", "≥"
    LE = "<=", "≤"
    RANGE = "range", _("range")


class Target(models.Model):
    """A quantitative target read from the task's text ("新增规上企业50家")."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveIntegerField()
    label = models.CharField(_("measures"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    value_max = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=20)
    op = models.CharField(max_length=6, choices=TargetOp.choices, default=TargetOp.EQ)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.source


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    RESPONSIBLE = "responsible", _("Responsible unit")


class Assignment(models.Model):
    """A unit — or a placeholder group, kept as the notice wrote it — on a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=20, choices=AssignmentRole.choices)
    position = models.PositiveIntegerField()
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )

    class Meta:
        ordering = ["task", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, group__isnull=True)
                | Q(unit__isnull=True, group__isnull=False),
                name="assignment_unit_or_group",
            )
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        # The audit trail names every assignment it records: don't fetch what isn't loaded.
        loaded = Assignment.unit.is_cached(self) or Assignment.group.is_cached(self)
        if loaded or (self.unit_id is None and self.group_id is None):
            return str(self.unit or self.group)
        return f"{self.get_role_display()} #{self.unit_id or self.group_id}"

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else self.group.name if self.group else ""


class TaskLeader(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_leaders")
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="task_leaders")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "leader"], name="task_leader_unique")
        ]

    def __str__(self) -> str:
        return str(self.leader)


class ImportRecord(models.Model):
    """Who imported which file into which plan, and what it changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imports")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.plan}"
