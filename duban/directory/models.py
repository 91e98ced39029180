"""Units, their aliases, leaders and placeholder groups: who a notice can name."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .names import name_key


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    TOWN = "town", _("Town")
    STREET = "street", _("Street")
    ENTERPRISE = "enterprise", _("Enterprise")
    COURT = "court", _("Court or procuratorate")
    PARTY = "party", _("Party organ or mass organisation")
    OTHER = "other", _("Other")


TOWNSHIP_KINDS = (UnitKind.TOWN, UnitKind.STREET)


class KeyedName:
    """A name stored with its comparison key (``name_key``), so that 各镇(街道) and
    各镇（街道）, or "法 院" and 法院, are one name in lookups and unique constraints."""

    name: str
    key: str

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[misc]


class Unit(KeyedName, models.Model):
    """A unit as notices name it (short name) with its full name and other names."""

    name = models.CharField(_("short name"), max_length=100, unique=True)
    key = models.CharField(max_length=100, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        help_text=_("NBS code, for towns and streets"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    @property
    def is_township(self) -> bool:
        return self.kind in TOWNSHIP_KINDS


class UnitAlias(KeyedName, models.Model):
    """Another name of a unit: an old name (国土资源局), a long or short form (交通运输局)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=100)
    key = models.CharField(max_length=100, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")


class Leader(models.Model):
    """A government leader who leads tasks (牵头领导), with the units he or she oversees."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    title = models.CharField(pgettext_lazy("leader", "title"), max_length=100, blank=True)  # 职务
    units = models.ManyToManyField(
        Unit, blank=True, related_name="leaders", verbose_name=_("units overseen")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")

    def __str__(self) -> str:
        return self.name


class GroupExpansion(models.TextChoices):
    TOWNSHIPS = "townships", _("Every town and street")
    STREETS = "streets", _("Every street")
    TOWNS = "towns", _("Every town")
    MEMBERS = "members", _("The units listed as members")
    OPEN = "open", _("Named later by the lead unit")


class Group(KeyedName, models.Model):
    """A placeholder a notice uses instead of unit names (各镇（街道）, 相关单位)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key = models.CharField(max_length=100, unique=True, editable=False)
    expansion = models.CharField(_("stands for"), max_length=20, choices=GroupExpansion.choices)
    members = models.ManyToManyField(
        Unit, blank=True, related_name="groups", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    @property
    def is_open(self) -> bool:
        return self.expansion == GroupExpansion.OPEN

    def expansion_filter(self) -> Q | None:
        """The units this group stands for as a filter on Unit, or None for an open slot."""
        if self.expansion == GroupExpansion.TOWNSHIPS:
            return Q(kind__in=TOWNSHIP_KINDS, active=True)
        if self.expansion == GroupExpansion.STREETS:
            return Q(kind=UnitKind.STREET, active=True)
        if self.expansion == GroupExpansion.TOWNS:
            return Q(kind=UnitKind.TOWN, active=True)
        if self.expansion == GroupExpansion.MEMBERS:
            return Q(groups=self)
        return None

    def expanded_units(self) -> models.QuerySet[Unit]:
        condition = self.expansion_filter()
        return Unit.objects.filter(condition) if condition is not None else Unit.objects.none()
