from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from booking import views as booking_views
from core import health, seo_views
from search import views as search_views

# The database unreachable → a static 503 page in the visitor's language; anything else → the static 500 page.
handler500 = "core.faults.server_error"

urlpatterns = [
    path("sitemap.xml", seo_views.sitemap_index, name="sitemap_index"),
    path("robots.txt", seo_views.robots_txt, name="robots_txt"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The bank's server-to-server callback of the booking's payments (postLink and failurePostLink).
    path("epay/callback/", booking_views.epay_callback, name="booking_epay_callback"),
]

if settings.EPAY_MODE == "simulator":
    # The simulated bank's widget and its Pay / Decline endpoint (no money; never in production: booking.W001).
    urlpatterns.append(path("epay-simulator/", include("booking.payments.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "SERVE_MEDIA", False):
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Every public URL carries its language (/kk/…, /ru/…, /en/…). A request for "/" is redirected by LocaleMiddleware
# to the visitor's language (cookie, then Accept-Language, then Kazakh).
urlpatterns += i18n_patterns(
    path("sitemap.xml", seo_views.sitemap, name="sitemap"),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
