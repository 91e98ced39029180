"""The home page (``/``): the person's day (``home.home_for``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from duban.core import clock

from .home import home_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {"nav": "home", "home": home_for(request.user), "today": clock.today()}
    return render(request, "dashboards/home.html", context)
