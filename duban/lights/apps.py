from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LightsConfig(AppConfig):
    name = "duban.lights"
    verbose_name = _("Lights")

    def ready(self) -> None:
        from duban.audit.signals import register

        from . import models

        register(models.LightSettings, task=lambda obj: None)
        register(models.LightOverride, task=lambda obj: obj.task_id)
