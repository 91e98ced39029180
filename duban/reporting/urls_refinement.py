"""URL routes of the refinement workflow and the 待办 page (included by duban/reporting/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_refinement as views

urlpatterns: list[URLPattern] = [
    path("todo/", views.todo, name="todo"),
    path("tasks/<int:pk>/refinement/", views.detail, name="refinement"),
    path("tasks/<int:pk>/refinement/edit/", views.edit, name="refinement_edit"),
    path("tasks/<int:pk>/refinement/submit/", views.submit, name="refinement_submit"),
    path("tasks/<int:pk>/refinement/review/", views.review, name="refinement_review"),
]
