"""The MIS says in which city a doctor receives (its city id); the branch page with that `mis_city_id`, in the
patient's language, gives the branch's name and address that the order keeps."""

import pytest

from about.models import BranchPage
from booking.branches import set_branch
from booking.mis.simulator import SimulatedMis
from booking.models import Order

pytestmark = pytest.mark.django_db


def test_every_simulated_doctor_receives_in_one_of_the_three_cities():
    mis = SimulatedMis()
    cities = {mis.check_doctor(doctor_id, "ru").city_id for doctor_id in ("d1", "d2", "d3", "d4")}
    assert cities == {"1", "2", "3"}


def test_the_http_client_reads_the_doctors_city_from_json_and_from_an_html_select(http_client, mis_server):
    assert http_client.check_doctor("d3", "ru").city_id == "2"
    assert [doctor.city_id for doctor in http_client.doctors("101", "kk")] == ["3", "3", "2"]
    mis_server.set_fault("html")
    assert [doctor.city_id for doctor in http_client.doctors("101", "kk")] == ["3", "3", "2"]


@pytest.mark.parametrize(
    ("language", "city_id", "branch_name"),
    [("kk", "3", "Астана"), ("ru", "2", "Караганда"), ("en", "1", "Ust-Kamenogorsk")],
)
def test_the_order_keeps_the_branch_of_the_doctors_city_in_the_patients_language(language, city_id, branch_name):
    page = BranchPage.objects.get(locale__language_code=language, mis_city_id=city_id)
    order = Order(language=language)
    set_branch(order, city_id)
    assert order.branch_name == branch_name == page.city
    assert order.branch_address == " ".join(page.address.split())


def test_a_city_no_branch_page_names_leaves_the_branch_blank():
    order = Order(language="ru", branch_name="old", branch_address="old")
    set_branch(order, "99")
    assert (order.branch_name, order.branch_address) == ("", "")
    set_branch(order, "")
    assert order.branch_name == ""


@pytest.mark.parametrize(("language", "label", "city"), [("kk", "Филиал", "Астана"), ("en", "Branch", "Astana")])
def test_the_summary_names_the_branch_of_the_chosen_doctor(client, language, label, city):
    from tests.booking.flow import DETAILS, booking_url, walk_to_details
    from tests.helpers import page_text

    order = walk_to_details(client, language)  # the first doctor: d1, who receives in Astana (MIS city 3)
    assert (order.doctor_id, order.branch_name) == ("d1", city)
    client.post(booking_url(language, "details"), DETAILS)
    summary = page_text(client.get(booking_url(language, "summary")))
    assert f"{label} {city}" in summary
