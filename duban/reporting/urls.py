"""URL routes of duban.reporting: refinement (urls_refinement) and reports (urls_reports)."""

from __future__ import annotations

from duban.reporting.urls_refinement import urlpatterns as refinement
from duban.reporting.urls_reports import urlpatterns as reports

app_name = "reporting"

urlpatterns = [*refinement, *reports]
