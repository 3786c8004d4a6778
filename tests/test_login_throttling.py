"""Admin sign-in throttling behind nginx: failures are counted per visitor's own address (the one nginx passes in
X-Forwarded-For, every request reaching the application from 127.0.0.1); five from one address lock that address out
with a 429, and never anybody else's correct sign-in, even for the account that was guessed at."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.helpers import page_text
from tests.test_production_settings import run

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")
ATTACKER = "203.0.113.5"
ADMIN_ADDRESS = "198.51.100.7"


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # as in production (config/settings/production.py)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "e@example.com", "right-password", is_superuser=True)


def sign_in(client, username, password, address=ADMIN_ADDRESS, forwarded_for=None):
    """A sign-in through nginx: the application sees nginx's address and the visitor's in X-Forwarded-For."""
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for or address,
    )


def assert_locked_out(response):
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response) or "Слишком много попыток" in page_text(response)


def assert_signed_in(response):
    assert response.status_code == 302, page_text(response)
    assert response["Location"] == reverse("wagtailadmin_home")


def test_five_failures_from_one_address_lock_that_address_out_but_not_another_visitor(client, editor):
    for n in range(4):
        response = sign_in(client, f"made-up-{n}", "wrong", address=ATTACKER)
        assert response.status_code == 200  # the form again, with its error
    assert_locked_out(sign_in(client, "made-up-4", "wrong", address=ATTACKER))
    assert_locked_out(sign_in(client, "editor", "right-password", address=ATTACKER))
    # The real editor, elsewhere, signs in as usual although every request comes from nginx's 127.0.0.1.
    assert_signed_in(sign_in(client, "editor", "right-password", address=ADMIN_ADDRESS))


def test_guessing_an_accounts_password_from_one_address_never_locks_its_owner_out_elsewhere(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "wrong", address=ATTACKER)
    assert_locked_out(sign_in(client, "editor", "right-password", address=ATTACKER))
    assert_signed_in(sign_in(client, "editor", "right-password", address=ADMIN_ADDRESS))
    # ...and the owner's success does not lift the attacker's lock-out.
    assert_locked_out(sign_in(client, "editor", "right-password", address=ATTACKER))


def test_an_address_added_in_front_of_the_visitors_own_does_not_escape_the_count(client, editor):
    # Were nginx to append to a forged X-Forwarded-For, the visitor's real address is still the last one.
    for n in range(5):
        sign_in(client, f"made-up-{n}", "wrong", forwarded_for=f"10.0.0.{n}, {ATTACKER}")
    assert_locked_out(sign_in(client, "editor", "right-password", forwarded_for=f"10.0.0.99, {ATTACKER}"))
    assert_signed_in(sign_in(client, "editor", "right-password", address=ADMIN_ADDRESS))


def test_a_successful_sign_in_is_unaffected_and_clears_the_count(client, editor):
    for _ in range(3):
        sign_in(client, "editor", "wrong")
    assert_signed_in(sign_in(client, "editor", "right-password"))
    assert not AccessAttempt.objects.filter(username="editor", failures_since_start__gt=0).exists()


def test_production_settings_count_the_address_nginx_passes():
    result = run(
        "import django; django.setup()\n"
        "from axes.helpers import get_client_ip_address\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().post('/admin/login/', REMOTE_ADDR='127.0.0.1',\n"
        "                                HTTP_X_FORWARDED_FOR='203.0.113.5')\n"
        "print(get_client_ip_address(request))\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == ATTACKER
