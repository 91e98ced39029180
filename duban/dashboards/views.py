"""The home page (``/``): the person's day (``home.home_for``); the cockpit (``/cockpit/``) and
the JSON its charts are drawn from (``/cockpit/data.json``, the same figures)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from duban.core import clock
from duban.core.permissions import Action, requires
from duban.ledger.views import requested_plan

from .cockpit import Cockpit, cockpit_for, opens_cockpit
from .home import home_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {"nav": "home", "home": home_for(request.user), "today": clock.today()}
    return render(request, "dashboards/home.html", context)


def _cockpit(request: HttpRequest) -> Cockpit:
    """The cockpit asked for (``?plan=``, ``?scope=mine|all``), or 403 for a unit's operator."""
    if not opens_cockpit(request.user):
        raise PermissionDenied(
            _(
                "The cockpit is for the office, leaders and viewers; "
                "a unit's tasks are on its home page."
            )
        )
    plan, plans = requested_plan(request)
    return cockpit_for(
        request.user, plan, plans, request.GET.get("scope", ""), request.GET.get("plan", "")
    )


@require_GET
@requires(Action.READ_LEDGER)
def cockpit(request: HttpRequest) -> HttpResponse:
    board = _cockpit(request)
    query = {"plan": request.GET.get("plan", ""), "scope": board.scope}
    data_url = (
        reverse("dashboards:cockpit_data")
        + "?"
        + urlencode({key: value for key, value in query.items() if value})
    )
    context = {"nav": "cockpit", "board": board, "data_url": data_url}
    return render(request, "dashboards/cockpit.html", context)


@require_GET
@requires(Action.READ_LEDGER)
def cockpit_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_cockpit(request).as_json(), json_dumps_params={"ensure_ascii": False})
