"""The "Booking managers" group: the staff who see the online booking's orders in the admin (booking/staff.py),
send a paid order to the MIS again and mark an order refunded. Nobody else sees orders, except superusers.

Functions take the app registry (`apps`) so the migration and the running site share them.
"""

BOOKING_MANAGERS = "Booking managers"

# (app label, model, codename, name): the name is used only if the permission does not exist yet (a data migration
# runs before Django creates a new model's permissions; it then finds these and leaves them).
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("booking", "order", "view_order", "Can view order"),
    ("booking", "order", "retry_order", "Can retry sending an order to the MIS"),
    ("booking", "order", "refund_order", "Can mark an order refunded"),
]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def setup_booking_managers(apps):
    """Create or complete the group; idempotent. Returns it."""
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=BOOKING_MANAGERS)
    group.permissions.add(*(_permission(apps, *spec) for spec in PERMISSIONS))
    return group
