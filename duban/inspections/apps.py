from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "duban.inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from duban.audit.signals import register

        from . import models

        register(models.Inspection, task=lambda obj: None)
        for model in (
            models.InspectionTask,
            models.Finding,
            models.RectificationItem,
            models.InspectionFile,
        ):
            register(model, task=models.task_of)
