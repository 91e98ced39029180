"""催办/督办 notices, their replies and files, 约谈 notes, and extension requests (延期申请).

A notice is issued by the office on a task (optionally one of its milestones) to a unit, with
co-operating units; the unit signs for it, replies with text and files, and the office accepts
the reply or presses again: pressing closes the notice as ``pressed`` and issues a follow-up
notice (``parent``) with a new reply deadline and its own 发文字号.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.stored import StoredFile
from duban.directory.models import Unit
from duban.ledger.models import Task
from duban.reporting.models import Milestone


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
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="supervision_notices")
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

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "agency_code", "serial"], name="notice_doc_number_unique"
            )
        ]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return f"{self.doc_number} · {self.get_level_display()}"

    @property
    def level_word(self) -> str:
        return LEVEL_WORDS[NoticeLevel(self.level)]


class NoticeFile(StoredFile):
    """A file attached to a unit's reply, checked like report evidence."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="supervision/%Y/%m/")


class Summons(models.Model):
    """A 约谈 the office held (or decided) about a task, recorded as a note."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="summonses")
    held_on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("summons (约谈)")
        verbose_name_plural = _("summonses (约谈)")

    def __str__(self) -> str:
        return f"约谈 {self.held_on.isoformat()}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Pending")
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
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("office's comment"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        what = self.milestone.description if self.milestone_id and self.milestone else "deadline"
        return f"{what}: {self.current_due.isoformat()} → {self.requested_due.isoformat()}"


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


from .circular_models import Circular, CircularState  # noqa: E402, F401 - the 通报 model
