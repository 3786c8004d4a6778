"""The visitor's own address, as the trusted proxies in front of the application pass it.

Behind nginx every request reaches gunicorn from 127.0.0.1; nginx puts the visitor's address in X-Forwarded-For
(deploy/nginx/hematology-locations.conf). Each trusted proxy adds one hop on the right of the chain
"X-Forwarded-For entries, then REMOTE_ADDR", so the visitor is the hop TRUSTED_PROXY_COUNT places from the right;
anything further left was written by the visitor and is ignored. Used by django-axes (AXES_CLIENT_IP_CALLABLE) and
by the password-reset limit.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    hops = [*forwarded, remote] if remote else forwarded
    if len(hops) <= proxies:
        # Fewer hops than proxies: the request did not come through all of them (gunicorn reached directly).
        return remote
    candidate = hops[-(proxies + 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
