from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "duban.notify"
    verbose_name = _("Notify")

    def ready(self) -> None:
        # What the workflows announce (duban.core.events) reaches the people it concerns.
        from duban.audit.signals import mask_secret, mask_url
        from duban.audit.signals import register as audit
        from duban.core.events import happened

        from .models import Channel
        from .services import on_event

        happened.connect(on_event, dispatch_uid="duban.notify.on_event")
        # Channels are settings: each change is a CONFIG event, the webhook's access token and
        # the signing secret masked (duban/audit/signals.py).
        audit(
            Channel,
            task=lambda obj: None,
            config=True,
            masked={"url": mask_url, "secret": mask_secret},
        )
