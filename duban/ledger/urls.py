"""URL routes of duban.ledger."""

from __future__ import annotations

from django.urls import path

from . import downloads, views

app_name = "ledger"

urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("export.xlsx", downloads.export, name="export"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("plans/<int:pk>/source", downloads.plan_source, name="plan_source"),
]
