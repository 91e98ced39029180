"""The upload form: one notice file, checked for size before it is read."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Notice file"),
        help_text=gettext_lazy("PDF, Word (.docx), web page (.html), Excel (.xlsx), CSV or text"),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.DUBAN_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB, larger than the %(limit)s MB that can be imported.")
                % {"size": round(upload.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024}
            )
        return upload
