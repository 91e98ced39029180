"""URL routes of the whole product."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from duban.core import views as core_views
from duban.dashboards import views as dashboards_views

urlpatterns = [
    path("", dashboards_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("accounts/", include("duban.accounts.urls")),
    path("ledger/", include("duban.ledger.urls")),
    path("cockpit/", include("duban.dashboards.urls")),
    path("directory/", include("duban.directory.urls")),
    path("imports/", include("duban.intake.urls")),
    path("reporting/", include("duban.reporting.urls")),
    path("audit/", include("duban.audit.urls")),
    path("lights/", include("duban.lights.urls")),
    path("notifications/", include("duban.notify.urls")),
    path("supervision/", include("duban.supervision.urls")),
    path("inspections/", include("duban.inspections.urls")),
    path("assessment/", include("duban.assessment.urls")),
    # The REST API for other systems (docs/api.md): /api/v1/, /api/schema/, /api/docs/.
    path("api/", include("duban.api.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Static files are served by duban itself (nginx cannot read the private data directory):
    # WhiteNoise's middleware answers for every file collected into STATIC_ROOT when the
    # process started (`duban serve` runs collectstatic first), compressed and cached
    # (duban/core/server_static.py). This route serves what was collected later, plainly; the
    # login page needs the files, so no login is required.
    re_path(
        r"^static/(?P<path>.*)$",
        login_not_required(serve),
        {"document_root": settings.STATIC_ROOT},
    ),
]

# 403 says why when the refusal gives a reason; 404 is Django's own handler with duban's
# template (404.html in duban/core/templates); 500 shows the request's id, and a full disk gets
# the 存储空间不足 page (507). Neither 500.html nor 507.html needs the database.
handler403 = core_views.permission_denied
handler500 = core_views.server_error

# Django's admin site edits any table past duban's rules (三权分立): served only when the
# operator turns it on (DUBAN_DJANGO_ADMIN=true), otherwise /admin/ does not exist (404).
if settings.DJANGO_ADMIN:
    urlpatterns.append(path("admin/", admin.site.urls))
