from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Online booking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (the deploy checks of the booking's e-mails)
        from .payments import checks as payment_checks  # noqa: F401  (and of its payments)
