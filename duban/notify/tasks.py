"""Background work through django-tasks (database backend): run by ``duban worker``.

The tasks live in ``duban.notify.services`` (beside what they run); this module names them too,
so work queued under ``duban.notify.tasks.deliver`` or ``.remind`` still finds its task.
"""

from __future__ import annotations

from .services import deliver, remind

__all__ = ["deliver", "remind"]
