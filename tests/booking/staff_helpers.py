"""Helpers of the staff view tests: the admin's URLs for orders and what the admin's sidebar menu offers."""

import json
import re

from django.urls import reverse

from tests.helpers import page_text

ORDERS = "/admin/booking/orders/"


def inspect_url(order) -> str:
    return reverse("booking_orders:inspect", args=[order.pk])


def retry_url(order) -> str:
    return reverse("booking_orders:retry", args=[order.pk])


def refund_url(order) -> str:
    return reverse("booking_orders:refund", args=[order.pk])


def menu_labels(response) -> dict[str, str]:
    """{url: label} of the admin's main menu (the sidebar's JSON props), submenus included."""
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', response.text, re.S)
    labels = {}

    def walk(node):
        if isinstance(node, dict):
            if "url" in node and "label" in node:
                labels[node["url"]] = node["label"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return labels


def listed_invoices(response, orders) -> set[str]:
    """Which of these orders the listing shows."""
    text = page_text(response)
    return {order.invoice_id for order in orders if order.invoice_id in text}
