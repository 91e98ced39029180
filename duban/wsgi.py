"""WSGI entry point: ``duban serve`` runs it under gunicorn (duban/core/server_gunicorn.py), and
any other WSGI server may (``gunicorn duban.wsgi:application``; docs/deploy.md). The settings
make everything the process writes private (umask 077) and set up the logging (standard error
and DATA_DIR/logs/duban.log) as they load; ``prepare`` then loads every view, catalogue and the
static files' manifest and freezes them for the garbage collector (duban/core/server_wsgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

from duban.core.server_wsgi import prepare

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

application = get_wsgi_application()
prepare()
