from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Reading government notices (PDF, Word, web pages, spreadsheets, text) into key tasks."""

    name = "duban.intake"
    verbose_name = _("Intake")
