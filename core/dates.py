"""Month names as they are written inside a date ("14 қазан 2025 ж.", "14 октября 2025 г.").

Django's date format character "E" uses the "alt. month" translations. Django's own Kazakh catalog capitalises them
("Қазан"), which is wrong inside a Kazakh date; listing them here puts them into the project's catalogs
(locale/*/LC_MESSAGES/django.po), which take precedence over Django's.
"""

from django.utils.translation import pgettext_lazy

ALT_MONTHS = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
