from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and out, sessions, and (later) roles and security policies."""

    name = "duban.accounts"
    verbose_name = _("Accounts")
