"""URL routes of duban.audit."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [path("", views.events, name="events")]
