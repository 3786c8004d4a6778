from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Online booking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .payments import checks  # noqa: F401 - registers booking.W001 (check --deploy)
