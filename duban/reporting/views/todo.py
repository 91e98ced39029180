"""The 待办 page: everything waiting for the signed-in user, from every app that registered a
source with duban.core.todo (reporting, supervision, inspections)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from duban.core.todo import todo_for


@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    context = {"nav": "todo", "todo": todo_for(request.user)}
    return render(request, "reporting/todo.html", context)
