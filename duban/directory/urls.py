"""URL routes of duban.directory (included at /directory/)."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from .views import groups, leaders, units

app_name = "directory"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="directory:units")),
    path("units/", units.unit_list, name="units"),
    path("units/new", units.unit_edit, name="unit_new"),
    path("units/<int:pk>/edit", units.unit_edit, name="unit_edit"),
    path("leaders/", leaders.leader_list, name="leaders"),
    path("leaders/new", leaders.leader_edit, name="leader_new"),
    path("leaders/<int:pk>/edit", leaders.leader_edit, name="leader_edit"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/new", groups.group_edit, name="group_new"),
    path("groups/<int:pk>/edit", groups.group_edit, name="group_edit"),
]
