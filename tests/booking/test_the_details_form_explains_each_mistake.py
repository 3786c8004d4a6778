"""The details step checks every field and says what is wrong in the visitor's language, next to the field (with
aria-invalid and aria-describedby) and in a summary at the top; the MIS's IIN check is asked."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from booking.mis.simulator import PATIENTS, REJECTED_IIN
from tests.booking.flow import DETAILS, booking_url, session_order, walk_to_details
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

WRONG_CHECK_DIGIT = DETAILS["iin"][:11] + str((int(DETAILS["iin"][11]) + 1) % 10)
TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()

MESSAGES = {
    "iin_check_digit": {
        "kk": "Бұл ЖСН жарамсыз: соңғы бақылау саны сәйкес келмейді.",
        "ru": "Этот ИИН недействителен: не сходится последняя, контрольная цифра.",
        "en": "This IIN is not valid: its last digit does not match.",
    },
    "iin_birth_date": {
        "kk": "Туған күн ЖСН-ге сәйкес келмейді.",
        "ru": "Дата рождения не совпадает с ИИН.",
        "en": "The date of birth does not match your IIN.",
    },
    "phone": {
        "kk": "Қазақстандық телефон нөмірін енгізіңіз: +7 және 10 сан",
        "ru": "Введите казахстанский номер телефона: +7 и 10 цифр",
        "en": "Enter a Kazakhstan phone number: +7 and 10 digits",
    },
    "future_birth": {
        "kk": "Туған күн өткен уақытта болуы керек.",
        "ru": "Дата рождения должна быть в прошлом.",
        "en": "The date of birth must be in the past.",
    },
    "one_word": {
        "kk": "Тегіңіз бен атыңызды енгізіңіз: кемінде екі сөз.",
        "ru": "Введите фамилию и имя: не меньше двух слов.",
        "en": "Enter your surname and first name: at least two words.",
    },
}
MISTAKES = {
    "iin_check_digit": ("iin", {"iin": WRONG_CHECK_DIGIT}),
    "iin_birth_date": ("birth_date", {"birth_date": "1982-09-28"}),
    "phone": ("phone", {"phone": "+7 701 123 45"}),
    "future_birth": ("birth_date", {"birth_date": TOMORROW, "iin": "", "no_iin": "on"}),
    "one_word": ("full_name", {"full_name": "Айгерим"}),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_explained_in_the_page_language_next_to_its_field(client, lang, mistake):
    walk_to_details(client, lang)
    field, changes = MISTAKES[mistake]
    response = client.post(booking_url(lang, "details"), {**DETAILS, **changes})
    assert response.status_code == 200
    html = response.content.decode()
    message = MESSAGES[mistake][lang]
    assert message in page_text(response)
    # next to the field, which points at it; and listed in the summary at the top, linking to the field
    assert re.search(rf'<p class="field__error" id="id_{field}_error">[^<]*{re.escape(message)}', html)
    assert re.search(rf'<[^>]+id="id_{field}"[^>]*>', html)
    tag = re.search(rf'<(?:input|textarea)[^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and f"id_{field}_error" in tag
    assert re.search(rf'class="error-summary".*<a href="#id_{field}">', html, re.S)
    assert session_order(client).full_name == ""  # nothing saved


def test_phone_numbers_are_accepted_as_people_type_them_and_kept_as_plus_seven(client):
    for typed in ("8 701 123 45 67", "+7 (701) 123-45-67", "87011234567", "7-701-123-45-67"):
        walk_to_details(client, "ru")
        response = client.post(booking_url("ru", "details"), {**DETAILS, "phone": typed})
        assert response.status_code == 302, page_text(response)
        assert session_order(client).phone == "+77011234567"
        client.cookies.clear()


def test_a_patient_without_an_iin_books_with_the_box_ticked(client):
    walk_to_details(client, "kk")
    response = client.post(booking_url("kk", "details"), {**DETAILS, "iin": "", "no_iin": "on"})
    assert response.status_code == 302
    order = session_order(client)
    assert order.no_iin is True and order.iin is None and order.mis_patient_id == ""
    summary = page_text(client.get(booking_url("kk", "summary")))
    assert "Менде ЖСН жоқ" in summary


def test_an_empty_iin_without_the_box_is_asked_for(client):
    walk_to_details(client, "en")
    response = client.post(booking_url("en", "details"), {**DETAILS, "iin": ""})
    assert "Enter your IIN, or tick “I have no IIN”." in page_text(response)


def test_a_known_patient_is_recognised_by_the_mis(client):
    iin, patient = next(iter(PATIENTS.items()))
    walk_to_details(client, "ru")
    born = patient.birth_date.isoformat()
    gender = patient.gender
    response = client.post(booking_url("ru", "details"), {**DETAILS, "iin": iin, "birth_date": born, "gender": gender})
    assert response.status_code == 302
    assert session_order(client).mis_patient_id == patient.id


def test_an_iin_the_mis_refuses_is_shown_with_its_reason(client):
    walk_to_details(client, "ru")
    response = client.post(booking_url("ru", "details"), {**DETAILS, "iin": REJECTED_IIN, "birth_date": "1975-06-13"})
    assert response.status_code == 200
    assert "По этому ИИН онлайн-запись невозможна, позвоните в клинику." in page_text(response)
    assert 'id="id_iin_error"' in response.content.decode()
