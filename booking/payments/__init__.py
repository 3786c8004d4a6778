"""The payment gateway (Halyk epay or its simulator), chosen by EPAY_MODE. See interface.py and docs/booking.md."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .interface import (
    CallbackRefused,
    CallbackResult,
    PaymentBadAnswer,
    PaymentError,
    PaymentGateway,
    PaymentStatus,
    PaymentUnavailable,
    WidgetPayment,
    is_valid_invoice_id,
    new_invoice_id,
    new_secret_hash,
    read_callback_body,
    validate_invoice_id,
)

__all__ = [
    "CallbackRefused",
    "CallbackResult",
    "PaymentBadAnswer",
    "PaymentError",
    "PaymentGateway",
    "PaymentStatus",
    "PaymentUnavailable",
    "WidgetPayment",
    "get_payment_gateway",
    "is_valid_invoice_id",
    "new_invoice_id",
    "new_secret_hash",
    "read_callback_body",
    "validate_invoice_id",
]

_gateways: dict[tuple, PaymentGateway] = {}


def get_payment_gateway() -> PaymentGateway:
    """The gateway the settings name: EPAY_MODE = simulator (default) | test (Halyk's sandbox) | production.
    One instance per configuration, so the status API's token is reused until it expires."""
    mode = getattr(settings, "EPAY_MODE", "simulator")
    key = (
        mode,
        getattr(settings, "EPAY_CLIENT_ID", ""),
        getattr(settings, "EPAY_TERMINAL_ID", ""),
        getattr(settings, "EPAY_TOKEN_URL", ""),
        getattr(settings, "EPAY_SCRIPT_URL", ""),
        getattr(settings, "EPAY_STATUS_URL", ""),
    )
    if key not in _gateways:
        _gateways[key] = _build(mode)
    return _gateways[key]


def _build(mode: str) -> PaymentGateway:
    if mode == "simulator":
        from .simulator import SimulatorGateway

        return SimulatorGateway()
    if mode in ("test", "production"):
        from .halyk import HalykGateway

        missing = [
            name
            for name in ("EPAY_CLIENT_ID", "EPAY_CLIENT_SECRET", "EPAY_TERMINAL_ID")
            if not getattr(settings, name, "")
        ]
        if missing:
            raise ImproperlyConfigured(f"EPAY_MODE={mode} needs {', '.join(missing)}")
        return HalykGateway(
            client_id=settings.EPAY_CLIENT_ID,
            client_secret=settings.EPAY_CLIENT_SECRET,
            terminal_id=settings.EPAY_TERMINAL_ID,
            token_url=settings.EPAY_TOKEN_URL,
            script_url=settings.EPAY_SCRIPT_URL,
            status_url=settings.EPAY_STATUS_URL,
            timeout=settings.EPAY_TIMEOUT,
        )
    raise ImproperlyConfigured(f"EPAY_MODE must be simulator, test or production, not {mode!r}")
