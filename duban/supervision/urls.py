"""URL routes of duban.supervision (namespace ``supervision``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import circulars, notices, period_notices

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", notices.notices, name="notices"),
    path("tasks/<int:task_pk>/notices/new/", notices.notice_new, name="notice_new"),
    path("tasks/<int:task_pk>/extensions/new/", notices.extension_new, name="extension_new"),
    path("tasks/<int:task_pk>/summons/new/", notices.summons_new, name="summons_new"),
    path("notices/<int:pk>/", notices.notice, name="notice"),
    path("notices/<int:pk>/sign/", notices.notice_sign, name="notice_sign"),
    path("notices/<int:pk>/reply/", notices.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/accept/", notices.notice_accept, name="notice_accept"),
    path("notices/<int:pk>/press/", notices.notice_press, name="notice_press"),
    path("notices/<int:pk>/document.docx", notices.notice_document, name="notice_document"),
    path("notices/<int:pk>/document.pdf", notices.notice_document_pdf, name="notice_document_pdf"),
    path("files/<int:pk>/", notices.file_download, name="file_download"),
    path("extensions/<int:pk>/decide/", notices.extension_decide, name="extension_decide"),
    # The period 催办: one notice per unit listing its missing reports
    path("periods/<int:pk>/press/", period_notices.period_press, name="period_press"),
    # The quarterly circular (通报)
    path("circulars/", circulars.circular_list, name="circulars"),
    path("circulars/new/", circulars.circular_new, name="circular_new"),
    path("circulars/<int:pk>/", circulars.circular, name="circular"),
    path("circulars/<int:pk>/issue/", circulars.circular_issue, name="circular_issue"),
    path("circulars/<int:pk>/delete/", circulars.circular_delete, name="circular_delete"),
    path("circulars/<int:pk>/document.docx", circulars.circular_document, name="circular_document"),
    path(
        "circulars/<int:pk>/document.pdf",
        circulars.circular_document_pdf,
        name="circular_document_pdf",
    ),
]
