from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LightsConfig(AppConfig):
    name = "duban.lights"
    verbose_name = _("Lights")

    def ready(self) -> None:
        # Models and the services that read them load only once the app registry is ready.
        from duban.audit.signals import register
        from duban.ledger.facets import register_task_facet
        from duban.ledger.rows import register_row_annotator

        from . import models
        from .filters import LIGHT_FACET
        from .services import attach_lights

        register_row_annotator(attach_lights)
        register_task_facet(LIGHT_FACET)  # the ledger's ?light= filter and its counts

        # The thresholds are a setting: their changes are CONFIG events of the audit trail.
        register(models.LightSettings, task=lambda obj: None, config=True)
        register(models.LightOverride, task=lambda obj: obj.task_id)
