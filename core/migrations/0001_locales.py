"""Every install has the three content languages (Wagtail itself creates only the default one)."""

from django.db import migrations

LANGUAGE_CODES = ["kk", "ru", "en"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0057_page_locale_fields_notnull")]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
