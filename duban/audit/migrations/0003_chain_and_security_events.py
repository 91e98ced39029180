"""The tamper-evident chain and the security events (等保2.0 安全审计).

- ``prev_hash``, ``hash``, ``algorithm``: each event's link in the chain (duban/audit/chain.py);
  the events already recorded are chained here, in the order they were written;
- the new events (access refused, reads of the trail, lockouts, two-factor, configuration…);
- the user link no longer SET NULLs on an account's deletion (an UPDATE of the trail) nor has a
  database constraint: the event keeps the account's number and name;
- the database's guards (duban/audit/guards.py): on PostgreSQL a trigger refuses UPDATE and
  DELETE, on SQLite UPDATE.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from duban.audit import chain, guards

BATCH = 2000


def link_recorded_events(apps: Any, schema_editor: Any) -> None:
    event_model = apps.get_model("audit", "AuditEvent")
    events = event_model.objects.using(schema_editor.connection.alias).order_by("pk")
    previous = chain.GENESIS
    batch = []
    for event in events.iterator(chunk_size=BATCH):
        fields = {name: getattr(event, name) for name in chain.FIELDS}
        event.prev_hash = previous
        event.algorithm = chain.ALGORITHM
        event.hash = chain.compute(fields, previous, chain.ALGORITHM)
        previous = event.hash
        batch.append(event)
        if len(batch) >= BATCH:
            event_model.objects.bulk_update(batch, ["prev_hash", "hash", "algorithm"])
            batch = []
    if batch:
        event_model.objects.bulk_update(batch, ["prev_hash", "hash", "algorithm"])


def install_guards(apps: Any, schema_editor: Any) -> None:
    guards.install(schema_editor.connection)


def remove_guards(apps: Any, schema_editor: Any) -> None:
    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_event_time_from_the_clock"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="algorithm",
            field=models.CharField(
                blank=True, editable=False, max_length=10, verbose_name="hash algorithm"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="hash"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="previous hash"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("login", "Signed in"),
                    ("login_failed", "Sign-in failed"),
                    ("logout", "Signed out"),
                    ("export", "Exported"),
                    ("download", "Downloaded"),
                    ("denied", "Access refused"),
                    ("read", "Read the audit trail"),
                    ("lockout", "Account locked"),
                    ("unlock", "Account unlocked"),
                    ("password", "Password changed"),
                    ("otp_enrol", "Two-factor set up"),
                    ("otp_failed", "Two-factor code wrong"),
                    ("otp_reset", "Two-factor reset"),
                    ("session_ended", "Session ended"),
                    ("config", "Configuration changed"),
                ],
                max_length=20,
                verbose_name="event",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(link_recorded_events, migrations.RunPython.noop),
        migrations.RunPython(install_guards, remove_guards),
    ]
