from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo: the Yanshi directory and seed notice as data, and `duban demo` that loads them.

    It sits above every other app (docs/architecture.md): it builds a year through their
    services, and nothing imports it."""

    name = "duban.demo"
    verbose_name = _("Demo")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment check for demo accounts)
