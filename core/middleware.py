"""Security headers on every response: a strict Content-Security-Policy on the public site (no inline script; the
only inline <script> is the JSON-LD data block, which carries the request's nonce), a looser one for the Wagtail
admin (whose editor needs inline styles and scripts), and a Permissions-Policy. HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy and X-Frame-Options come from Django's own settings (config/settings)."""

import secrets

# Map and video hosts the body blocks may embed (core.blocks.MAP_HOSTS and YouTube/Vimeo).
FRAME_SOURCES = (
    "https://yandex.ru https://*.yandex.ru https://yandex.kz https://*.yandex.kz https://www.google.com "
    "https://maps.google.com https://*.2gis.kz https://www.openstreetmap.org https://www.youtube-nocookie.com "
    "https://www.youtube.com https://player.vimeo.com"
)
PUBLIC_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data: https:; "
    f"font-src 'self'; connect-src 'self'; frame-src {FRAME_SOURCES}; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; frame-src 'self' {FRAME_SOURCES}; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        is_admin = request.path.startswith(("/admin/", "/django-admin/"))
        # The static error pages (500, 503) carry their own inline style: they must render with nothing else up.
        if "Content-Security-Policy" not in response and response.status_code < 500:
            policy = ADMIN_POLICY if is_admin else PUBLIC_POLICY.format(nonce=request.csp_nonce)
            user = getattr(request, "user", None)
            if not is_admin and user is not None and user.is_authenticated:
                # Wagtail's user bar (shown to signed-in editors only) styles itself inline.
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_admin:
            # The admin's page previews are shown in a frame of the admin itself.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class CachedSiteMiddleware:
    """Gives Wagtail the request's Site from the cache (core.models.site_for_request): Wagtail looks for it in
    request._wagtail_site before it queries the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Not for the admin (which finds its own), nor for what needs no site: health checks, files.
        if not request.path.startswith(("/admin/", "/django-admin/", "/healthz", "/readyz", "/static/", "/media/")):
            from .models import site_for_request

            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
