"""Every map and video host the blocks accept renders in Chromium without a Content-Security-Policy refusal (the
`page` fixture fails on any "Refused to frame" console message). The hosts are unreachable here: their answers
are stood in for by a tiny page each, so the frames load."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import run_on_site
from .embeds import SLUG, frame_urls


@pytest.fixture(scope="module")
def embeds_url(site_env, site_url):
    run_on_site(site_env, "from tests.browser.embeds import make_page; make_page()")
    return f"{site_url}/kk/{SLUG}/"


def test_every_allowed_map_and_video_host_is_framed(page, embeds_url):
    def stand_in(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=f"<p>Framed from {host}</p>")

    page.route("**/*", stand_in)
    page.goto(embeds_url)
    frames = page.locator("main iframe")
    expected = frame_urls()
    expect(frames).to_have_count(len(expected))
    for i, url in enumerate(expected):
        frame = frames.nth(i)
        assert frame.get_attribute("src") == url
        frame.scroll_into_view_if_needed()  # the maps load lazily
        expect(frame.content_frame.locator("p")).to_have_text(f"Framed from {urlsplit(url).hostname}")
