"""A page of the browser tests' site with a frame from every host the map and video blocks accept (core.blocks):
a map block for each map host and one of its subdomains, and a video block for each video service (its player, as
the provider's oEmbed answer gives it, is put in Wagtail's embed cache: there is no internet here).

Run in the site's Django: `manage.py shell -c "from tests.browser.embeds import make_page; make_page()"`."""

from core.blocks import MAP_HOSTS

SLUG = "every-embed"
# The link an editor pastes -> the player the provider's oEmbed answer frames.
VIDEO_PLAYERS = {
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ": "https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed",
    "https://youtu.be/dQw4w9WgXcQ": "https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://vimeo.com/76979871": "https://player.vimeo.com/video/76979871?app_id=122963",
}


def map_urls() -> list[str]:
    """Each map host, bare and with a subdomain; the bare yandex.com one is the form of the clinic's branch maps."""
    return [
        url
        for host in MAP_HOSTS
        for url in (f"https://{host}/map-widget/v1/?um=constructor%3Aabc", f"https://www.{host}/maps/embed?pb=1")
    ]


def frame_urls() -> list[str]:
    """Every frame the page shows, in order."""
    return [*map_urls(), *VIDEO_PLAYERS.values()]


def make_page() -> None:
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    from about.models import AboutPage
    from home.models import HomePage

    for link, player in VIDEO_PLAYERS.items():
        Embed.objects.update_or_create(
            hash=get_embed_hash(link),
            defaults={
                "url": link,
                "type": "video",
                "html": f'<iframe width="640" height="360" src="{player}" title="Video" allowfullscreen></iframe>',
                "width": 640,
                "height": 360,
            },
        )
    body = [{"type": "map", "value": {"url": url, "title": f"Map {i}"}} for i, url in enumerate(map_urls())]
    body += [{"type": "video", "value": {"video": link, "caption": "Video"}} for link in VIDEO_PLAYERS]
    home = HomePage.objects.get(locale__language_code="kk")
    if not AboutPage.objects.filter(slug=SLUG).exists():
        page = AboutPage(title="Карталар мен бейнелер", slug=SLUG, show_in_menus=False, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
