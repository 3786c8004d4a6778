"""Health endpoints for the load balancer and the container orchestrator."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """The process answers (no database, no cache): restart it if this fails."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Whether this server can take visitors: 200 when the database answers, 503 when it does not.

    The cache is checked and reported too, but an unreachable Redis makes the answer "degraded", still 200: pages are
    then served uncached (core.page_cache), and Redis is shared by every app server, so a 503 here would take all of
    them out of the load balancer at once for a fault they survive. Monitoring alerts on "degraded"."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "error: value not kept"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"error: {error.__class__.__name__}"
    if checks["database"] != "ok":
        return JsonResponse({"status": "unavailable", **checks}, status=503)
    return JsonResponse({"status": "ok" if checks["cache"] == "ok" else "degraded", **checks})
