"""The booking in Chromium on a 375 px phone, in Kazakh, Russian and English: from the header's call to action,
through every step and the (simulated) bank's widget, to the success page, and then the order as staff see it in the
admin. axe-core finds no serious or critical violation on any step, and no JavaScript or CSP error occurs."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import CHROMIUM, screenshot

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")

CALL_TO_ACTION = {"kk": "Жазылу", "ru": "Записаться", "en": "Book a consultation"}
NEXT = {"kk": "Әрі қарай", "ru": "Далее", "en": "Next"}
TO_PAYMENT = {"kk": "Төлемге өту", "ru": "Перейти к оплате", "en": "Go to payment"}
PAY = {"kk": "Картамен төлеу", "ru": "Оплатить картой", "en": "Pay by card"}
BANK_PAY = {"kk": "Төлеу", "ru": "Оплатить", "en": "Pay"}
CONFIRMED = {"kk": "Жазылуыңыз расталды", "ru": "Ваша запись подтверждена", "en": "Your booking is confirmed"}
PATIENT = {
    "kk": ("Сапарова Айгерим", "820927400077", "1982-09-27"),
    "ru": ("Иванов Пётр Сергеевич", "", "1975-06-13"),
    "en": ("Dana Serikova", "050301600044", "2005-03-01"),
}


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript or CSP errors: {errors}"


def serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def check_step(page, language: str, name: str, audits: dict) -> None:
    audits[name] = serious_violations(page)
    screenshot(page, f"booking-{language}-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: the page is {width} px wide on a 375 px phone"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_patient_books_and_pays_on_a_phone_and_staff_find_the_order(phone_page, browser, site_url, language):
    page, audits = phone_page, {}
    page.goto(f"{site_url}/{language}/")
    call_to_action = page.locator("header a.header-cta")
    assert call_to_action.inner_text() == CALL_TO_ACTION[language] and call_to_action.is_visible()
    call_to_action.click()
    page.wait_for_url(re.compile(rf"/{language}/booking/$"))
    check_step(page, language, "1-type", audits)

    for step, field in (("1-type", "consultation_type"), ("2-doctor", "doctor"), ("3-time", "slot")):
        page.locator(f'input[name="{field}"]').first.check()
        page.get_by_role("button", name=NEXT[language]).click()
        if step != "3-time":
            check_step(page, language, {"1-type": "2-doctor", "2-doctor": "3-time"}[step], audits)
    page.wait_for_url(re.compile(r"/details/$"))

    # A mistake first: the message is shown in the page's language, tied to its field.
    name, iin, born = PATIENT[language]
    page.locator('input[name="full_name"]').fill("Айгерим")
    page.get_by_role("button", name=NEXT[language]).click()
    assert page.locator("[aria-invalid=true]").count() >= 1
    check_step(page, language, "4-details-errors", audits)

    page.locator('input[name="full_name"]').fill(name)
    if iin:
        page.locator('input[name="iin"]').fill(iin)
    else:
        page.locator('input[name="no_iin"]').check()
    page.locator('input[name="gender"]').first.check()
    page.locator('input[name="birth_date"]').fill(born)
    page.locator('input[name="phone"]').fill("8 701 123 45 67")
    page.locator('input[name="email"]').fill("patient@example.kz")
    page.get_by_role("button", name=NEXT[language]).click()
    page.wait_for_url(re.compile(r"/summary/$"))
    assert name in page.locator("main").inner_text()
    check_step(page, language, "5-summary", audits)

    page.locator('input[name="accept_offer"]').check()
    page.locator('input[name="accept_consent"]').check()
    page.get_by_role("button", name=TO_PAYMENT[language]).click()
    page.wait_for_url(re.compile(r"/payment/$"))
    page.get_by_role("button", name=PAY[language]).wait_for()
    check_step(page, language, "6-payment", audits)

    page.get_by_role("button", name=PAY[language]).click()
    page.get_by_role("dialog").get_by_role("button", name=BANK_PAY[language], exact=True).click()
    page.wait_for_url(re.compile(r"/paid/$"))
    main = page.locator("main").inner_text()
    assert CONFIRMED[language] in main
    invoice = re.search(r"\b\d{12}\b", main).group(0)
    check_step(page, language, "7-paid", audits)

    assert {step: found for step, found in audits.items() if found} == {}

    # Staff: the order, confirmed by the (simulated) MIS, in the admin.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(f"{site_url}/admin/login/")
    admin.locator("#id_username").fill("admin")
    admin.locator("#id_password").fill("hematology-demo")
    admin.locator("button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/$"))
    admin.goto(f"{site_url}/admin/booking/orders/?q={invoice}")
    rows = admin.locator("table.listing tbody tr")
    assert rows.count() == 1
    assert invoice in rows.first.inner_text() and "Confirmed by the MIS" in rows.first.inner_text()
    screenshot(admin, f"booking-{language}-admin")
    rows.first.get_by_role("link", name=invoice).click()
    admin.wait_for_url(re.compile(r"/admin/booking/orders/inspect/\d+/$"))
    detail = admin.locator("main").inner_text()
    assert invoice in detail and name in detail
    admin.context.close()
