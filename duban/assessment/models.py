"""责任目标考核: the year-end assessment of every unit on its key tasks.

A ``Scheme`` (versioned; its rules are data, read by the pure ``duban.assessment.scheme``) is
applied to one plan's year by an ``Assessment``. Computing it reads the record (reports, light
records, notices, circulars, findings, extensions, recognitions) and writes one ``UnitScore`` per
unit with its ``ScoreItem`` rows: every point links to what caused it, and a unit's items sum
exactly to its score. The office may adjust an item (``Adjustment``, with a reason and a file),
then opens publicity (公示): each unit sees its own items and may appeal one (``Appeal``); the
office upholds or rejects it with a reply; then publishes, which freezes the year with the
scheme version it used. States, and the way out of each:

    draft ──open publicity──▶ publicity ──publish──▶ published (final, frozen)
      ▲  (compute again,           │
      │   adjust)                  │ withdraw (back to draft; appeals decided stay)
      └────────────────────────────┘

Who sees and does what (each model's ``permitted``):

- The office (``Actor.manages``) sees and does everything (compute, adjust, decide, publish,
  edit the scheme, record recognitions).
- Leaders (``leader_id``) and viewers (``reads_all``) see every unit's score once publicity
  has opened.
- A unit's operators see their own unit's score and items once publicity has opened, and appeal
  an item (``REPLY``) during publicity; they see their own appeals and recognitions.
- The administrators of 三权分立 see nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.core.stored import StoredFile
from duban.directory.models import Unit
from duban.ledger.models import Plan, Task


class AssessmentState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment", "Computed, not yet public")  # 待公示
    PUBLICITY = "publicity", _("In publicity")  # 公示中
    PUBLISHED = "published", pgettext_lazy("assessment", "Published")  # 已发布


VISIBLE_STATES = (AssessmentState.PUBLICITY, AssessmentState.PUBLISHED)


class Group(models.TextChoices):
    """Ranking groups: units are ranked (and graded against quotas) within their group."""

    TOWNSHIPS = "townships", _("Towns and streets")  # 镇（街道）
    DEPARTMENTS = "departments", _("Departments")  # 区直部门


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    FAIR = "fair", _("Fair")  # 一般
    POOR = "poor", _("Poor")  # 较差


class Component(models.TextChoices):
    """Where an item's points belong: the four pools, then bonuses, deductions and the
    arithmetic items (a pool's floor of 0, the bonus cap) that keep the sum exact."""

    COMPLETION = "completion", _("Task completion")  # 任务完成
    PACE = "pace", _("Pace of progress")  # 序时进度
    REPORTING = "reporting", _("Reporting")  # 报送
    RESPONSE = "response", _("Response to supervision")  # 督办响应
    BONUS = "bonus", _("Bonus")  # 加分
    DEDUCTION = "deduction", _("Deduction")  # 扣分


class AppealState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("appeal", "Pending")  # 待处理
    UPHELD = "upheld", _("Upheld")  # 已采纳
    REJECTED = "rejected", pgettext_lazy("appeal", "Rejected")  # 不予采纳


# --- who sees and does what ----------------------------------------------------------------------


class SchemeQuerySet(RestrictedQuerySet["Scheme"]):
    """A scheme is read by everyone who reads the ledger (units must know the rules they are
    scored by); the office writes new versions."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> SchemeQuerySet:
        if action == Action.CHANGE:
            return self if who.manages else self.none()
        if action == Action.VIEW:
            return self if who.reads_business else self.none()
        return self.none()


class AssessmentQuerySet(RestrictedQuerySet["Assessment"]):
    """A year's assessment (its state and dates) is seen by those who see its plan; the office
    computes, adjusts, opens publicity, decides appeals and publishes (``CHANGE``)."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> AssessmentQuerySet:
        if action == Action.CHANGE:
            return self if who.manages else self.none()
        if action == Action.VIEW:
            return self.filter(plan__in=Plan.objects.all().permitted(who, Action.VIEW).values("pk"))
        return self.none()


class UnitScoreQuerySet(RestrictedQuerySet["UnitScore"]):
    """Scores: the office always; leaders and viewers once publicity has opened; a unit its own
    once publicity has opened. The office reviews (adjusts) them."""

    actions = (Action.VIEW, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> UnitScoreQuerySet:
        if action == Action.REVIEW:
            return self if who.manages else self.none()
        if action != Action.VIEW or not who.reads_business:
            return self.none()
        if who.manages:
            return self
        public = Q(assessment__state__in=VISIBLE_STATES)
        if who.unit_id is not None:
            return self.filter(public, unit_id=who.unit_id)
        if who.reads_all or who.leader_id is not None:  # leaders and viewers
            return self.filter(public)
        return self.none()


class ScoreItemQuerySet(RestrictedQuerySet["ScoreItem"]):
    """An item is seen with its score; the unit's operators appeal it (``REPLY``) while its
    year is in publicity; the office adjusts it (``REVIEW``)."""

    actions = (Action.VIEW, Action.REPLY, Action.REVIEW)

    def permitted(self, who: Actor, action: Action) -> ScoreItemQuerySet:
        if action == Action.REVIEW:
            return self if who.manages else self.none()
        if action == Action.VIEW:
            scores = UnitScore.objects.all().permitted(who, Action.VIEW).values("pk")
            return self.filter(score__in=scores)
        if action == Action.REPLY:
            if who.unit_id is None or not who.reads_business:
                return self.none()
            return self.filter(
                score__unit_id=who.unit_id,
                score__assessment__state=AssessmentState.PUBLICITY,
            )
        return self.none()


class OfficeOrUnitQuerySet(RestrictedQuerySet[Any]):
    """Rows that belong to one unit (``unit``): the office sees and changes them; the unit's
    operators see their own; leaders and viewers see them all, read-only."""

    actions: tuple[Action, ...] = (Action.VIEW, Action.DOWNLOAD, Action.CHANGE)
    unit_path = "unit_id"

    def permitted(self, who: Actor, action: Action) -> OfficeOrUnitQuerySet:
        if action == Action.CHANGE:
            return self if who.manages else self.none()
        if action not in (Action.VIEW, Action.DOWNLOAD) or not who.reads_business:
            return self.none()
        if who.manages or (
            (who.reads_all or who.leader_id is not None) and who.unit_id is None
        ):  # the office; leaders and viewers read them all
            return self
        if who.unit_id is not None:
            return self.filter(**{self.unit_path: who.unit_id})
        return self.none()


class AdjustmentQuerySet(OfficeOrUnitQuerySet):
    """An adjustment is seen by the office and, once publicity has opened, by the item's unit
    (and leaders); only the office makes one."""

    unit_path = "item__score__unit_id"

    def permitted(self, who: Actor, action: Action) -> OfficeOrUnitQuerySet:
        chosen = super().permitted(who, action)
        if who.manages or action == Action.CHANGE:
            return chosen
        return chosen.filter(item__score__assessment__state__in=VISIBLE_STATES)


class AdjustmentFileQuerySet(AdjustmentQuerySet):
    unit_path = "adjustment__item__score__unit_id"

    def permitted(self, who: Actor, action: Action) -> OfficeOrUnitQuerySet:
        chosen = OfficeOrUnitQuerySet.permitted(self, who, action)
        if who.manages or action == Action.CHANGE:
            return chosen
        return chosen.filter(adjustment__item__score__assessment__state__in=VISIBLE_STATES)


class AppealQuerySet(OfficeOrUnitQuerySet):
    """An appeal is seen by the office, the appealing unit and leaders; the office decides it
    (``REVIEW``); the unit's operators make it (through ``ScoreItem`` ``REPLY``)."""

    actions = (Action.VIEW, Action.DOWNLOAD, Action.REVIEW)
    unit_path = "item__score__unit_id"

    def permitted(self, who: Actor, action: Action) -> OfficeOrUnitQuerySet:
        if action == Action.REVIEW:
            return self if who.manages else self.none()
        return super().permitted(who, action)


class AppealFileQuerySet(OfficeOrUnitQuerySet):
    actions = (Action.VIEW, Action.DOWNLOAD)
    unit_path = "appeal__item__score__unit_id"


class RecognitionQuerySet(OfficeOrUnitQuerySet):
    """A recognition from a higher level (上级表彰) is recorded by the office with its document;
    the unit and leaders see it."""


class RecognitionFileQuerySet(OfficeOrUnitQuerySet):
    unit_path = "recognition__unit_id"


# --- the models ----------------------------------------------------------------------------------


class Scheme(models.Model):
    """One version of the assessment scheme. Versions are never changed: editing makes the next
    version; a published year keeps the version it used."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"), unique=True)
    # ``duban.assessment.scheme.Scheme.to_dict()``; read with ``Scheme.from_dict``.
    rules = models.JSONField(_("rules"))
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Assessment(models.Model):
    """One plan's year-end assessment."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="assessment")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(
        _("state"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    as_of = models.DateField(_("record as of"))  # the day whose record was read
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_until = models.DateField(_("publicity until"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock for the office's forms

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("year-end assessment")
        verbose_name_plural = _("year-end assessments")

    def __str__(self) -> str:
        return f"{self.plan.year}"

    @property
    def frozen(self) -> bool:
        return self.state == AssessmentState.PUBLISHED


class UnitScore(models.Model):
    """A unit's score in one year: the exact sum of its items' points."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("ranking group"), max_length=12, choices=Group.choices)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank in group"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    # [{"code": "falsified"|"missed_tasks", "text": "…"}] (the veto's causes, in Chinese)
    vetoes = models.JSONField(default=list, blank=True)

    objects = UnitScoreQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "group", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "unit"], name="unit_score_unique")
        ]
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")

    def __str__(self) -> str:
        return f"{self.unit} {self.score}"


class ScoreItem(models.Model):
    """One line of a unit's score: its points and the record that caused them.

    ``key`` is stable across recomputation ("report:345:late") so that adjustments and upheld
    appeals stay with their item. ``rule`` names the scheme rule (``scheme.RULES``)."""

    score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=120)
    component = models.CharField(_("component"), max_length=12, choices=Component.choices)
    rule = models.CharField(_("rule"), max_length=40)
    points = models.DecimalField(_("points as computed"), max_digits=7, decimal_places=2)
    # Set by an adjustment or an upheld appeal; the item then counts these points.
    adjusted_points = models.DecimalField(
        _("points as adjusted"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    text = models.CharField(_("cause"), max_length=400)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The record behind the item: "report", "light_record", "notice", "circular", "finding",
    # "recognition", "task", "extension"; with its pk and the page that shows it.
    source_type = models.CharField(max_length=20, blank=True)
    source_id = models.PositiveIntegerField(null=True, blank=True)
    link = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ScoreItemQuerySet.as_manager()

    class Meta:
        ordering = ["score", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["score", "key"], name="score_item_key")]
        verbose_name = _("score item")
        verbose_name_plural = _("score items")

    def __str__(self) -> str:
        return f"{self.key} {self.final_points}"

    @property
    def final_points(self) -> Decimal:
        return self.points if self.adjusted_points is None else self.adjusted_points


class Adjustment(models.Model):
    """The office's change of one item, with its reason (and usually a document)."""

    item = models.ForeignKey(ScoreItem, on_delete=models.CASCADE, related_name="adjustments")
    key = models.CharField(max_length=120)  # the item's key: re-applied on recomputation
    points_before = models.DecimalField(max_digits=7, decimal_places=2)
    points_after = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason"))
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")

    def __str__(self) -> str:
        return f"{self.key}: {self.points_before} → {self.points_after}"


class AdjustmentFile(StoredFile):
    adjustment = models.ForeignKey(Adjustment, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="assessment/%Y/%m/")

    objects = AdjustmentFileQuerySet.as_manager()


class Appeal(models.Model):
    """A unit's appeal (申诉) against one of its items during publicity."""

    item = models.ForeignKey(ScoreItem, on_delete=models.CASCADE, related_name="appeals")
    key = models.CharField(max_length=120)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=AppealState.choices, default=AppealState.PENDING
    )
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    points_after = models.DecimalField(
        _("points after"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class AppealFile(StoredFile):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="assessment/%Y/%m/")

    objects = AppealFileQuerySet.as_manager()


class Recognition(models.Model):
    """Recognition from a higher level (上级表彰), entered by the office with its document; a
    bonus in the year it was granted."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recognitions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=2)
    title = models.CharField(_("what was recognised"), max_length=300)
    document = models.CharField(_("document (name and number)"), max_length=300)
    granted_on = models.DateField(_("granted on"))
    # "higher_level" (上级表彰) or "instruction" (领导批示肯定, off in the default scheme)
    kind = models.CharField(max_length=20, default="higher_level")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["granted_on", "pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return self.title


class RecognitionFile(StoredFile):
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="assessment/%Y/%m/")

    objects = RecognitionFileQuerySet.as_manager()


def task_of(obj: Any) -> int | None:
    """The task an object of this app belongs to (for the task's history), if any."""
    if isinstance(obj, Adjustment | Appeal):
        return obj.item.task_id
    return getattr(obj, "task_id", None)
