"""URL routes of the reports workflow (included by duban/reporting/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
