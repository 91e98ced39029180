"""URL routes of duban.supervision (namespace ``supervision``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", views.notices, name="notices"),
    path("tasks/<int:task_pk>/notices/new/", views.notice_new, name="notice_new"),
    path("tasks/<int:task_pk>/extensions/new/", views.extension_new, name="extension_new"),
    path("tasks/<int:task_pk>/summons/new/", views.summons_new, name="summons_new"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/sign/", views.notice_sign, name="notice_sign"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/accept/", views.notice_accept, name="notice_accept"),
    path("notices/<int:pk>/press/", views.notice_press, name="notice_press"),
    path("notices/<int:pk>/document.docx", views.notice_document, name="notice_document"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
]

from . import circular_views  # noqa: E402 - the quarterly circular (通报)

urlpatterns += [
    path("circulars/", circular_views.circular_list, name="circulars"),
    path("circulars/new/", circular_views.circular_new, name="circular_new"),
    path("circulars/<int:pk>/", circular_views.circular, name="circular"),
    path("circulars/<int:pk>/issue/", circular_views.circular_issue, name="circular_issue"),
    path("circulars/<int:pk>/delete/", circular_views.circular_delete, name="circular_delete"),
    path(
        "circulars/<int:pk>/document.docx",
        circular_views.circular_document,
        name="circular_document",
    ),
]
