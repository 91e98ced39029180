from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The plan at a glance (``duban summary``): counts read from the apps below, no models."""

    name = "duban.dashboards"
    verbose_name = _("Dashboards")
