"""Which branch a booked patient comes to: the branch page, in the order's language, whose `mis_city_id` is the city
the MIS gives the doctor (booking.mis.Doctor.city_id). Its name and address are copied onto the order when the slot
is held, so the summary, the e-mail and the staff view keep saying what the patient was told."""

from wagtail.models import Locale

from about.models import BranchPage

from .models import Order


def branch_page(city_id: str, language: str) -> BranchPage | None:
    """The live, public branch page of that MIS city in that language; None when editors have not set one."""
    if not city_id:
        return None
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    return BranchPage.objects.listed_in(locale).filter(mis_city_id=city_id).defer_streamfields().first()


def set_branch(order: Order, city_id: str) -> None:
    """Copy the branch of `city_id` onto the order (not saved here); blank when no branch page names that city."""
    page = branch_page(city_id, order.language)
    if page is None:
        order.branch_name = order.branch_address = ""
        return
    order.branch_name = page.city or page.title
    order.branch_address = " ".join(page.address.split())[:500]
