# Russian date formats, as Django's own ("14 октября 2025 г."), kept here so the three languages sit side by side.
from django.conf.locale.ru.formats import *  # noqa: F403

DATETIME_FORMAT = r"j E Y \г., H:i"
