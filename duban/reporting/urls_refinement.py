"""URL routes of the refinement workflow (included by duban/reporting/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
