import re
from html import unescape

from django.test import Client


def page_text(response) -> str:
    """What a visitor reads: the HTML without tags and with entities decoded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def get(client: Client, url: str, **headers):
    return client.get(url, headers=headers)


# The demo's news, as the clinic wrote them (the minister article's title has a Cyrillic "с" in "сenter": the
# importer reports it and leaves the fix to an editor).
MINISTER = "minister-of-health-visited-hematology-senter-in-astana"
MINISTER_TITLE = "Minister of Health visited Hematology \u0441enter in Astana"
VISIT = "2022-04-12-visit-chief-consulting-hematologist"
UNICEF_TITLE = "Dialogue for children central asia unicef"
