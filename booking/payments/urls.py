"""The epay simulator's browser endpoints, to be included once, outside i18n_patterns, in simulator mode as
`path("epay-simulator/", include("booking.payments.urls"))`."""

from django.urls import path

from . import views

app_name = "epay_simulator"

urlpatterns = [
    path("payment-api.js", views.payment_api_js, name="payment-api"),
    path("decide", views.decide, name="decide"),
]
