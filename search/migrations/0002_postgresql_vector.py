"""On PostgreSQL: a tsvector of the stems with a GIN index (ranking and fast matching). Other databases search the
stem columns directly."""

from django.db import migrations


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchentry ADD COLUMN vector tsvector")
    schema_editor.execute("CREATE INDEX search_searchentry_vector ON search_searchentry USING gin (vector)")


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add_vector, drop_vector)]
