"""URL routes of duban.intake: uploading and checking notices before they enter the ledger."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<str:token>/", views.preview, name="preview"),
    path("<str:token>/choose", views.choose, name="choose"),
    path("<str:token>/tasks/<int:index>", views.edit, name="edit"),
    path("<str:token>/commit", views.commit, name="commit"),
    path("<str:token>/abandon", views.abandon, name="abandon"),
]
