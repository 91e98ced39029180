"""URL routes of duban.reporting (namespace ``reporting``): the 待办 page; a task's refinement;
periods, a period's reports, its Excel round trip and its 进展情况汇总表; one task's report for
one period (read, write, submit, review, versions); contributions and evidence downloads."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import contributions, files, periods, refinement, reports, todo

app_name = "reporting"

_REPORT = "tasks/<int:task_pk>/periods/<int:period_pk>/"

urlpatterns: list[URLPattern] = [
    path("todo/", todo.todo, name="todo"),
    path("tasks/<int:pk>/refinement/", refinement.detail, name="refinement"),
    path("tasks/<int:pk>/refinement/edit/", refinement.edit, name="refinement_edit"),
    path("tasks/<int:pk>/refinement/submit/", refinement.submit, name="refinement_submit"),
    path("tasks/<int:pk>/refinement/review/", refinement.review, name="refinement_review"),
    path("periods/", periods.periods, name="periods"),
    path("periods/create/", periods.periods_create, name="periods_create"),
    path("periods/<int:pk>/", periods.period_reports, name="period_reports"),
    path("periods/<int:pk>/edit/", periods.period_edit, name="period_edit"),
    path("periods/<int:pk>/open/", periods.period_open, name="period_open"),
    path("periods/<int:pk>/close/", periods.period_close, name="period_close"),
    path("periods/<int:pk>/template.xlsx", files.report_template_download, name="report_template"),
    path("periods/<int:pk>/import/", files.report_import, name="report_import"),
    path("periods/<int:pk>/summary.<str:fmt>", files.period_summary, name="period_summary"),
    path(_REPORT, reports.report, name="report"),
    path(_REPORT + "edit/", reports.report_edit, name="report_edit"),
    path(_REPORT + "submit/", reports.report_submit, name="report_submit"),
    path(_REPORT + "review/", reports.report_review, name="report_review"),
    path(_REPORT + "versions/", reports.report_versions, name="report_versions"),
    path(_REPORT + "contribution/", contributions.contribution_edit, name="contribution_edit"),
    path("evidence/<int:pk>/", files.evidence_download, name="evidence_download"),
]
