"""URL routes of duban.inspections (专项督查)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "inspections"

urlpatterns: list[URLPattern] = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_new, name="new"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/report/", views.item_report, name="item_report"),
    path("items/<int:pk>/verify/", views.item_verify, name="item_verify"),
    path("items/<int:pk>/return/", views.item_return, name="item_return"),
    path("items/<int:pk>/close/", views.item_close, name="item_close"),
    path("files/<int:pk>/", views.file_download, name="file"),
]
