"""The served simulator (`manage.py mis_simulator`): odd answers switched on over HTTP, and a request log that never
shows the IIN of the query string."""

import requests

from booking.mis.server import MisSimulatorServer

from .conftest import SECRET


def test_a_fault_set_over_http_lasts_for_the_asked_number_of_calls(mis_server, http_client, simulator):
    answer = requests.post(f"{mis_server.url}_control", params={"fault": "wrapped", "times": "1"}, timeout=2)
    assert answer.json() == {"ok": True, "data": {"fault": "wrapped"}}
    token = http_client._token()
    wrapped = requests.get(
        mis_server.url,
        params={"act": "checkdoctor", "id": "d1", "lang": "en"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=2,
    )
    assert wrapped.json() == {
        "ok": True,
        "data": {
            "ok": True,
            "data": {
                "id": "d1",
                "name": "Aigerim Sadykova",
                "profile": "Haematologist of the highest category, 15 years of practice.",
                "city_id": "3",
            },
        },
    }
    plain = requests.get(
        mis_server.url,
        params={"act": "checkdoctor", "id": "d1", "lang": "en"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=2,
    )
    assert plain.json()["data"]["name"] == "Aigerim Sadykova"


def test_an_unknown_fault_is_refused(mis_server):
    answer = requests.post(f"{mis_server.url}_control", params={"fault": "explode"}, timeout=2)
    assert answer.status_code == 400
    assert "fault must be one of" in answer.json()["error"]


def test_a_call_without_lang_is_refused_as_the_mis_would(mis_server, http_client):
    answer = requests.get(
        mis_server.url,
        params={"act": "getconsulttype"},
        headers={"Authorization": f"Bearer {http_client._token()}"},
        timeout=2,
    )
    assert answer.json() == {"ok": False, "error": "lang is required"}


def test_the_request_log_shows_the_action_but_never_the_iin(simulator, capsys):
    server = MisSimulatorServer(("127.0.0.1", 0), simulator=simulator, secret=SECRET, verbose=True).start_in_thread()
    try:
        from booking.mis.http import HttpMisClient

        HttpMisClient(server.url, auth="jwt", secret=SECRET, timeout=1).check_iin("880415300018", "ru")
    finally:
        server.stop()
    captured = capsys.readouterr()
    log = captured.out + captured.err
    assert "GET / act=checkiin" in log
    assert "880415300018" not in log
