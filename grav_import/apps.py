from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GravImportConfig(AppConfig):
    name = "grav_import"
    verbose_name = _("Import from Grav")
