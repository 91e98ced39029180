"""Daily notifications with a list of items (1 of 3): the new tables and columns.

A person gets one notification a day holding a list of ``NotificationItem`` rows; a delivery
carries its own message (title and items) instead of naming one notification. 0003 moves the
existing rows into this shape, 0004 drops the old columns.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("ledger", "0001_initial"),
        ("notify", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="day",
            field=models.DateField(null=True, verbose_name="day"),
        ),
        migrations.AddField(
            model_name="notification",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="notification",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.CreateModel(
            name="NotificationItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40, verbose_name="kind")),
                ("key", models.CharField(max_length=200)),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="message")),
                ("link", models.CharField(blank=True, max_length=500)),
                ("due_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="notify.notification",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_items",
                        to="ledger.task",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "notification item",
                "verbose_name_plural": "notification items",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "key"), name="notification_item_once_per_key"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="delivery",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="directory.unit",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="title",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="delivery",
            name="items",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="delivery",
            name="link",
            field=models.CharField(blank=True, max_length=500),
        ),
    ]
