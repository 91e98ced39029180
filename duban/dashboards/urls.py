"""URL routes of the cockpit (``/cockpit/``); the home page is the root route (duban/urls.py)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("data.json", views.cockpit_data, name="cockpit_data"),
]
