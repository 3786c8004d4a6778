"""The demo site (kk, ru, en trees built through wagtail-localize) is loaded once per test session; every test runs
in a transaction that is rolled back, so each starts from the same site."""

import pytest
from django.core.management import call_command
from wagtail.models import Locale


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def admin_client_kk(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pass")
    client.force_login(user)
    return client
