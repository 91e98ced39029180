"""催办/督办 notices, their replies and files, 约谈 notes, extension requests (延期申请) and the
quarterly circular (通报).

A notice is issued by the office on a task (optionally one of its milestones) to a unit, with
co-operating units; the unit signs for it, replies with text and files, and the office accepts
the reply or presses again: pressing closes the notice as ``pressed`` and issues a follow-up
notice (``parent``) with a new reply deadline and its own 发文字号. The unit is any unit the task
reaches (``duban.directory.reach``): named on it, or one of the towns behind 各镇（街道）.

A period 催办 (``period`` set, ``task`` empty) is one notice to one unit listing, in ``tasks``,
every task it leads whose report for that reporting period is missing; it is answered, accepted
and pressed like any other notice.

Who sees and does what is said here, model by model (``permitted``), on top of the task rule
(``duban.ledger.models.TaskQuerySet``): what hangs on a task is seen by those who see the task;
the office (``Actor.manages``) changes and reviews everything; an addressed unit's operators
answer its notices; the lead unit asks for extensions.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.core.stored import StoredFile
from duban.directory.models import Unit
from duban.ledger.models import Task
from duban.reporting.models import Milestone, Period


def seen_tasks(who: Actor) -> models.QuerySet[Any]:
    """The pks of the tasks ``who`` sees (a subquery for the rules below)."""
    return Task.objects.all().permitted(who, Action.VIEW).values("pk")


class NoticeQuerySet(RestrictedQuerySet["Notice"]):
    """A notice is seen with its task — a period 催办 with any of the tasks it lists — and by the
    units it is addressed to; the addressed units' operators, and the task's lead unit (not for a
    period 催办: each lead unit has its own), sign for and answer it (``REPLY``) while they see
    its task; the office changes and reviews it (accept, press again)."""

    actions = (Action.VIEW, Action.REPLY, Action.CHANGE, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> NoticeQuerySet:
        if action in (Action.CHANGE, Action.REVIEW):
            return self if who.manages else self.none()
        if not who.reads_business:
            return self.none()
        if action == Action.VIEW:  # its page and its document
            if who.reads_all:
                return self
            if who.unit_id is None:  # a leader
                return self.filter(self._on_seen_tasks(who))
            return self.filter(self._on_seen_tasks(who) | self._addressed_to(who))
        if action == Action.REPLY:
            if who.unit_id is None:
                return self.none()
            leads = Task.objects.all().permitted(who, Action.REPORT).values("pk")
            return self.filter(self._on_seen_tasks(who)).filter(
                self._addressed_to(who) | Q(task__in=leads)
            )
        return self.none()

    @staticmethod
    def _on_seen_tasks(who: Actor) -> Q:
        """The notices on a task the person sees; a period 催办 on any task it lists."""
        seen = seen_tasks(who)
        listed = Notice.tasks.through.objects.filter(notice_id=OuterRef("pk"), task_id__in=seen)
        return Q(task__in=seen) | Q(Exists(listed))

    @staticmethod
    def _addressed_to(who: Actor) -> Q:
        """The notices addressed to the person's unit, as addressee or co-operating unit."""
        unit_id = who.unit_id
        assert unit_id is not None
        co_units = Notice.co_units.through.objects.filter(notice_id=OuterRef("pk"), unit_id=unit_id)
        return Q(unit_id=unit_id) | Q(Exists(co_units))


