from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "duban.assessment"
    verbose_name = _("Year-end assessment")

    def ready(self) -> None:
        from duban.audit.signals import register
        from duban.core import todo

        from . import models
        from .todo import SOURCE

        todo.register(SOURCE)  # 待办: appeals to decide, results in publicity, to publish

        # Scores and their items are derived from the record (recomputed, never typed); what
        # people decide about them is audited: the scheme, the year's state, adjustments,
        # appeals and recognitions with their files.
        # A new version of the scheme is a configuration change (a CONFIG event).
        register(models.Scheme, task=models.task_of, config=True)
        for model in (
            models.Assessment,
            models.Adjustment,
            models.AdjustmentFile,
            models.Appeal,
            models.AppealFile,
            models.Recognition,
            models.RecognitionFile,
        ):
            register(model, task=models.task_of)
