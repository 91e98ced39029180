"""The quarterly circular (通报) on a reporting period: a draft generated from the record, edited
by the office, then issued with its own 发文字号 (偃督通〔2023〕N号) and read-only afterwards."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.directory.models import Unit
from duban.reporting.models import Period


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
