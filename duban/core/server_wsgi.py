"""Getting a web process ready before its first request (duban/wsgi.py calls ``prepare``).

Django loads most of what a page needs on the first request that needs it: every view module
behind the URLconf, the translation catalogues, the static files' manifest. Done at start-up
instead, the first person does not wait for it, and under ``duban serve`` (gunicorn with
``preload_app``) it is done once in the master process, whose memory the forked workers share.

Then ``gc.freeze()``: everything loaded so far lives as long as the process, and the garbage
collector stops walking through it. Each full collection then looks only at what requests
created, which keeps its pauses (the slow tail of response times) short, and a forked worker's
collections do not write to the pages it shares with the master.
"""

from __future__ import annotations

import gc
import logging

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connections
from django.urls import get_resolver
from django.utils.translation import trans_real

logger = logging.getLogger("duban.server")


def load_everything() -> None:
    """Import every view (through the URLconf), load the catalogues of every language and the
    static files' manifest."""
    get_resolver().url_patterns  # noqa: B018  (resolving imports each app's urls and views)
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
    getattr(staticfiles_storage, "hashed_files", None)  # sets the storage up: the manifest


def prepare() -> None:
    """Load what requests would load, close what must not be shared with forked workers (the
    database connections the start-up opened), and freeze what is there for the collector."""
    load_everything()
    connections.close_all()
    gc.collect()
    gc.freeze()
