from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "duban.ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        # Models load only once the app registry is ready, hence here and not at the top.
        from duban.audit.signals import register

        from . import memo
        from .models import Area, Assignment, ImportRecord, Plan, Target, Task, TaskLeader

        memo.connect()  # the memos of every task's light (duban.ledger.memo) follow the trail
        for model in (Plan, Area, Assignment, TaskLeader, Target, ImportRecord):
            register(model)
        register(Task, task=lambda obj: obj.pk)
