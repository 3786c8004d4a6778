"""The Content-Security-Policy's frame-src is made from the same host lists the map and video blocks validate
against (core.blocks): every address an editor may save is one the browser will frame, on the public site and in
the admin's previews."""

import re
from urllib.parse import urlsplit

import pytest

from core.blocks import MAP_HOSTS, VIDEO_HOSTS, is_allowed_map_url, is_allowed_video_url

pytestmark = pytest.mark.django_db

# The clinic's real branch maps are Yandex "constructor" widgets.
CLINIC_MAP = "https://yandex.com/map-widget/v1/?um=constructor%3A5c1a7f0e9d2b4c3a8e6f1d0b2a9c8e7f&source=constructor"
DEFAULT_PORTS = {"https": 443, "http": 80}


def frame_src(response) -> list[str]:
    return re.search(r"frame-src ([^;]+)", response["Content-Security-Policy"]).group(1).split()


def csp_allows(url: str, sources: list[str]) -> bool:
    """CSP Level 3 host-source matching, for the source forms frame-src uses ('self', https://host, https://*.host):
    what Chromium decides before it loads a frame."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port not in (None, DEFAULT_PORTS.get(parts.scheme)):
        return False  # a source without a port allows the scheme's default port only
    for source in sources:
        scheme, _, pattern = source.partition("://")
        if scheme != "https" or parts.scheme != "https":
            continue
        if pattern.startswith("*.") and host.endswith(pattern[1:]) or host == pattern:
            return True
    return False


def candidates(host: str) -> list[str]:
    """Addresses an editor might paste: the host, its subdomains, another port or scheme, and look-alikes."""
    return [
        f"https://{host}/map-widget/v1/?um=constructor%3Aabc",
        f"https://www.{host}/maps/embed?pb=1",
        f"https://api-maps.{host}:443/services/constructor/1.0/js/",
        f"https://{host}:8443/embed",
        f"http://{host}/embed",
        f"https://evil{host}/embed",
        f"https://{host}.evil.example/embed",
    ]


@pytest.fixture(params=["public", "admin"])
def sources(request, client):
    return frame_src(client.get("/kk/" if request.param == "public" else "/admin/login/"))


def test_every_map_and_video_host_is_in_frame_src_with_its_subdomains(sources):
    for host in MAP_HOSTS + VIDEO_HOSTS:
        assert f"https://{host}" in sources and f"https://*.{host}" in sources, host
    assert not [source for source in sources if source.startswith("http:")]  # https only


def test_the_clinics_yandex_map_widget_is_accepted_and_framed(sources):
    assert is_allowed_map_url(CLINIC_MAP)
    assert csp_allows(CLINIC_MAP, sources)


@pytest.mark.parametrize("host", MAP_HOSTS)
def test_every_map_address_the_block_accepts_is_framed(sources, host):
    accepted = [url for url in candidates(host) if is_allowed_map_url(url)]
    assert accepted[:3] == candidates(host)[:3]  # the host, its subdomains and the explicit default port
    assert [url for url in accepted if not csp_allows(url, sources)] == []
    assert not csp_allows(f"https://evil{host}/", sources) and not csp_allows(f"https://{host}.evil.example/", sources)


@pytest.mark.parametrize("host", VIDEO_HOSTS)
def test_every_https_video_address_the_block_accepts_is_framed(sources, host):
    # A video's frame is the provider's https player from oEmbed (www.youtube.com/embed, player.vimeo.com): an
    # http:// link is accepted as a link to look up, never framed as such.
    accepted = [url for url in candidates(host) if url.startswith("https:") and is_allowed_video_url(url)]
    assert accepted[:3] == candidates(host)[:3]
    assert [url for url in accepted if not csp_allows(url, sources)] == []
