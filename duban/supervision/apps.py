from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "duban.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from duban.audit.signals import register
        from duban.core import todo

        from . import models
        from .todo import SOURCE

        todo.register(SOURCE)  # 待办: 督办/催办 notices, replies, extensions, escalations

        for model in (
            models.Notice,
            models.NoticeFile,
            models.Summons,
            models.ExtensionRequest,
        ):
            register(model, task=models.task_of)
        register(models.Circular, task=lambda obj: None)
