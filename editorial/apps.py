from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        from wagtail.admin import auth

        from . import signals  # noqa: F401
        from .views import admin_permission_denied

        # Wagtail answers a refused admin action with a redirect to the dashboard and a flash message; the clinic
        # wants a plain 403 with an explanation (a refused request must not look like a success to a script or a
        # test). Wagtail's require_admin_access looks this function up at call time.
        auth.permission_denied = admin_permission_denied
