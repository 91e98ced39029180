"""What every uploaded file keeps about itself, whichever app it belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile


class StoredFile(models.Model):
    """An uploaded file's facts: its name as uploaded, checked type, size and digest, and who
    uploaded it when. Subclasses add the ``file`` field (their own folder) and their owner.

    duban.core.files checks, saves, serves and removes them."""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    if TYPE_CHECKING:
        file: FieldFile  # each subclass adds its FileField, with its own folder

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
