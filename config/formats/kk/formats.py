# Kazakh date formats, which Django does not ship. Written "14 қазан 2025 ж." / "14 қазан 2025 ж., 10:00".
# "E" is the month name in its alternative (inflected) form; locale/kk/LC_MESSAGES/django.po gives the Kazakh
# month names in lower case for it, as Kazakh writes them inside a date.
DATE_FORMAT = r"j E Y \ж."
DATETIME_FORMAT = r"j E Y \ж., H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"F Y \ж."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
