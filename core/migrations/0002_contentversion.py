import time

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("core", "ContentVersion").objects.get_or_create(pk=1, defaults={"version": int(time.time() * 1000)})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_locales")]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField()),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
