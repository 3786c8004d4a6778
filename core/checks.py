"""Deployment checks (`manage.py check --deploy`) for what Django's own checks cannot know about this site."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("DummyCache", "LocMemCache")):
        return [
            Warning(
                "No shared cache: pages are rendered for every visitor and several app servers cannot share "
                "invalidations.",
                hint="Set REDIS_URL (docs/deploy.md).",
                id="core.W001",
            )
        ]
    return []
