from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The plan at a glance (``duban summary``, the home page, the cockpit): counts read from the
    apps below, no models."""

    name = "duban.dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from duban.ledger.facets import register_task_facet

        from .facets import FACETS

        # The ledger's filters behind the cockpit's links (?report=, ?notice=, ?rectification=).
        for facet in FACETS:
            register_task_facet(facet)
