"""Reports → Search terms lists what visitors search for, counted in a bounded way: only queries that found
something and are short enough, and at most SEARCH_TERMS_NEW_PER_DAY new queries a day, so that traffic (a robot
sending random queries) cannot grow the database without limit."""

import secrets

import pytest
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def search(client, query, language="kk"):
    return client.get(f"/{language}/search/", {"q": query})


def rows() -> int:
    return Query.objects.count() + QueryDailyHits.objects.count()


def test_five_hundred_distinct_random_queries_do_not_create_five_hundred_rows(client):
    before = rows()
    for _ in range(500):
        response = search(client, secrets.token_hex(6))
        assert response.status_code == 200
    assert rows() - before == 0  # nothing found: nothing counted


def test_new_queries_that_found_something_are_counted_up_to_the_days_limit(client, settings):
    settings.SEARCH_TERMS_NEW_PER_DAY = 3
    queries = ["дәрігер", "дәрігерлер", "дәрігерге", "гематология", "орталық"]
    for query in queries:
        response = search(client, query)
        assert "search-result" in response.content.decode(), query  # each one finds something
    counted = set(Query.objects.filter(daily_hits__isnull=False).values_list("query_string", flat=True))
    assert counted == set(queries[:3])
    # A query already counted today goes on being counted.
    search(client, "Дәрігер")
    assert Query.get("дәрігер").hits == 2
    assert not Query.objects.filter(query_string__in=queries[3:]).exists()


def test_a_query_too_long_to_be_a_search_term_is_not_counted(client):
    search(client, "дәрігер " + "x" * 100)
    assert not Query.objects.filter(query_string__startswith="дәрігер").exists()


def test_the_search_terms_report_lists_the_frequent_queries(client, django_user_model):
    # Spelt differently each time: the same URL twice would be answered from the page cache the second time.
    for spelling in ("дәрігер", "Дәрігер", "ДӘРІГЕР"):
        search(client, spelling)
    search(client, "гематолог", language="ru")
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "secret"))
    report = page_text(client.get(reverse("wagtailsearchpromotions:search_terms")))
    assert "дәрігер 3" in report
    assert "гематолог 1" in report
