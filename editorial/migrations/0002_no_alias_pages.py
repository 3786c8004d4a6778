"""No alias pages on this site (editorial/aliases.py): any alias made before the rule becomes an ordinary page
with the text it shows today, so publishing its original no longer rewrites it; and a language set to be
synchronised from another (which would keep creating aliases for every new page) no longer is."""

from django.db import migrations


def turn_aliases_into_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    Page.objects.filter(alias_of__isnull=False).update(alias_of=None)
    LocaleSynchronization.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_roles_and_review_workflow"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(turn_aliases_into_pages, migrations.RunPython.noop)]
