"""The demo site (kk, ru, en trees built through wagtail-localize) is loaded once per test session; every test runs
in a transaction that is rolled back, so each starts from the same site."""

import pytest
from django.core.management import call_command
from wagtail.models import Locale


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back after a test, the cache is not."""
    from django.core.cache import cache

    from core.cache import forget_memo

    cache.clear()
    forget_memo()
    yield
    cache.clear()
    forget_memo()


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def user_in(db, django_user_model):
    """user_in("Translators kk") -> a logged-in-ready user of that group."""

    def make(*group_names: str):
        from django.contrib.auth.models import Group

        name = "-".join(group_names).replace(" ", "_").lower() or "nobody"
        user = django_user_model.objects.create_user(name, f"{name}@example.com", "secret")
        user.groups.set(Group.objects.filter(name__in=group_names))
        return user

    return make


@pytest.fixture
def client_for(client, user_in):
    """client_for("Editors") -> the test client logged in as a member of that group."""

    def login(*group_names: str):
        client.force_login(user_in(*group_names))
        return client

    return login
