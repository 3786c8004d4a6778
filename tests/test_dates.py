"""Dates read naturally in each language; Django has no Kazakh formats, the project provides them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation

from tests.helpers import page_text

pytestmark = pytest.mark.django_db

OCTOBER_14 = datetime(2025, 10, 14, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "14 қазан 2025 ж."), ("ru", "14 октября 2025 г."), ("en", "14 October 2025")],
)
def test_date_format(language, expected):
    with translation.override(language):
        assert formats.date_format(OCTOBER_14, "DATE_FORMAT") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "14 қазан 2025 ж., 10:00"),
        ("ru", "14 октября 2025 г., 10:00"),
        ("en", "14 October 2025, 10:00"),
    ],
)
def test_datetime_format(language, expected):
    with translation.override(language):
        assert formats.date_format(OCTOBER_14, "DATETIME_FORMAT") == expected


def test_every_kazakh_month_is_written_in_lower_case():
    with translation.override("kk"):
        months = [formats.date_format(datetime(2025, month, 1), "E") for month in range(1, 13)]
    assert months == [
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
        "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
    ]  # fmt: skip


def test_article_dates_on_the_site(client):
    assert "12 апреля 2022 г." in page_text(client.get("/ru/news/"))
    assert "14 October 2025" in page_text(
        client.get("/en/news/minister-of-health-visited-hematology-senter-in-astana/")
    )
