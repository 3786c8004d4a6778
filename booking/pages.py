"""The booking page of each language: the Kazakh source under the Kazakh home page (slug "booking"), Russian and
English as its wagtail-localize translations, published. Used by `load_demo` (demo/); safe to run again."""

from wagtail.models import Locale, Page

from core.translation import create_translation

from .models import BookingPage

SLUG = "booking"

# The page's texts in each language: what an editor would write, and what the demo shows.
TEXTS = {
    "kk": {
        "title": "Онлайн жазылу",
        "intro": "Гематологтың консультациясына онлайн жазылып, оны картамен төлеңіз. Бұл бірнеше минут алады.",
        "details_help": (
            "ЖСН бойынша клиника сіздің медициналық картаңызды табады. Деректеріңіз тек клиникада сақталады."
        ),
        "summary_help": "Қабылдауға жеке куәлігіңізді және бұрынғы талдауларыңыздың нәтижелерін алып келіңіз.",
        "payment_help": "Төлем Halyk Bank-тің қорғалған бетінде өтеді: клиника картаңыздың деректерін көрмейді.",
        "success_text": "Қабылдаудан 15 минут бұрын келіңіз. Жазылуды ауыстыру үшін клиникаға қоңырау шалыңыз.",
        "failure_text": "Сұрақтарыңыз болса, клиникаға қоңырау шалыңыз.",
    },
    "ru": {
        "title": "Онлайн-запись",
        "intro": "Запишитесь на консультацию гематолога и оплатите её картой. Это займёт несколько минут.",
        "details_help": "По ИИН клиника найдёт вашу медицинскую карту. Ваши данные хранятся только в клинике.",
        "summary_help": "Возьмите на приём удостоверение личности и результаты прежних анализов.",
        "payment_help": "Оплата проходит на защищённой странице Halyk Bank: клиника не видит данных вашей карты.",
        "success_text": "Приходите за 15 минут до приёма. Чтобы перенести запись, позвоните в клинику.",
        "failure_text": "Если у вас есть вопросы, позвоните в клинику.",
    },
    "en": {
        "title": "Book a consultation",
        "intro": "Book a consultation with a haematologist and pay for it by card. It takes a few minutes.",
        "details_help": "With your IIN the clinic finds your medical record. Your details are kept by the clinic only.",
        "summary_help": "Bring your identity document and the results of earlier tests to the consultation.",
        "payment_help": "You pay on Halyk Bank's secure page: the clinic never sees your card details.",
        "success_text": "Please arrive 15 minutes before your appointment. To change it, call the clinic.",
        "failure_text": "If you have any questions, please call the clinic.",
    },
}
# The agreements' pages made when no offer or consent is given: sample texts for an editor to replace.
AGREEMENT_PAGES = {
    "public-offer": {
        "kk": (
            "Жария оферта шарты",
            "Клиниканың ақылы медициналық қызметтер көрсету шарты. "
            "(Үлгі мәтін: редактор оны клиниканың нақты шартымен ауыстырады.)",
        ),
        "ru": (
            "Договор публичной оферты",
            "Договор клиники на оказание платных медицинских услуг. "
            "(Образец текста: редактор заменит его настоящим договором клиники.)",
        ),
        "en": (
            "Public offer agreement",
            "The clinic's agreement for paid medical services. "
            "(A sample text: an editor replaces it with the clinic's actual agreement.)",
        ),
    },
    "informed-consent": {
        "kk": (
            "Ақпараттандырылған ерікті келісім",
            "Медициналық араласуға ақпараттандырылған ерікті келісім. "
            "(Үлгі мәтін: редактор оны клиниканың нақты құжатымен ауыстырады.)",
        ),
        "ru": (
            "Информированное добровольное согласие",
            "Информированное добровольное согласие на медицинское вмешательство. "
            "(Образец текста: редактор заменит его настоящим документом клиники.)",
        ),
        "en": (
            "Informed voluntary consent",
            "The informed voluntary consent to medical intervention. "
            "(A sample text: an editor replaces it with the clinic's actual document.)",
        ),
    },
}
AGREEMENT_FIELDS = (
    *("offer_document", "offer_page", "offer_version"),
    *("consent_document", "consent_page", "consent_version"),
)


def ensure_booking_page(home: Page, *, offer=None, consent=None, version: str = "") -> BookingPage:
    """The Kazakh booking page under `home` (the Kazakh home page), with its Russian and English translations
    published. A new page takes `offer` and `consent` (each a Wagtail Document or a Page; a booking page cannot be
    saved without them, BookingPage.clean); without them, sample agreement pages are made (ensure_agreement_pages).
    An existing page is left as it is; missing translations are added."""
    page = BookingPage.objects.child_of(home).filter(slug=SLUG).first()
    if page is None:
        if offer is None or consent is None:
            offer, consent = ensure_agreement_pages(home)
        page = BookingPage(slug=SLUG, **TEXTS["kk"], offer_version=version, consent_version=version)
        _set_agreement(page, "offer", offer)
        _set_agreement(page, "consent", consent)
        home.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
    for language in ("ru", "en"):
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None or home.get_translation_or_none(locale) is None:
            continue
        existing = page.get_translation_or_none(locale)
        if existing is not None and existing.live:
            continue
        translated = BookingPage(slug=SLUG, **TEXTS[language])
        for name in AGREEMENT_FIELDS:
            setattr(translated, name, getattr(page, name))
        create_translation(page, locale, translated)
    return page


def ensure_agreement_pages(home: Page) -> tuple[Page, Page]:
    """The public offer and the informed consent as content pages under `home`, translated like the booking page
    (sample texts that say so). Returns the Kazakh pages; a page already there is kept."""
    from about.models import AboutPage

    made = []
    for slug, texts in AGREEMENT_PAGES.items():
        page = AboutPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            title, intro = texts["kk"]
            page = AboutPage(slug=slug, title=title, intro=intro)
            home.add_child(instance=page)
            page.save_revision().publish()
            page.refresh_from_db()
        for language in ("ru", "en"):
            locale = Locale.objects.filter(language_code=language).first()
            if locale is None or home.get_translation_or_none(locale) is None:
                continue
            existing = page.get_translation_or_none(locale)
            if existing is None or not existing.live:
                title, intro = texts[language]
                create_translation(page, locale, AboutPage(slug=slug, title=title, intro=intro))
        made.append(page)
    return made[0], made[1]


def _set_agreement(page: BookingPage, kind: str, target) -> None:
    if target is None:
        return
    if isinstance(target, Page):
        setattr(page, f"{kind}_page", target)
    else:
        setattr(page, f"{kind}_document", target)
