from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Layout, home page, health check and the product's own commands (serve, demo)."""

    name = "duban.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            permissions,
        )

        permissions.connect()  # ``can`` answers a question once per request