class TaskItemQuerySet(RestrictedQuerySet[Any]):
    """Rows that hang on a task (``task``): seen by those who see the task; the office changes
    and reviews them."""

    actions: tuple[Action, ...] = (Action.VIEW, Action.CHANGE, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> TaskItemQuerySet:
        if action in (Action.CHANGE, Action.REVIEW):
            return self if who.manages else self.none()
        if action == Action.VIEW:
            if who.reads_all and who.reads_business:
                return self
            return self.filter(task__in=seen_tasks(who))
        return self.none()


class SummonsQuerySet(TaskItemQuerySet):
    """A 约谈 note is seen with its task; the office records and changes it."""

    actions = (Action.VIEW, Action.CHANGE)


class ExtensionRequestQuerySet(TaskItemQuerySet):
    """An extension request is seen with its task; the task's lead unit makes and changes it
    (``CHANGE``); the office decides it (``REVIEW``)."""

    def permitted(self, who: Actor, action: Action) -> TaskItemQuerySet:
        if action == Action.CHANGE:
            leads = Task.objects.all().permitted(who, Action.REPORT).values("pk")
            return self.filter(task__in=leads)
        return super().permitted(who, action)


class NoticeFileQuerySet(RestrictedQuerySet["NoticeFile"]):
    """A reply's file is seen and downloaded by those who see its notice."""

    actions = (Action.VIEW, Action.DOWNLOAD)

    def permitted(self, who: Actor, action: Action) -> NoticeFileQuerySet:
        if action in (Action.VIEW, Action.DOWNLOAD):
            notices = Notice.objects.all().permitted(who, Action.VIEW).values("pk")
            return self.filter(notice__in=notices)
        return self.none()


class CircularQuerySet(RestrictedQuerySet["Circular"]):
    """The office sees every circular, drafts included; whoever reads the ledger sees the issued
    ones (page and document). The office changes, issues or deletes a draft; an issued circular
    is read-only, for the office too."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> CircularQuerySet:
        if action == Action.VIEW:
            if who.manages:
                return self
            if who.reads_business:
                return self.filter(state=CircularState.ISSUED)
            return self.none()
        if action == Action.CHANGE:
            return self.filter(state=CircularState.DRAFT) if who.manages else self.none()
        return self.none()


class NoticeLevel(models.TextChoices):
    URGE = "urge", _("Reminder (催办)")
    SUPERVISE = "supervise", _("Supervision (督办)")
    LISTED = "listed", _("Listed supervision (挂牌督办)")


LEVEL_WORDS = {
    NoticeLevel.URGE: "催办",
    NoticeLevel.SUPERVISE: "督办",
    NoticeLevel.LISTED: "挂牌督办",
}


class NoticeState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SIGNED = "signed", _("Signed for")
    REPLIED = "replied", _("Replied")
    ACCEPTED = "accepted", _("Accepted")
    PRESSED = "pressed", _("Pressed again")


OPEN_STATES = (NoticeState.ISSUED, NoticeState.SIGNED)  # waiting for the unit's reply


class DocSerial(models.Model):
    """The last serial used for one agency code in one year (偃督办〔2023〕N号)."""

    year = models.PositiveIntegerField()
    agency_code = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "agency_code"], name="doc_serial_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_code}〔{self.year}〕{self.last}号"


class Notice(models.Model):
    # On one task, or (a period 催办) on a reporting period and the tasks it lists: one of the two.
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="supervision_notices"
    )
    period = models.ForeignKey(
        Period,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_notices",
        verbose_name=_("reporting period"),
    )
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="period_notices", verbose_name=_("tasks")
    )
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    level = models.CharField(_("level"), max_length=12, choices=NoticeLevel.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.ISSUED
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    problem = models.TextField(_("problem"))
    requirement = models.TextField(_("requirement"))
    reply_due = models.DateField(_("reply by"))
    year = models.PositiveIntegerField()
    agency_code = models.CharField(max_length=20)
    serial = models.PositiveIntegerField()
    doc_number = models.CharField(_("document number"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=200)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    office_comment = models.TextField(_("office's comment"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "agency_code", "serial"], name="notice_doc_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(task__isnull=False, period__isnull=True)
                | Q(task__isnull=True, period__isnull=False),
                name="notice_on_task_or_period",
            ),
        ]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return f"{self.doc_number} · {self.get_level_display()}"

    @property
    def level_word(self) -> str:
        return LEVEL_WORDS[NoticeLevel(self.level)]

    @property
    def on_period(self) -> bool:
        """A period 催办: on the missing reports of a period, not on one task."""
        return self.period_id is not None

    def listed_tasks(self) -> list[Task]:
        """The tasks the notice is about: its task, or the tasks a period 催办 lists (in order)."""
        if self.task_id is not None and self.task is not None:
            return [self.task]
        return list(self.tasks.order_by("plan", "position"))


class NoticeFile(StoredFile):
    """A file attached to a unit's reply, checked like report evidence."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="supervision/%Y/%m/")

    objects = NoticeFileQuerySet.as_manager()


class Summons(models.Model):
    """A 约谈 the office held (or decided) about a task, recorded as a note."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="summonses")
    held_on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SummonsQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("summons (约谈)")
        verbose_name_plural = _("summonses (约谈)")

    def __str__(self) -> str:
        return f"约谈 {format_cn_date(self.held_on)}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("extension request", "Pending")  # 待审批, not 待发送
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """The lead unit asks for a later date for the task's deadline or one milestone."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extension_requests")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_due = models.DateField(_("current date"))
    requested_due = models.DateField(_("requested date"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    # The unit that asked (the requester's unit then): it hears the decision.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("office's comment"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        what = self.milestone.description if self.milestone_id and self.milestone else "完成时限"
        due, asked = format_cn_date(self.current_due), format_cn_date(self.requested_due)
        return f"{what}：{due} → {asked}"


def task_of(obj: Any) -> int | None:
    for path in ("task_id", "notice.task_id"):
        value: Any = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return int(value)
    return None


# The quarterly circular (通报) on a reporting period: a draft generated from the record, edited
# by the office, then issued with its own 发文字号 (偃督通〔2023〕N号) and read-only afterwards.


class CircularState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Circular(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="circulars")
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=CircularState.choices, default=CircularState.DRAFT
    )
    # [{"text": "...", "level": 0..3}], written as the document's body (headings numbered there)
    paragraphs = models.JSONField(_("body"), default=list)
    praised_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    criticised_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    recipients = models.CharField(_("addressed to (主送)"), max_length=500)
    cc = models.CharField(_("copied to (抄送)"), max_length=500, blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    year = models.PositiveIntegerField(null=True, blank=True)
    agency_code = models.CharField(max_length=20, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CircularQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["year", "agency_code", "serial"], name="circular_doc_number_unique"
            )
        ]
        verbose_name = _("circular (通报)")
        verbose_name_plural = _("circulars (通报)")

    def __str__(self) -> str:
        return self.doc_number or self.title

    @property
    def issued(self) -> bool:
        return self.state == CircularState.ISSUED
