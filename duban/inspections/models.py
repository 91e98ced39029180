"""Special inspections (专项督查): the office's plans, what they found, and the fixing of it.

An ``Inspection`` covers some tasks of one plan; a ``Finding`` is what the team found on one of
those tasks; a ``RectificationItem`` (整改事项) is what a unit must fix because of a finding, by a
deadline. The owner unit reports what it did (with evidence), the office verifies it — or
returns it (退回整改) with its reason, and the unit reports again — and closes it (销号) only with
evidence present and the verifying reviewer recorded. No state but closed is a dead end:

    open ──report──▶ reported ──verify──▶ verified ──close──▶ closed
                        │  ▲                  │
                 return │  │ report           │ return (e.g. no evidence to close on)
                        ▼  │                  │
                      returned ◀──────────────┘

Who sees and does what (each model's ``permitted``, on top of the task rule):

- The office (``Actor.manages``) sees everything, plans and changes inspections, records
  findings, raises items (``CHANGE``), verifies and closes them (``REVIEW``).
- A unit sees the rectification items it owns — even on a task it does not otherwise see: the
  office gave it the item — and its operators report on them (``REPLY``); it sees the findings
  on tasks it sees, and the inspections covering such a task or holding one of its items.
- Those who read the ledger without a unit (viewers, leaders) see the findings and items of the
  tasks they see, read-only. The administrators of 三权分立 see nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.core.stored import StoredFile
from duban.directory.models import Unit
from duban.ledger.models import Plan, Task


def seen_tasks(who: Actor) -> models.QuerySet[Any]:
    """The pks of the tasks ``who`` sees (a subquery for the rules below)."""
    return Task.objects.all().permitted(who, Action.VIEW).values("pk")


class OfficeRunQuerySet(RestrictedQuerySet[Any]):
    """What the office runs (inspections, findings): the office sees and changes all of it;
    other readers of business data see what ``seen_by`` gives them; nobody else anything."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> OfficeRunQuerySet:
        if action == Action.CHANGE:
            return self if who.manages else self.none()
        if action != Action.VIEW or not who.reads_business:
            return self.none()
        return self if who.manages else self.seen_by(who)

    def seen_by(self, who: Actor) -> OfficeRunQuerySet:
        return self.none()


class InspectionQuerySet(OfficeRunQuerySet):
    """Inspections covering a task the person sees or holding an item the person sees."""

    def seen_by(self, who: Actor) -> InspectionQuerySet:
        covered = InspectionTask.objects.filter(inspection=OuterRef("pk"), task__in=seen_tasks(who))
        items = RectificationItem.objects.all().permitted(who, Action.VIEW)
        return self.filter(Q(Exists(covered)) | Q(pk__in=items.values("finding__inspection_id")))


class FindingQuerySet(OfficeRunQuerySet):
    """Findings are seen with their task; the office records them and raises items on them."""

    def seen_by(self, who: Actor) -> FindingQuerySet:
        return self.filter(task__in=seen_tasks(who))


class RectificationItemQuerySet(RestrictedQuerySet["RectificationItem"]):
    """A unit sees (and its operators report on, ``REPLY``) the items it owns, whether or not it
    sees their task; viewers and leaders see the items of the tasks they see; the office sees
    all, verifies and closes them (``REVIEW``; it raises them on a finding: ``CHANGE`` there)."""

    actions = (Action.VIEW, Action.REPLY, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> RectificationItemQuerySet:
        if action == Action.REVIEW:
            return self if who.manages else self.none()
        if not who.reads_business:
            return self.none()
        if action == Action.REPLY:
            return self.filter(unit_id=who.unit_id) if who.unit_id is not None else self.none()
        if action != Action.VIEW:
            return self.none()
        if who.manages:
            return self
        if who.unit_id is not None:
            return self.filter(unit_id=who.unit_id)
        return self.filter(task__in=seen_tasks(who))


class InspectionFileQuerySet(RestrictedQuerySet["InspectionFile"]):
    """A finding's photo is seen with the finding, a report's evidence with its item."""

    actions = (Action.VIEW, Action.DOWNLOAD)

    def permitted(self, who: Actor, action: Action) -> InspectionFileQuerySet:
        if action not in (Action.VIEW, Action.DOWNLOAD):
            return self.none()
        findings = Finding.objects.all().permitted(who, Action.VIEW).values("pk")
        items = RectificationItem.objects.all().permitted(who, Action.VIEW).values("pk")
        return self.filter(Q(finding__in=findings) | Q(item__in=items))


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    FINISHED = "finished", _("Finished")


class Inspection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="inspections")
    topic = models.CharField(_("topic"), max_length=200)
    tasks: models.ManyToManyField[Task, InspectionTask] = models.ManyToManyField(
        Task, through="InspectionTask", related_name="inspections", verbose_name=_("tasks")
    )
    team = models.TextField(_("inspection team"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(
        _("state"), max_length=10, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("special inspection")
        verbose_name_plural = _("special inspections")

    def __str__(self) -> str:
        return self.topic


class InspectionTask(models.Model):
    """A task an inspection covers (a model of its own so that each one is audited)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="covered")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "task"], name="inspection_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} → {self.task_id}"


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="inspection_findings")
    text = models.TextField(_("what was found"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    found_on = models.DateField(_("date"))
    # 核实为虚报瞒报: the task's report was verified to be false (the assessment deducts points
    # from the task's lead units and vetoes their grade).
    falsified = models.BooleanField(_("verified as a falsified report"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["found_on", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:40]


class ItemState(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification item", "Open")  # 整改中
    REPORTED = "reported", _("Reported")
    RETURNED = "returned", _("Returned for rectification")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Closed")


class RectificationItem(models.Model):
    """整改事项: what a unit must fix, by when, and how it went."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="rectification_items")
    text = models.TextField(_("what must be fixed"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="rectification_items", verbose_name=_("unit")
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=10, choices=ItemState.choices, default=ItemState.OPEN
    )
    report_text = models.TextField(_("what was done"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("office's comment"), blank=True)
    # The last return (退回整改): why, when, by whom, and how many times it was returned (the
    # unit's reminder comes once per return).
    return_reason = models.TextField(_("reason for returning"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    times_returned = models.PositiveIntegerField(_("times returned"), default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["unit", "state"])]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self) -> str:
        return self.text[:40]


class InspectionFile(StoredFile):
    """A photo or file of a finding, or evidence of a rectification report; stored outside the
    web root under a random name, handed out by the download view only."""

    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    item = models.ForeignKey(
        RectificationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to="inspections/%Y/%m/")

    objects = InspectionFileQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, item__isnull=True)
                | Q(finding__isnull=True, item__isnull=False),
                name="inspection_file_finding_or_item",
            )
        ]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def task_of(obj: Any) -> int | None:
    """The task an object of this app belongs to (for the task's history)."""
    if isinstance(obj, InspectionFile):
        owner = obj.finding if obj.finding_id else obj.item
        return owner.task_id if owner is not None else None
    return getattr(obj, "task_id", None)
