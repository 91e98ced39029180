"""Pages that belong to no domain app: the health check, the 403 page and the 500 page (the
home page is duban.dashboards', the top layer, which may read every app).

The 404 page is Django's own handler with our template (``404.html``); 403 has a handler of its
own so that the reason a ``PermissionDenied`` gives reaches the page only when it is a sentence
for people (see ``permission_denied``); 500 has one that shows the request's id (the log line
carries the same) and turns a full disk into the 存储空间不足 page (507, ``server_error``)."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from . import logs, server

logger = logging.getLogger("duban.server")

# A sentence in Chinese has at least one CJK character; one without is an internal message.
_CJK = re.compile(r"[\u3400-\u9fff]")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For monitoring and load balancers: ``ok`` while the database answers and the data
    directory takes files (writable, at least ``DUBAN_MIN_FREE_MB`` free); otherwise 503 with
    one line per problem (for machines and operators: plain English, like the status codes)."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        problems.append("database unavailable")
    for problem in server.storage_problems(Path(settings.DATA_DIR), settings.MIN_FREE_BYTES):
        problems.append(_storage_line(problem))
    if problems:
        return HttpResponse("\n".join(problems), status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def _storage_line(problem: server.StorageProblem) -> str:
    if problem.code == "low_space":
        return (
            f"low disk space: {problem.free_bytes // 2**20} MB free in {problem.path}, "
            f"at least {problem.limit_bytes // 2**20} MB needed (DUBAN_MIN_FREE_MB)"
        )
    if problem.code == "missing":
        return f"data directory missing: {problem.path}"
    return f"data directory not writable: {problem.path}"


def denial_reason(exception: Exception | None) -> str:
    """The reason a ``PermissionDenied`` gives, when it is one to show: a translated sentence
    (``duban.core.permissions.check`` raises with one). Nothing when there is none, when it only
    repeats the page's own explanation, or when it is an untranslated internal message (no
    English may reach the Chinese pages)."""
    if exception is None or not exception.args or exception.args[0] is None:
        return ""
    reason = str(exception.args[0]).strip()
    if not reason or reason == _("You do not have permission to do this."):
        return ""
    if (get_language() or "").startswith("zh") and not _CJK.search(reason):
        return ""
    return reason


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page (``handler403``): in the base layout with the navigation, the reason when
    there is one to show, and the way back."""
    return render(request, "403.html", {"reason": denial_reason(exception)}, status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (``handler500``), with the request's id to quote to the administrator; a
    full disk (``server.is_disk_full``) gets the 存储空间不足 page with status 507 instead.
    Rendered without the request (no context processors): the database may be what failed.
    Django has already logged the error with its traceback (``django.request``)."""
    context = {"request_id": getattr(request, "id", None) or logs.current_request_id()}
    if server.is_disk_full(sys.exc_info()[1]):
        logger.error("Disk full: the request was refused with 507 (%s)", settings.DATA_DIR)
        body = loader.get_template("507.html").render(context)
        return HttpResponse(body, status=507)
    return HttpResponse(loader.get_template("500.html").render(context), status=500)


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico when they show a file that is no page (the API's JSON):
    nothing to show, said without a 404 in the log or the browser's console."""
    response = HttpResponse(status=204)
    response["Cache-Control"] = "public, max-age=86400"
    return response
