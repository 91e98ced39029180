from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API; it has no models of its own (access tokens are duban.accounts')."""

    name = "duban.api"
    verbose_name = _("API")
