"""The static 500 page carries the same Content-Security-Policy as the static 503 page: nothing may load, only its
own inline style applies (the security middleware leaves responses >= 500 to their handlers)."""

import pytest
from django.test import Client

from tests.helpers import page_text
from tests.test_faults import database_down, when_rendering

pytestmark = pytest.mark.django_db


def test_a_bug_answers_the_500_page_with_the_503_pages_policy():
    client = Client(raise_request_exception=False)  # as a browser gets it
    with database_down():
        outage = client.get("/ru/news/")
    assert outage.status_code == 503

    def crash():
        raise RuntimeError("a bug, not an outage")

    with when_rendering("base.html", crash):
        response = client.get("/ru/news/")

    assert response.status_code == 500
    assert "Сервис временно недоступен" in page_text(response) and "Service temporarily unavailable" in page_text(
        response
    )
    policy = response.get("Content-Security-Policy")
    assert policy == outage["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "frame-ancestors 'none'" in policy
