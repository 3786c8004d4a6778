"""Orders of the online booking, kept in the database (never in files), and their status history.

An order moves between the states of booking.states only through booking.states.transition(); the slot it holds is
guarded by the database itself (the unique constraint below), so two patients can never hold one doctor's slot.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.models import ViewRestrictionsMixin


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SLOT_HELD = "slot_held", _("Slot held")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CONFIRMED = "confirmed", _("Confirmed by the MIS")
    MIS_REJECTED = "mis_rejected", _("Not accepted by the MIS (retrying)")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


# A slot is held (for a while: until hold_expires_at) in these states...
HOLDING_STATES = (OrderStatus.SLOT_HELD, OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED)
# ...and booked for good in these: the patient has paid.
BOOKED_STATES = (OrderStatus.PAID, OrderStatus.CONFIRMED, OrderStatus.MIS_REJECTED)
SLOT_STATES = HOLDING_STATES + BOOKED_STATES


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


INVOICE_DIGITS = 12  # Halyk epay takes a numeric invoice id of 6 to 15 digits.


def new_invoice_id() -> str:
    return str(secrets.randbelow(9 * 10 ** (INVOICE_DIGITS - 1)) + 10 ** (INVOICE_DIGITS - 1))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Order(models.Model):
    invoice_id = models.CharField(_("invoice number"), max_length=15, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT, db_index=True
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)

    # What was booked, as the MIS described it at the time (a snapshot: a later price change does not alter it).
    consultation_type_id = models.CharField(_("consultation type id"), max_length=64, blank=True)
    consultation_type_name = models.CharField(_("consultation type"), max_length=255, blank=True)
    amount_kzt = models.PositiveIntegerField(_("amount, KZT"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="KZT", editable=False)
    doctor_id = models.CharField(_("doctor id"), max_length=64, blank=True, null=True)
    doctor_name = models.CharField(_("doctor"), max_length=255, blank=True)
    slot_start = models.DateTimeField(_("appointment time"), blank=True, null=True)
    slot_minutes = models.PositiveSmallIntegerField(_("length, minutes"), default=0)
    # Where the patient comes: the branch page of the doctor's city (BranchPage.mis_city_id), as it read then.
    branch_name = models.CharField(_("branch"), max_length=255, blank=True)
    branch_address = models.CharField(_("branch address"), max_length=500, blank=True)

    # The patient. Blanked by booking.tasks.purge_abandoned_drafts() once an order is abandoned for 48 hours.
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, null=True)
    no_iin = models.BooleanField(_("has no IIN"), default=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), blank=True, null=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    questions = models.TextField(_("questions or complaints"), blank=True)

    mis_patient_id = models.CharField(_("MIS patient id"), max_length=64, blank=True)
    mis_order_id = models.CharField(_("MIS order id"), max_length=64, blank=True)

    # The consent given: which documents (or pages), their version, when and from which address.
    offer_ref_id = models.PositiveIntegerField(_("offer document id"), blank=True, null=True)
    offer_title = models.CharField(_("offer document"), max_length=255, blank=True)
    offer_version = models.CharField(_("offer version"), max_length=64, blank=True)
    consent_ref_id = models.PositiveIntegerField(_("consent document id"), blank=True, null=True)
    consent_title = models.CharField(_("consent document"), max_length=255, blank=True)
    consent_version = models.CharField(_("consent version"), max_length=64, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), blank=True, null=True)
    consent_ip = models.GenericIPAddressField(_("consent given from"), blank=True, null=True)

    # Payment. secret_hash goes to the bank with the token request and comes back in its callback: one of the two
    # checks of that callback. It is never logged nor shown.
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    card_mask = models.CharField(_("card"), max_length=32, blank=True)
    secret_hash = models.CharField(max_length=64, default=new_secret, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    hold_expires_at = models.DateTimeField(_("slot held until"), blank=True, null=True)
    paid_at = models.DateTimeField(_("paid at"), blank=True, null=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), blank=True, null=True)
    purged_at = models.DateTimeField(_("personal data removed at"), blank=True, null=True)

    # Sending to the MIS (booking.tasks.send_paid_order_to_mis).
    attempts = models.PositiveSmallIntegerField(_("attempts to send to the MIS"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), blank=True, null=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)  # never personal data

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        # The staff's two actions in the admin (booking/staff.py), held by the "Booking managers" group.
        permissions = [
            ("retry_order", _("Can retry sending an order to the MIS")),
            ("refund_order", _("Can mark an order refunded")),
        ]
        constraints = [
            # The slot hold: at most one order holds or has booked a doctor's slot. A partial unique index, so it
            # holds at the same instant on PostgreSQL and on SQLite alike; expired, failed or cancelled orders
            # leave the slot free.
            models.UniqueConstraint(
                fields=["doctor_id", "slot_start"],
                condition=Q(status__in=SLOT_STATES),
                name="booking_one_order_per_slot",
            ),
        ]

    def __str__(self) -> str:
        # The invoice number only: an order's string may end up in a log.
        return self.invoice_id

    def __repr__(self) -> str:
        return f"<Order {self.invoice_id} {self.status}>"

    def save(self, *args, **kwargs):
        if self.invoice_id:
            super().save(*args, **kwargs)
        else:
            self._save_with_new_invoice_id(*args, **kwargs)
        self._remember_values(kwargs.get("update_fields"))

    def _save_with_new_invoice_id(self, *args, **kwargs) -> None:
        # A fresh invoice number; drawing the same one twice is all but impossible, but then draw again.
        for attempt in range(5):
            self.invoice_id = new_invoice_id()
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                    return
            except IntegrityError:
                if attempt == 4 or not Order.objects.filter(invoice_id=self.invoice_id).exists():
                    raise

    # What the database held when this copy was loaded or last saved, per field (Django's documented way: a custom
    # from_db keeping "the original values"). booking.states.transition() saves only the fields that differ from it,
    # so a copy that has gone stale cannot write back another process's old values over its new ones.
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_values()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self._remember_values(fields)

    def _remember_values(self, fields=None) -> None:
        loaded = dict(getattr(self, "_loaded_values", {}))  # a copy: copy.copy() of an order must not share it
        for field in self._meta.concrete_fields:
            if (fields is None or field.attname in fields) and field.attname in self.__dict__:
                loaded[field.attname] = self.__dict__[field.attname]
        self._loaded_values = loaded

    def changed_fields(self) -> list[str] | None:
        """The fields (attnames) set on this copy since it was loaded or saved; None for an order never saved."""
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None or self.pk is None:
            return None
        return [
            field.attname
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__
            and (field.attname not in loaded or self.__dict__[field.attname] != loaded[field.attname])
        ]

    @property
    def lost_its_slot(self) -> bool:
        """Paid after its hold expired, when another patient had taken the slot (booking.confirmation): the order
        keeps the payment but no doctor's slot, is not sent to the MIS, and staff arrange another time."""
        return self.paid_at is not None and self.doctor_id is None


