"""Pages that belong to no domain app: the health check and the 403 page (the home page is
duban.dashboards', the top layer, which may read every app).

The 404 and 500 pages are Django's own handlers with our templates (``404.html``, ``500.html``);
403 has a handler of its own so that the reason a ``PermissionDenied`` gives reaches the page
only when it is a sentence for people (see ``permission_denied``)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A sentence in Chinese has at least one CJK character; one without is an internal message.
_CJK = re.compile(r"[\u3400-\u9fff]")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For monitoring and load balancers: says ``ok`` only while the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


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
