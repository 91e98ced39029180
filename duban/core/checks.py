"""System checks of duban's own configuration, shown by ``duban check`` (and before serving)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.translation import gettext as _

from . import clock, server


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


@register()
def storage(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Errors when duban cannot save: the data directory missing or not writable, or less free
    space there than ``DUBAN_MIN_FREE_MB`` (``/healthz`` answers 503 for the same)."""
    data_dir = Path(settings.DATA_DIR)
    found: list[CheckMessage] = []
    for problem in server.storage_problems(data_dir, settings.MIN_FREE_BYTES):
        if problem.code == "low_space":
            found.append(
                Error(
                    _(
                        "Only %(free)s MB free in the data directory %(path)s; at least "
                        "%(limit)s MB are needed (DUBAN_MIN_FREE_MB)."
                    )
                    % {
                        "free": problem.free_bytes // 2**20,
                        "path": problem.path,
                        "limit": problem.limit_bytes // 2**20,
                    },
                    hint=_(
                        "Free space on that disk (old logs, `duban files clean`, old backups) "
                        "or move DUBAN_DATA_DIR to a larger disk."
                    ),
                    id="duban.E102",
                )
            )
        else:
            found.append(
                Error(
                    _("The data directory %(path)s does not exist or is not writable.")
                    % {"path": problem.path},
                    hint=_(
                        "Create it, and give the account duban runs as the right to write there "
                        "(chown), or set DUBAN_DATA_DIR."
                    ),
                    id="duban.E101",
                )
            )
    return found


@register(Tags.security, deploy=True)
def private_data_dir(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``check --deploy``: the data directory (database, uploads, secret key, logs) must be
    closed to other accounts; duban makes it 0700 at each start, unless it is not its own."""
    data_dir = Path(settings.DATA_DIR)
    try:
        mode = data_dir.stat().st_mode & 0o777
    except OSError:
        return []  # duban.E101 says so
    if not mode & 0o077:
        return []
    return [
        Warning(
            _("The data directory %(path)s is open to other accounts (mode %(mode)s).")
            % {"path": data_dir, "mode": oct(mode)[2:]},
            hint=_("Run duban as the account that owns it, or: chmod 700 %(path)s")
            % {"path": data_dir},
            id="duban.W101",
        )
    ]
