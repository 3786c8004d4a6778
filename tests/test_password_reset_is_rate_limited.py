"""The admin's "Forgot password?" sends at most a few e-mails an hour per account's address and per visitor's
address (PASSWORD_RESET_LIMITS). Over the limit the visitor sees the same neutral page as always (it never says
whether an account exists) and no e-mail is sent."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.helpers import page_text

pytestmark = pytest.mark.django_db

RESET = reverse("wagtailadmin_password_reset")
DONE = reverse("wagtailadmin_password_reset_done")


@pytest.fixture(autouse=True)
def _limits_and_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # behind nginx, as in production
    settings.PASSWORD_RESET_LIMITS = {"email": 3, "address": 5}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.com", "secret")


def ask_for_reset(client, email, address="198.51.100.7"):
    response = client.post(RESET, {"email": email}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address, follow=True)
    assert response.redirect_chain == [(DONE, 302)]
    # The same neutral page whatever happened (in the admin's Russian).
    assert "Проверьте вашу электронную почту" in page_text(response)
    return response


def test_an_account_gets_at_most_three_reset_emails_an_hour(client, editor):
    for n in range(3):
        ask_for_reset(client, "editor@example.com", address=f"198.51.100.{n + 1}")
    assert len(mail.outbox) == 3
    # From yet another address, or spelt in capitals: the same account, no fourth e-mail.
    ask_for_reset(client, "Editor@Example.com", address="198.51.100.99")
    assert len(mail.outbox) == 3


def test_one_visitor_asks_for_at_most_five_resets_an_hour_whatever_the_addresses(client, editor, django_user_model):
    for n in range(5):
        ask_for_reset(client, f"nobody-{n}@example.com", address="203.0.113.5")
    assert len(mail.outbox) == 0  # no such accounts: nothing to send, but counted
    ask_for_reset(client, "editor@example.com", address="203.0.113.5")
    assert len(mail.outbox) == 0
    # The editor, from their own address, still gets their e-mail.
    ask_for_reset(client, "editor@example.com", address="198.51.100.7")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@example.com"]
