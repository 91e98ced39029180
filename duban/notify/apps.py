from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "duban.notify"
    verbose_name = _("Notify")

    def ready(self) -> None:
        # What the workflows announce (duban.core.events) reaches the people it concerns.
        from duban.core.events import happened

        from .services import on_event

        happened.connect(on_event, dispatch_uid="duban.notify.on_event")
