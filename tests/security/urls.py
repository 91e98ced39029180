"""duban's routes plus pages that fail on purpose, for the logging and full-disk tests."""

from __future__ import annotations

import errno
import logging

from django.http import HttpRequest, HttpResponse
from django.urls import path

from duban.urls import handler403, handler500
from duban.urls import urlpatterns as duban_urlpatterns

__all__ = ["handler403", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: the test's server error")


def warn(request: HttpRequest) -> HttpResponse:
    logging.getLogger("duban.test").warning("something to look at")
    return HttpResponse("ok")


def disk_full(request: HttpRequest) -> HttpResponse:
    raise OSError(errno.ENOSPC, "No space left on device")


urlpatterns = [
    path("test/boom/", boom),
    path("test/warn/", warn),
    path("test/disk-full/", disk_full),
    *duban_urlpatterns,
]
