"""Admin sign-in throttling: repeated failures from one address or for one account are locked out with a 429."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "e@example.com", "right-password", is_superuser=True)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_out_with_429(client, editor):
    for _ in range(4):
        assert sign_in(client, "editor", "wrong").status_code == 200  # the form again, with its error
    assert sign_in(client, "editor", "wrong").status_code == 429  # the fifth failure locks
    response = sign_in(client, "editor", "right-password")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode() or "Слишком" in response.content.decode()
    # From another address too: the account itself is locked.
    assert sign_in(client, "editor", "right-password", address="10.0.0.2").status_code == 429


def test_five_failures_from_one_address_lock_that_address_out(client, editor, django_user_model):
    django_user_model.objects.create_user("other", "o@example.com", "other-password", is_superuser=True)
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", address="10.9.9.9")
    assert sign_in(client, "other", "other-password", address="10.9.9.9").status_code == 429
    # Someone else, elsewhere, signs in as usual.
    assert sign_in(client, "other", "other-password", address="10.0.0.7").status_code == 302


def test_a_successful_sign_in_is_unaffected_and_clears_the_count(client, editor):
    for _ in range(3):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", "right-password").status_code == 302
    assert not AccessAttempt.objects.filter(username="editor", failures_since_start__gt=0).exists()
