"""get_mis_client(): the simulator without MIS_URL, the HTTP client with it, and clear errors when half-configured."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from booking.mis import get_mis_client
from booking.mis.http import HttpMisClient
from booking.mis.simulator import SimulatedMis


@override_settings(MIS_URL="")
def test_without_mis_url_the_simulator_answers():
    assert isinstance(get_mis_client(), SimulatedMis)
    assert len(get_mis_client().consultation_types("kk")) == 3


@override_settings(MIS_URL="https://mis.example.kz/api/booking.php", MIS_AUTH="jwt", MIS_SECRET="s", MIS_TIMEOUT=3)
def test_with_mis_url_the_http_client_asks_its_token_next_to_it():
    client = get_mis_client()
    assert isinstance(client, HttpMisClient)
    assert client.token_url == "https://mis.example.kz/api/booking.php/issuetoken"
    assert client.timeout == 3


@override_settings(MIS_URL="https://mis.example.kz/", MIS_AUTH="apikey", MIS_API_KEY="k", MIS_TOKEN_URL="")
def test_the_api_key_mode_needs_no_secret():
    client = get_mis_client()
    assert (client.auth, client.api_key) == ("apikey", "k")


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        ("jwt", "MIS_AUTH=jwt needs MIS_SECRET in the environment."),
        ("apikey", "MIS_AUTH=apikey needs MIS_API_KEY in the environment."),
        ("basic", "MIS_AUTH must be jwt or apikey."),
    ],
)
def test_a_half_configured_mis_is_refused_with_what_is_missing(auth, message):
    settings = override_settings(MIS_URL="https://mis.example.kz/", MIS_AUTH=auth, MIS_SECRET="", MIS_API_KEY="")
    with settings, pytest.raises(ImproperlyConfigured, match=message):
        get_mis_client()
