"""The staff view of orders in the Wagtail admin: a read-only ModelViewSet (list, filters, search, CSV/XLSX export,
an inspect view with the status history) and two actions, "Retry sending to the MIS" and "Mark refunded".

Who sees it is decided by OrderPermissionPolicy (registered for Order in wagtail_hooks.py): "view" for the list and
the inspect view, "retry" and "refund" for the actions (booking.view_order, booking.retry_order,
booking.refund_order; the "Booking managers" group of booking/roles.py holds all three). Nobody, not even a
superuser, adds, edits or deletes an order here: an order changes only through booking.states.transition().

Lists and exports show the IIN and the phone masked; only the inspect view shows them in full.
"""

import re
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from .models import Order, OrderEvent
from .models import OrderStatus as S
from .states import ALLOWED, InvalidTransition, transition

ALMATY = ZoneInfo("Asia/Almaty")
RETRYABLE = (S.PAID, S.MIS_REJECTED)
REFUNDABLE = tuple(sorted(status for status, targets in ALLOWED.items() if S.REFUNDED in targets))


# Masking ---------------------------------------------------------------------------------------------------------


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def mask_phone(phone: str | None) -> str:
    """ "+77011234567" -> "+7 701 *** ** 67": the operator code and the last two digits, enough to tell two orders
    apart on the telephone, not enough to call."""
    digits = _digits(phone)
    if not digits:
        return ""
    if len(digits) == 11 and digits[0] in "78":
        return f"+7 {digits[1:4]} *** ** {digits[-2:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def mask_iin(iin: str | None) -> str:
    """ "900101400123" -> "9001******23"."""
    iin = (iin or "").strip()
    if len(iin) <= 6:
        return "*" * len(iin)
    return iin[:4] + "*" * (len(iin) - 6) + iin[-2:]


def almaty_time(value) -> str:
    """A moment as the clinic reads it: Almaty time, day first, whatever the admin user's time zone."""
    return timezone.localtime(value, ALMATY).strftime("%d.%m.%Y %H:%M") if value else ""


def national_number(query: str) -> str:
    """The digits of a phone as typed, without the country prefix: "8 701 123 45 67", "+7 (701) 123-45-67" and
    "7011234567" all give "7011234567". Shorter queries (a part of a number) stay as they are."""
    digits = _digits(query)
    if len(digits) == 11 and digits[0] in "78":
        return digits[1:]
    return digits


def _phone_digits():
    """The stored phone without its punctuation, in SQL (the same on SQLite and PostgreSQL)."""
    expression = F("phone")
    for character in ("+", " ", "-", "(", ")"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


# Permissions -----------------------------------------------------------------------------------------------------


class OrderPermissionPolicy(ModelPermissionPolicy):
    """booking.view_order, booking.retry_order and booking.refund_order, as Django grants them (a superuser has
    all three). Adding, changing and deleting orders is refused to everyone: orders change only through the state
    machine, by the booking itself or by the two actions."""

    READ_ONLY_REFUSED = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        if action in self.READ_ONLY_REFUSED:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.READ_ONLY_REFUSED]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


# Filters ---------------------------------------------------------------------------------------------------------


