"""Kazakhstan's IIN (individual identification number): 12 digits, YYMMDD + century/gender digit + serial + check.

The check digit is the sum of the first 11 digits weighted 1..11, modulo 11; when that is 10 a second pass with the
weights 3..11, 1, 2 is taken; when that is 10 too, no IIN carries that number (it is invalid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# The 7th digit: the century of birth and the gender (odd: male, even: female).
_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


@dataclass(frozen=True)
class IinFacts:
    birth_date: date
    gender: str  # "male" or "female"


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when both passes give 10 (no valid IIN starts so)."""
    digits = [int(c) for c in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def parse_iin(value: str) -> IinFacts | None:
    """The birth date and gender an IIN encodes, or None if it is not a valid IIN (format, date or check digit)."""
    if not isinstance(value, str) or len(value) != 12 or not value.isascii() or not value.isdigit():
        return None
    if check_digit(value[:11]) != int(value[11]):
        return None
    century = _CENTURIES.get(value[6])
    if century is None:
        return None
    try:
        born = date(century + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None
    return IinFacts(birth_date=born, gender="male" if int(value[6]) % 2 else "female")


def is_valid_iin(value: str) -> bool:
    return parse_iin(value) is not None
