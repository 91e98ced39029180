from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "duban.inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from duban.audit.signals import register
        from duban.core import todo

        from . import models
        from .todo import SOURCE

        todo.register(SOURCE)  # 待办: rectification items

        register(models.Inspection, task=lambda obj: None)
        for model in (
            models.InspectionTask,
            models.Finding,
            models.RectificationItem,
            models.InspectionFile,
        ):
            register(model, task=models.task_of)
