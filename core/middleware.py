"""Security headers on every response: a strict Content-Security-Policy on the public site (no inline script; the
only inline <script> is the JSON-LD data block, which carries the request's nonce), a looser one for the Wagtail
admin (whose editor needs inline styles and scripts), and a Permissions-Policy. HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy and X-Frame-Options come from Django's own settings (config/settings).

Previews: Wagtail renders the editor's preview (and wagtail-localize's translation preview) by running a request
for the page's public URL (/kk/…) through the whole middleware stack again, with `request.is_preview` set
(wagtail.models.preview.make_preview_request). That response gets the public policy, which would forbid the
admin's preview panel to frame it; a preview may therefore be framed by the site's own origin, and only a preview.
The static error pages (500, 503) set their own policy (core.faults)."""

import re
import secrets

from .blocks import frame_sources

# Every map and video host the body blocks accept, from the same lists they validate against (core.blocks).
FRAME_SOURCES = " ".join(frame_sources())
PUBLIC_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data: https:; "
    f"font-src 'self'; connect-src 'self'; frame-src {FRAME_SOURCES}; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; frame-src 'self' {FRAME_SOURCES}; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def public_policy(nonce: str, *, extra_sources: tuple[str, ...] | list[str] = (), ancestors: str = "'none'") -> str:
    """The public policy, with `extra_sources` also allowed for scripts, frames and connections. For the one page
    that needs a third party's script (the booking's payment step loads the bank's widget): that view sets the
    header itself, and SecurityHeadersMiddleware leaves a response that already has a policy alone."""
    policy = PUBLIC_POLICY.format(nonce=nonce, ancestors=ancestors)
    extra = " ".join(source for source in extra_sources if source)
    if extra:
        for directive in ("script-src", "frame-src", "connect-src"):
            policy = re.sub(rf"(\b{directive} [^;]*)", rf"\1 {extra}", policy, count=1)
    return policy


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        is_admin = request.path.startswith(("/admin/", "/django-admin/"))
        # Set by Wagtail on the request it makes for a preview, whatever its URL (see above).
        is_preview = getattr(request, "is_preview", False)
        # The static error pages (500, 503) carry their own inline style: they must render with nothing else up.
        if "Content-Security-Policy" not in response and response.status_code < 500:
            if is_admin:
                policy = ADMIN_POLICY
            else:
                ancestors = "'self'" if is_preview else "'none'"
                policy = public_policy(request.csp_nonce, ancestors=ancestors)
            user = getattr(request, "user", None)
            if not is_admin and user is not None and user.is_authenticated:
                # Wagtail's user bar (shown to signed-in editors only) styles itself inline.
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_admin or is_preview:
            # The admin shows page previews in a frame of its own (Django's middleware said DENY).
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
