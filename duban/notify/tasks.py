"""Background work through django-tasks (database backend): run by ``duban worker``."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(delivery_ids: list[int]) -> int:
    """Send these deliveries if they are still pending and due; returns how many were tried."""
    from .services import deliver_pending

    return len(deliver_pending(ids=delivery_ids))


@task()
def remind() -> int:
    """Compute today's reminders and send what is pending (the job `duban remind` runs)."""
    from .services import deliver_pending, run_reminders

    created = run_reminders()
    return len(created.notifications) + len(deliver_pending())
