"""Daily notifications with a list of items (3 of 3): the old columns go, one a day per person."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_daily_notifications_data")]

    operations = [
        migrations.RemoveConstraint(model_name="notification", name="notification_once_per_key"),
        migrations.RemoveField(model_name="delivery", name="notification"),
        migrations.RemoveField(model_name="notification", name="kind"),
        migrations.RemoveField(model_name="notification", name="key"),
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="link"),
        migrations.RemoveField(model_name="notification", name="task"),
        migrations.AlterField(
            model_name="notification",
            name="day",
            field=models.DateField(verbose_name="day"),
        ),
        migrations.AlterModelOptions(
            name="notification",
            options={
                "ordering": ["-day", "-pk"],
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
            },
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("user", "day"), name="notification_once_per_day"
            ),
        ),
    ]