def doctor_choices():
    """The doctors orders were booked with (doctor_id, name): one entry per doctor id, its names (which may differ
    between languages) joined."""
    names: dict[str, list[str]] = {}
    rows = Order.objects.exclude(doctor_id=None).exclude(doctor_id="").values_list("doctor_id", "doctor_name")
    for doctor_id, name in rows.distinct().order_by("doctor_id", "doctor_name"):
        known = names.setdefault(doctor_id, [])
        if name and name not in known:
            known.append(name)
    choices = [(doctor_id, " / ".join(known) or doctor_id) for doctor_id, known in names.items()]
    return sorted(choices, key=lambda choice: choice[1].casefold())


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=capfirst(gettext_lazy("status")), choices=S.choices, widget=forms.CheckboxSelectMultiple
    )
    created = django_filters.DateFromToRangeFilter(
        label=capfirst(gettext_lazy("created")), field_name="created_at", widget=DateRangePickerWidget
    )
    doctor = django_filters.ChoiceFilter(
        label=capfirst(gettext_lazy("doctor")),
        field_name="doctor_id",
        choices=doctor_choices,
        empty_label=gettext_lazy("Any"),
    )
    language = django_filters.ChoiceFilter(
        label=capfirst(gettext_lazy("language")), choices=settings.LANGUAGES, empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = Order
        fields = []


# The list --------------------------------------------------------------------------------------------------------


def _status_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


def _language_label(value: str) -> str:
    return str(dict(settings.LANGUAGES).get(value, value))


class OrderIndexView(IndexView):
    def search_queryset(self, queryset):
        """Search by invoice number or phone, whatever the spelling of the phone: the digits of the query against
        the invoice number and against the phone's digits. A query without digits finds nothing."""
        if not self.is_searching:
            return queryset
        digits = _digits(self.search_query)
        if not digits:
            return queryset.none()
        queryset = queryset.annotate(phone_digits=_phone_digits())
        return queryset.filter(invoice_id__contains=digits) | queryset.filter(
            phone_digits__contains=national_number(self.search_query)
        )


def _csv_safe(value):
    # A patient's name starting with "=", "+", "-" or "@" would be a formula in a spreadsheet opening the CSV.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _export_both(function):
    return {IndexView.FORMAT_CSV: function, IndexView.FORMAT_XLSX: function}


def _xlsx_almaty(value):
    # openpyxl takes naive datetimes: the wall-clock time in Almaty.
    return timezone.localtime(value, ALMATY).replace(tzinfo=None) if value else None


# The inspect view --------------------------------------------------------------------------------------------------


class OrderInspectView(InspectView):
    template_name = "booking/admin/order_inspect.html"

    field_groups = [
        (
            gettext_lazy("Order details"),
            ["invoice_id", "status", "language", "amount_kzt", "created_at", "updated_at", "purged_at"],
        ),
        (
            gettext_lazy("Appointment"),
            ["consultation_type_name", "consultation_type_id", "doctor_name", "doctor_id", "slot_start"],
        ),
        (
            gettext_lazy("Patient"),
            ["full_name", "iin", "gender", "birth_date", "phone", "email", "questions", "mis_patient_id"],
        ),
        (
            gettext_lazy("Payment"),
            ["payment_reference", "card_mask", "paid_at"],
        ),
        (
            gettext_lazy("Sending to the MIS"),
            ["mis_order_id", "confirmed_at", "attempts", "next_attempt_at", "last_error"],
        ),
        (
            gettext_lazy("Consent"),
            ["offer_title", "offer_version", "consent_title", "consent_version", "consent_at", "consent_ip"],
        ),
    ]
    fields = [name for _heading, names in field_groups for name in names]
    datetime_fields = {"created_at", "updated_at", "purged_at", "paid_at", "confirmed_at", "next_attempt_at"}

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if field_name in self.datetime_fields or field_name == "consent_at":
            return almaty_time(value)
        return super().get_field_display_value(field_name, field)

    def get_slot_start_display_value(self):
        if not self.object.slot_start:
            return ""
        return gettext("%(start)s (Almaty time), %(minutes)s min") % {
            "start": almaty_time(self.object.slot_start),
            "minutes": self.object.slot_minutes,
        }

    def get_iin_display_value(self):
        return gettext("has no IIN") if self.object.no_iin and not self.object.iin else self.object.iin or ""

    def get_amount_kzt_display_value(self):
        return f"{self.object.amount_kzt:,}".replace(",", "\u00a0") + f" {self.object.currency}"

    def get_field_label(self, field_name, field):
        if field_name == "slot_start":
            return capfirst(gettext("appointment time"))
        return super().get_field_label(field_name, field)

    @cached_property
    def action_urls(self) -> dict[str, str]:
        """The actions this user may take on this order now: {"retry": url, "refund": url}."""
        urls = {}
        pk = quote(self.object.pk)
        if self.object.status in RETRYABLE and self.user_has_permission("retry"):
            urls["retry"] = reverse(f"{self.url_namespace}:retry", args=[pk])
        if self.object.status in REFUNDABLE and self.user_has_permission("refund"):
            urls["refund"] = reverse(f"{self.url_namespace}:refund", args=[pk])
        return urls

    @cached_property
    def url_namespace(self) -> str:
        return self.index_url_name.rsplit(":", 1)[0]

    @cached_property
    def header_buttons(self):
        buttons = []
        if url := self.action_urls.get("retry"):
            buttons.append(HeaderButton(gettext("Retry sending to the MIS"), url=url, icon_name="resubmit"))
        if url := self.action_urls.get("refund"):
            buttons.append(HeaderButton(gettext("Mark refunded"), url=url, icon_name="arrow-left"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_name = dict(zip(self.fields, context["fields"], strict=True))
        context["field_groups"] = [
            {
                "heading": heading,
                "fields": [by_name[name] for name in names if name != "purged_at" or self.object.purged_at],
            }
            for heading, names in self.field_groups
        ]
        context["events"] = OrderEvent.objects.filter(order=self.object).select_related("actor").order_by("at", "pk")
        return context


# The actions -------------------------------------------------------------------------------------------------------


class OrderActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: a confirmation page; POST (CSRF-protected by Django): the action, a message, back to the order.

    An order in a state the action does not apply to is refused with a message, never an error page."""

    model = Order
    template_name = "booking/admin/order_action_confirm.html"
    header_icon = "clipboard-list"
    index_url_name = None
    inspect_url_name = None
    allowed_states: tuple[str, ...] = ()
    with_note = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Order, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(Order._meta.verbose_name_plural)},
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    @cached_property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=[quote(self.object.pk)])

    def refuse(self):
        messages.error(
            self.request,
            gettext("Order %(invoice)s is “%(status)s”: “%(action)s” is not possible in this status.")
            % {"invoice": self.object, "status": self.object.get_status_display(), "action": self.get_page_title()},
        )
        return redirect(self.inspect_url)

    def get(self, request, *args, **kwargs):
        if self.object.status not in self.allowed_states:
            return self.refuse()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.object.status not in self.allowed_states:
            return self.refuse()
        return self.perform()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            status=self.object.get_status_display(),
            question=self.question,
            explanation=self.explanation,
            submit_label=self.get_page_title(),
            with_note=self.with_note,
            inspect_url=self.inspect_url,
        )
        return context


class RetrySendingView(OrderActionView):
    permission_required = "retry"
    page_title = gettext_lazy("Retry sending to the MIS")
    allowed_states = RETRYABLE
    question = gettext_lazy("Send this paid order to the MIS again now?")
    explanation = gettext_lazy(
        "Do this once the MIS works again. The MIS recognises the order by its invoice number, so sending it again "
        "never books the patient twice."
    )

    def perform(self):
        from .tasks import enqueue_send_to_mis

        enqueue_send_to_mis(self.object.pk, force=True)
        self.object.refresh_from_db()
        if self.object.status == S.CONFIRMED:
            message = gettext("Order %(invoice)s was sent to the MIS and confirmed.")
        elif self.object.status == S.MIS_REJECTED:
            message = gettext("Order %(invoice)s was sent again; the MIS has not accepted it yet (see its history).")
        else:
            message = gettext("Order %(invoice)s is queued to be sent to the MIS.")
        level = messages.WARNING if self.object.status == S.MIS_REJECTED else messages.SUCCESS
        messages.add_message(self.request, level, message % {"invoice": self.object})
        return redirect(self.inspect_url)


class RefundForm(forms.Form):
    note = forms.CharField(
        label=capfirst(gettext_lazy("note")),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "For example the refund's reference in Halyk's merchant portal. Do not write the patient's personal data."
        ),
    )


class MarkRefundedView(OrderActionView):
    permission_required = "refund"
    page_title = gettext_lazy("Mark refunded")
    allowed_states = REFUNDABLE
    with_note = True
    question = gettext_lazy("Mark this order as refunded?")
    explanation = gettext_lazy(
        "First refund the payment in Halyk's merchant portal and, if the MIS has the booking, cancel it there: this "
        "only records the refund. The slot is freed on the site and the order is no longer sent to the MIS. Your name "
        "is kept in the order's history."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or RefundForm()
        return context

    def perform(self):
        form = RefundForm(self.request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        note = form.cleaned_data["note"].strip()
        try:
            with transaction.atomic():
                # The order as it is now, locked: transition() saves the whole row, and the worker may have just
                # confirmed it (its MIS order id must not be lost).
                self.object = Order.objects.select_for_update().get(pk=self.object.pk)
                transition(self.object, S.REFUNDED, note=note, actor=self.request.user)
        except InvalidTransition:  # the order moved on between the page and the button
            return self.refuse()
        messages.success(self.request, gettext("Order %(invoice)s is marked refunded.") % {"invoice": self.object})
        return redirect(self.inspect_url)


# The viewset -------------------------------------------------------------------------------------------------------


class OrderViewSet(ModelViewSet):
    model = Order
    url_prefix = "booking/orders"
    icon = "clipboard-list"
    menu_label = gettext_lazy("Orders")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    filterset_class = OrderFilterSet
    search_fields = ["invoice_id", "phone"]  # searched by OrderIndexView.search_queryset
    search_backend_name = None  # Order is not indexed: the database answers
    ordering = "-created_at"
    list_per_page = 50
    export_filename = "orders"
    list_export = [
        "invoice_id",
        "status",
        "created_at",
        "slot_start",
        "doctor_name",
        "consultation_type_name",
        "amount_kzt",
        "language",
        "full_name",
        "phone",
        "iin",
    ]

    @cached_property
    def list_display(self):
        return [
            "__str__",
            Column("status", label=capfirst(gettext_lazy("status")), accessor="get_status_display", sort_key="status"),
            Column(
                "created_at",
                label=capfirst(gettext_lazy("created")),
                accessor=lambda order: almaty_time(order.created_at),
                sort_key="created_at",
            ),
            Column(
                "slot_start",
                label=capfirst(gettext_lazy("appointment time")),
                accessor=lambda order: almaty_time(order.slot_start),
                sort_key="slot_start",
            ),
            Column("doctor_name", label=capfirst(gettext_lazy("doctor"))),
            Column("consultation_type_name", label=capfirst(gettext_lazy("consultation type"))),
            Column(
                "amount_kzt",
                label=capfirst(gettext_lazy("amount, KZT")),
                accessor=lambda order: f"{order.amount_kzt:,}".replace(",", "\u00a0"),
                sort_key="amount_kzt",
            ),
            Column("language", label=capfirst(gettext_lazy("language")), accessor="get_language_display"),
            Column("full_name", label=capfirst(gettext_lazy("full name"))),
            Column("phone", label=capfirst(gettext_lazy("phone")), accessor=lambda order: mask_phone(order.phone)),
            Column("iin", label=capfirst(gettext_lazy("IIN")), accessor=lambda order: mask_iin(order.iin)),
        ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            custom_field_preprocess={
                "status": _export_both(_status_label),
                "language": _export_both(_language_label),
                "full_name": {IndexView.FORMAT_CSV: _csv_safe},
                "doctor_name": {IndexView.FORMAT_CSV: _csv_safe},
                "consultation_type_name": {IndexView.FORMAT_CSV: _csv_safe},
                "phone": _export_both(mask_phone),
                "iin": _export_both(mask_iin),
                "created_at": {IndexView.FORMAT_CSV: almaty_time, IndexView.FORMAT_XLSX: _xlsx_almaty},
                "slot_start": {IndexView.FORMAT_CSV: almaty_time, IndexView.FORMAT_XLSX: _xlsx_almaty},
            },
            **kwargs,
        )

    def action_view(self, view_class):
        return self.construct_view(
            view_class,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
            header_icon=self.icon,
        )

    def get_urlpatterns(self):
        # Read-only: the list, its results, the inspect view and the two actions; no add, edit, delete, history.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("inspect/<int:pk>/retry/", self.action_view(RetrySendingView), name="retry"),
            path("inspect/<int:pk>/refund/", self.action_view(MarkRefundedView), name="refund"),
        ]

    @property
    def url_finder_class(self):
        inspect_url_name = self.get_url_name("inspect")

        class OrderAdminURLFinder(ModelAdminURLFinder):
            """Links to an order (e.g. from the e-mail to staff) lead to its inspect view, for those who may see it."""

            def construct_edit_url(self, instance):
                return reverse(inspect_url_name, args=(quote(instance.pk),))

            def get_edit_url(self, instance):
                if self.user and not policy_registry.get_by_type(Order).user_has_permission(self.user, "view"):
                    return None
                return self.construct_edit_url(instance)

        return OrderAdminURLFinder
