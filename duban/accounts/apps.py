from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts, their roles, sessions; the reading of a role for the permission rule."""

    name = "duban.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Models load only once the app registry is ready, hence here and not at the top.
        from django.contrib.auth import get_user_model

        from duban.audit.signals import register as audit

        from .models import Membership
        from .permissions import register

        register()
        for model in (Membership, get_user_model()):
            audit(model, task=lambda obj: None)
