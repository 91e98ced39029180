"""URL routes of duban.lights."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "lights"

urlpatterns: list[URLPattern] = [
    path("settings/", views.settings_view, name="settings"),
    path("tasks/<int:pk>/override/", views.override, name="override"),
    path("tasks/<int:pk>/override/remove/", views.override_remove, name="override_remove"),
]
