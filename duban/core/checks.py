"""System checks of duban's own configuration, shown by ``duban check`` (and before serving)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.utils.translation import gettext as _

from . import clock


@register()
def pinned_date(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn that ``DUBAN_TODAY`` pins the date: meant for training and demonstrations only."""
    day = clock.pinned_date()
    if day is None:
        return []
    return [
        Warning(
            _(
                "DUBAN_TODAY is set to %(date)s: the system date is pinned, for training and "
                "demonstrations only; remove this variable in production."
            )
            % {"date": day.isoformat()},
            id="duban.W001",
        )
    ]
