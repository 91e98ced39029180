from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duban.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import guards, signals

        signals.connect()
        # The database's refusal to change the trail, again after every migrate (guards.py).
        post_migrate.connect(guards.after_migrate, sender=self, dispatch_uid="duban.audit.guards")
