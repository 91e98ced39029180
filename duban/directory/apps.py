from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "duban.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # Models load only once the app registry is ready, hence here and not at the top.
        from duban.audit.signals import register

        from .models import Group, Leader, Unit, UnitAlias

        for model in (Unit, UnitAlias, Leader, Group):
            register(model, task=lambda obj: None)
