from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts, their roles, sessions; the reading of a role for the permission rule."""

    name = "duban.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Models load only once the app registry is ready, hence here and not at the top.
        from axes.signals import user_locked_out
        from django.contrib.auth import get_user_model

        from duban.audit.signals import mask_secret
        from duban.audit.signals import register as audit

        from .lockout import locked_out
        from .models import AccessToken, Membership
        from .permissions import register
        from .twofactor import checks  # noqa: F401  (registers the two-factor system checks)

        register()
        # A new sign-in lock leaves a ``lockout`` event in the audit trail.
        user_locked_out.connect(locked_out, dispatch_uid="duban.accounts.lockout")
        for model in (Membership, get_user_model()):
            audit(model, task=lambda obj: None)
        # Access tokens (tokens.py): made and revoked are events; the digest never shows.
        audit(AccessToken, task=lambda obj: None, masked={"digest": mask_secret})
