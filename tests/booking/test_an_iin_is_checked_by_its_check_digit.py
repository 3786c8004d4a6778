"""booking.iin: 12 digits, the two-pass weighted check digit, the birth date and gender it encodes."""

from datetime import date

import pytest

from booking.iin import check_digit, is_valid_iin, parse_iin


@pytest.mark.parametrize(
    ("iin", "born", "gender"),
    [
        ("880415300018", date(1988, 4, 15), "male"),
        ("901202400025", date(1990, 12, 2), "female"),
        ("050301600044", date(2005, 3, 1), "female"),
        ("990101300053", date(1999, 1, 1), "male"),
    ],
)
def test_a_valid_iin_gives_its_birth_date_and_gender(iin, born, gender):
    facts = parse_iin(iin)
    assert facts is not None
    assert (facts.birth_date, facts.gender) == (born, gender)


def test_the_second_pass_is_taken_when_the_first_gives_ten():
    # First pass: the 10th digit weighs 10, so the sum is 10; second pass: it weighs 1.
    assert check_digit("00000000010") == 1


@pytest.mark.parametrize(
    "iin",
    [
        "880415300019",  # wrong check digit
        "88041530001",  # 11 digits
        "8804153000189",  # 13 digits
        "88041530001a",  # not a digit
        "８８０４１５３０００１８",  # full-width digits
        "881315300010",  # month 13
        "880415700015",  # century digit 7
        "",
    ],
)
def test_an_invalid_iin_is_refused(iin):
    assert not is_valid_iin(iin)
    assert parse_iin(iin) is None


def test_eleven_digits_whose_both_passes_give_ten_make_no_valid_iin():
    first_eleven = next(s for s in (f"8804153{n:04d}" for n in range(10000)) if check_digit(s) is None)
    assert not any(is_valid_iin(first_eleven + str(digit)) for digit in range(10))