class OrderEvent(models.Model):
    """One change of an order's status: its history, shown to staff."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    from_status = models.CharField(_("from status"), max_length=20, choices=OrderStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=OrderStatus.choices)
    at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=255, blank=True)  # never personal data
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class BookingPage(RoutablePageMixin, ViewRestrictionsMixin, Page):
    """The online booking, one per language (/kk/booking/, /ru/booking/, /en/booking/): the steps are its routes
    (booking.steps), the texts and the documents the patient accepts are the editors'."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short paragraph above the first step: what can be booked online and how payment works."),
    )
    details_help = models.TextField(
        _("help on the details step"),
        blank=True,
        help_text=_("Shown above the patient's details form, e.g. why the IIN is asked for."),
    )
    summary_help = models.TextField(
        _("help on the summary step"),
        blank=True,
        help_text=_("Shown above the summary, e.g. what to bring to the consultation."),
    )
    payment_help = models.TextField(
        _("help on the payment step"),
        blank=True,
        help_text=_("Shown on the payment step, e.g. which cards the bank accepts."),
    )
    success_text = models.TextField(
        _("text after a successful payment"),
        blank=True,
        help_text=_("Shown with the booking's summary once the payment is confirmed, e.g. when to arrive."),
    )
    failure_text = models.TextField(
        _("text after a failed payment"),
        blank=True,
        help_text=_("Shown when the bank did not accept the payment, e.g. the clinic's phone number."),
    )

    offer_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("public offer agreement (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offer_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("public offer agreement (page)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A document or a page: one of the two."),
    )
    offer_version = models.CharField(
        _("offer version"),
        max_length=64,
        blank=True,
        help_text=_("The agreement's version or date, e.g. 2025-01; kept with each order the patient pays."),
    )
    consent_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("informed voluntary consent (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("informed voluntary consent (page)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A document or a page: one of the two."),
    )
    consent_version = models.CharField(
        _("consent version"),
        max_length=64,
        blank=True,
        help_text=_("The consent's version or date, e.g. 2025-01; kept with each order the patient pays."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("details_help"),
                FieldPanel("summary_help"),
                FieldPanel("payment_help"),
                FieldPanel("success_text"),
                FieldPanel("failure_text"),
            ],
            heading=_("Texts of the steps"),
        ),
        MultiFieldPanel(
            [FieldPanel("offer_document"), FieldPanel("offer_page"), FieldPanel("offer_version")],
            heading=_("Public offer agreement"),
        ),
        MultiFieldPanel(
            [FieldPanel("consent_document"), FieldPanel("consent_page"), FieldPanel("consent_version")],
            heading=_("Informed voluntary consent"),
        ),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        TranslatableField("intro"),
        TranslatableField("details_help"),
        TranslatableField("summary_help"),
        TranslatableField("payment_help"),
        TranslatableField("success_text"),
        TranslatableField("failure_text"),
        # The same documents in every language; a page is shown in the visitor's language (its translation).
        SynchronizedField("offer_document"),
        SynchronizedField("offer_page"),
        SynchronizedField("offer_version"),
        SynchronizedField("consent_document"),
        SynchronizedField("consent_page"),
        SynchronizedField("consent_version"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("booking page")
        verbose_name_plural = _("booking pages")

    def clean(self):
        super().clean()
        errors = {}
        if not self.offer_document_id and not self.offer_page_id:
            errors["offer_document"] = _("Choose the public offer agreement: a document or a page.")
        elif self.offer_document_id and self.offer_page_id:
            errors["offer_page"] = _("Choose the public offer agreement as a document or as a page, not both.")
        if not self.consent_document_id and not self.consent_page_id:
            errors["consent_document"] = _("Choose the informed voluntary consent: a document or a page.")
        elif self.consent_document_id and self.consent_page_id:
            errors["consent_page"] = _("Choose the informed voluntary consent as a document or as a page, not both.")
        if errors:
            raise ValidationError(errors)

    def agreement(self, kind: str) -> "Agreement | None":
        """The offer ("offer") or the consent ("consent") as the patient sees it: its title and link in the page's
        language, or None when the editor has not chosen it yet (the booking is then not open)."""
        document, page = getattr(self, f"{kind}_document"), getattr(self, f"{kind}_page")
        version = getattr(self, f"{kind}_version")
        if document is not None:
            return Agreement(ref_id=document.pk, title=document.title, url=document.url, version=version)
        if page is not None:
            shown = page.specific.get_translation_or_none(self.locale) or page.specific
            if shown.live:
                return Agreement(ref_id=shown.pk, title=shown.title, url=shown.url, version=version)
        return None

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Every step is the patient's own (their order, a CSRF token): no browser, nginx or CDN may keep it.
        response["Cache-Control"] = "private, no-store"
        return response

    def run_step(self, name: str, request):
        from . import steps  # which use this module's Order

        return steps.STEPS[name](self, request)

    # The steps (booking.steps); the names are used by reverse_subpage() and by the browser test.
    @path("", name="type")
    def type_step(self, request):
        return self.run_step("type", request)

    @path("doctor/", name="doctor")
    def doctor_step(self, request):
        return self.run_step("doctor", request)

    @path("time/", name="time")
    def time_step(self, request):
        return self.run_step("time", request)

    @path("details/", name="details")
    def details_step(self, request):
        return self.run_step("details", request)

    @path("summary/", name="summary")
    def summary_step(self, request):
        return self.run_step("summary", request)

    @path("payment/", name="payment")
    def payment_step(self, request):
        return self.run_step("payment", request)

    @path("paid/", name="paid")
    def paid_step(self, request):
        return self.run_step("paid", request)

    @path("failed/", name="failed")
    def failed_step(self, request):
        return self.run_step("failed", request)


@dataclass(frozen=True)
class Agreement:
    ref_id: int
    title: str
    url: str
    version: str
