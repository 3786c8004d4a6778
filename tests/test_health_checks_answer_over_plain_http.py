"""A load balancer or monitoring probe asks gunicorn for /healthz and /readyz over plain HTTP. With the production
settings (SECURE_SSL_REDIRECT on), they answer their JSON, not a redirect to https://; everything else is still
redirected."""

import json

from tests.test_production_settings import run

PROBE = """
import json, django
django.setup()
from django.test import Client
answers = {}
for url in ("/healthz", "/readyz", "/kk/", "/admin/"):
    response = Client().get(url, HTTP_HOST="hematology.example")
    answers[url] = [response.status_code, response.get("Location"), response.content.decode()[:200]]
print(json.dumps(answers))
"""


def test_health_checks_answer_their_json_over_plain_http_and_the_rest_goes_to_https():
    result = run(PROBE, DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    status, location, body = answers["/healthz"]
    assert (status, location) == (200, None)
    assert json.loads(body) == {"status": "ok"}
    status, location, body = answers["/readyz"]
    assert (status, location) == (200, None)
    assert json.loads(body)["database"] == "ok"
    for url in ("/kk/", "/admin/"):
        assert answers[url][:2] == [301, f"https://hematology.example{url}"]
