"""URL routes of duban.intake: uploading and checking notices before they enter the ledger."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.ledger_template, name="template"),
    path("<str:token>/", views.preview, name="preview"),
    path("<str:token>/choose", views.choose, name="choose"),
    path("<str:token>/tasks/<int:index>", views.edit, name="edit"),
    path("<str:token>/tasks/<int:index>/add", views.add_task, name="add_task"),
    path("<str:token>/tasks/<int:index>/split", views.split_task, name="split_task"),
    path("<str:token>/tasks/<int:index>/merge", views.merge_task, name="merge_task"),
    path("<str:token>/tasks/<int:index>/number", views.number_task, name="number_task"),
    path("<str:token>/tasks/<int:index>/delete", views.delete_task, name="delete_task"),
    path("<str:token>/renumber", views.renumber, name="renumber"),
    path("<str:token>/commit", views.commit, name="commit"),
    path("<str:token>/abandon", views.abandon, name="abandon"),
]
