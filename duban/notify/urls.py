"""URL routes of duban.notify."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.notifications, name="list"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("channels/", views.channels, name="channels"),
    path("channels/new/", views.channel_new, name="channel_new"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/delete/", views.channel_delete, name="channel_delete"),
]
