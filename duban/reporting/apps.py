from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "duban.reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from django.core import checks

        from duban.audit.signals import register
        from duban.core import todo
        from duban.exports.pdf import pdf_check
        from duban.ledger.rows import register_row_annotator

        from . import models
        from .services.latest import attach_latest
        from .services.todo import SOURCE

        todo.register(SOURCE)  # 待办: reports, contributions, refinements
        # `duban check` warns when PDFs cannot be made (the core is below duban.exports).
        checks.register(pdf_check)
        # Each ledger row's latest progress and current report (the ledger is below reporting).
        register_row_annotator(attach_latest)

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
