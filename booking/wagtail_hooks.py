"""The booking in the Wagtail admin: the staff view of orders (booking/staff.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Order
from .staff import OrderPermissionPolicy, OrderViewSet

# Registered before the viewset asks for the model's policy (else Wagtail makes a fallback one).
register_permission_policy(Order, OrderPermissionPolicy(Order))


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet("booking_orders")
