"""Create the "Booking managers" group: admin access, and viewing, retrying and refunding orders."""

from django.db import migrations


def forwards(apps, schema_editor):
    from booking import roles

    roles.setup_booking_managers(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("booking", "0002_order_staff_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
