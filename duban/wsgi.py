"""WSGI entry point for production servers: ``gunicorn duban.wsgi:application`` behind nginx
(docs/deploy.md). The settings make everything the process writes private (umask 077) and set
up the logging (standard error and DATA_DIR/logs/duban.log) as they load."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

application = get_wsgi_application()
