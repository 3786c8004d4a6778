"""The site's URLs plus the epay simulator's, included the way the booking session will include them."""

from django.urls import include, path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("epay-simulator/", include("booking.payments.urls")), *site_urlpatterns]
