"""The bearer JWT from /issuetoken is asked once and kept in Django's cache until shortly before its `exp`; a token
the MIS no longer accepts is replaced. With MIS_AUTH=apikey the key goes in X-API-Key and no token is asked."""

import pytest

from booking.mis import MisUnavailable
from booking.mis.http import HttpMisClient, _jwt_expiry

from .conftest import API_KEY, SECRET


def test_one_token_serves_several_calls_and_several_clients(http_client, mis_server):
    http_client.consultation_types("ru")
    http_client.doctors("101", "ru")
    HttpMisClient(mis_server.url, auth="jwt", secret=SECRET, timeout=0.2).schedule("d1", "101", "kk")
    assert mis_server.tokens_issued == 1
    tokens = {call.headers["Authorization"] for call in mis_server.calls}
    assert len(tokens) == 1
    assert tokens.pop().startswith("Bearer ey")


def test_the_token_is_kept_until_shortly_before_its_exp_then_renewed(http_client, mis_server, monkeypatch):
    import time

    start = time.time()
    http_client.consultation_types("ru")  # the simulator's tokens live 300 s
    monkeypatch.setattr(time, "time", lambda: start + 200)
    http_client.consultation_types("ru")
    assert mis_server.tokens_issued == 1
    monkeypatch.setattr(time, "time", lambda: start + 285)  # within the client's 30 s margin
    http_client.consultation_types("ru")
    assert mis_server.tokens_issued == 2


def test_a_token_about_to_expire_is_not_reused(mis_server, http_client):
    mis_server.token_lifetime = 10  # less than the client's safety margin: each call needs a fresh token
    http_client.consultation_types("ru")
    http_client.consultation_types("en")
    assert mis_server.tokens_issued == 2


def test_a_token_the_mis_no_longer_accepts_is_replaced_without_the_patient_noticing(http_client, mis_server, simulator):
    http_client.consultation_types("ru")
    mis_server.revoke_tokens()
    assert http_client.doctors("101", "ru") == simulator.doctors("101", "ru")
    assert mis_server.tokens_issued == 2
    assert [call.act for call in mis_server.calls] == ["getconsulttype", "getdoctors", "getdoctors"]


def test_the_api_key_is_sent_in_its_header_and_no_token_is_asked(apikey_server, simulator):
    client = HttpMisClient(apikey_server.url, auth="apikey", api_key=API_KEY, timeout=0.2)
    assert client.check_doctor("d1", "ru") == simulator.check_doctor("d1", "ru")
    assert apikey_server.tokens_issued == 0
    assert apikey_server.calls[0].headers == {"X-API-Key": API_KEY}


def test_a_wrong_api_key_is_a_mis_unavailable_not_a_crash(apikey_server):
    client = HttpMisClient(apikey_server.url, auth="apikey", api_key="wrong", timeout=0.2, retries=0)
    with pytest.raises(MisUnavailable) as failure:
        client.consultation_types("ru")
    assert failure.value.detail.startswith("HTTP 401")


def test_the_expiry_is_read_from_the_jwt_payload_without_checking_its_signature():
    assert _jwt_expiry("not-a-jwt") is None
    assert _jwt_expiry("a.eyJleHAiOjEyM30.c") == 123.0  # {"exp":123}
