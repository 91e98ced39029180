from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "duban.reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from duban.audit.signals import register

        from . import models

        for model in (
            models.Period,
            models.Refinement,
            models.Milestone,
            models.QuarterPlan,
            models.SlotUnit,
            models.Report,
            models.ReportTargetValue,
            models.Contribution,
        ):
            register(model, task=models.task_of)
        register(models.Evidence, task=models.task_of)
