"""The benchmark's generated site: ARTICLES news articles in each of kk, ru and en under each language's news index,
each with a few paragraphs of realistic text, a heading and a gallery of four photos (six generated images shared by
all), linked as translations (one translation_key per kk/ru/en triple).

They are real Wagtail pages (tree paths, url_path, a live revision each) written in bulk: the tree rows with
bulk_create, the article rows with one multi-row INSERT per batch, the revisions with bulk_create. Going through
add_child/save_revision/publish page by page would take minutes for 3 000 pages and is not what is measured.
Django must be set up before this module is imported."""

import io
import random
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import F
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from core.images import prerender
from news.models import NewsArticlePage, NewsIndexPage

LANGUAGES = ("kk", "ru", "en")
SLUG_PREFIX = "news-"
IMAGE_TITLE = "Benchmark photo"
IMAGES = 6
GALLERY_SIZE = 4
ASTANA = ZoneInfo("Asia/Almaty")
# The word the benchmark searches for (present in about half of the articles, in several forms).
SEARCH_WORD = "дәрігерлер"

# The same sentences in the three languages (index i of each list are translations of each other).
SENTENCES = {
    "kk": [
        "Гематология орталығының дәрігерлері қан ауруларын ерте анықтау бойынша жаңа бағдарламаны іске қосты.",
        "Зертхана заманауи жабдықпен жабдықталып, талдау нәтижелері енді бір тәулік ішінде дайын болады.",
        "Пациенттер үшін тегін кеңес беру күні өтті, оған жүзден астам адам қатысты.",
        "Біздің дәрігерлер Алматы мен Мәскеудегі әріптестерімен тәжірибе алмасты.",
        "Донорлар қан тапсыру акциясына белсенді қатысып, жиналған қан науқастарға көмекке жіберілді.",
        "Лейкоз бен анемияны емдеудің халықаралық хаттамалары орталықтың күнделікті жұмысына енгізілді.",
        "Гемофилиямен ауыратын балаларға арналған мектепте ата-аналар мен дәрігерлер кездесті.",
        "Филиалдың жаңа ғимаратында стационар мен күндізгі емдеу бөлімі ашылды.",
        "Медбикелер мен зертхана қызметкерлері біліктілікті арттыру курстарынан өтті.",
        "Орталық сапа мен пациент қауіпсіздігі бойынша ұлттық аккредитациядан сәтті өтті.",
        "Жазылу телефон арқылы немесе филиалдың тіркеу бөлімінде жүргізіледі.",
        "Химиотерапиядан кейінгі оңалту бағдарламасы әр пациенттің жағдайына қарай жасалады.",
        "Дәрігерлер сүйек кемігін трансплантациялау бойынша халықаралық конференцияда баяндама жасады.",
        "Орталық ауыл тұрғындарына арналған көшпелі кеңес беру сапарларын жалғастырады.",
    ],
    "ru": [
        "Врачи Центра гематологии запустили новую программу ранней диагностики заболеваний крови.",
        "Лаборатория оснащена современным оборудованием, и результаты анализов теперь готовы в течение суток.",
        "Для пациентов прошёл день бесплатных консультаций, в котором приняли участие более ста человек.",
        "Наши врачи обменялись опытом с коллегами из Алматы и Москвы.",
        "Доноры активно участвовали в акции по сдаче крови, собранная кровь направлена на помощь пациентам.",
        "Международные протоколы лечения лейкоза и анемии внедрены в повседневную работу центра.",
        "В школе для детей с гемофилией встретились родители и врачи.",
        "В новом здании филиала открылись стационар и отделение дневного лечения.",
        "Медицинские сёстры и сотрудники лаборатории прошли курсы повышения квалификации.",
        "Центр успешно прошёл национальную аккредитацию по качеству и безопасности пациентов.",
        "Запись ведётся по телефону или в регистратуре филиала.",
        "Программа реабилитации после химиотерапии составляется с учётом состояния каждого пациента.",
        "Врачи выступили с докладом на международной конференции по трансплантации костного мозга.",
        "Центр продолжает выездные консультации для жителей сёл.",
    ],
    "en": [
        "Doctors at the Hematology Center have launched a new programme for the early diagnosis of blood diseases.",
        "The laboratory has been fitted with modern equipment, and test results are now ready within a day.",
        "A day of free consultations was held for patients, and more than a hundred people took part.",
        "Our doctors exchanged experience with colleagues from Almaty and Moscow.",
        "Donors took an active part in the blood drive, and the blood collected has gone to help patients.",
        "International protocols for treating leukaemia and anaemia are now part of the centre's daily work.",
        "Parents and doctors met at the school for children with haemophilia.",
        "An inpatient ward and a day treatment unit have opened in the branch's new building.",
        "Nurses and laboratory staff completed professional development courses.",
        "The centre successfully passed national accreditation for quality and patient safety.",
        "Appointments can be made by phone or at the branch's reception desk.",
        "The rehabilitation programme after chemotherapy is drawn up according to each patient's condition.",
        "Doctors gave a talk at an international conference on bone marrow transplantation.",
        "The centre continues its visiting consultations for people living in villages.",
    ],
}
TOPICS = [
    ("new-laboratory", "Жаңа зертхана ашылды", "Открылась новая лаборатория", "A new laboratory has opened"),
    ("free-consultations", "Тегін кеңес беру күні", "День бесплатных консультаций", "A day of free consultations"),
    ("donor-day", "Донорлар күні", "День донора", "Donor day"),
    ("haemophilia-school", "Гемофилия мектебі", "Школа гемофилии", "Haemophilia school"),
    ("conference", "Халықаралық конференция", "Международная конференция", "An international conference"),
    ("accreditation", "Аккредитация сәтті өтті", "Аккредитация пройдена", "Accreditation passed"),
    ("inpatient-ward", "Жаңа стационар", "Новый стационар", "A new inpatient ward"),
    ("courses", "Біліктілікті арттыру курстары", "Курсы повышения квалификации", "Professional development courses"),
    ("visiting-consultations", "Көшпелі кеңес беру", "Выездные консультации", "Visiting consultations"),
    ("rehabilitation", "Оңалту бағдарламасы", "Программа реабилитации", "A rehabilitation programme"),
]
CITIES = {
    "kk": ["Астана", "Қарағанды", "Өскемен"],
    "ru": ["Астана", "Караганда", "Усть-Каменогорск"],
    "en": ["Astana", "Karaganda", "Ust-Kamenogorsk"],
}
HEADINGS = {"kk": "Іс-шара барысы", "ru": "Как это было", "en": "How it went"}
GALLERY_TITLES = {"kk": "Фотосуреттер", "ru": "Фотографии", "en": "Photos"}
ALT_TEXTS = {
    "kk": "Гематология орталығындағы іс-шара, {n}-сурет",
    "ru": "Мероприятие в Центре гематологии, фото {n}",
    "en": "An event at the Hematology Center, photo {n}",
}


def is_generated(articles: int) -> bool:
    """The generated site is there: `articles` generated articles in each language and the photos on disk."""
    counts = {
        code: NewsArticlePage.objects.filter(locale__language_code=code, slug__startswith=SLUG_PREFIX).count()
        for code in LANGUAGES
    }
    images = list(get_image_model().objects.filter(title__startswith=IMAGE_TITLE))
    files_there = len(images) == IMAGES and all(image.file.storage.exists(image.file.name) for image in images)
    return all(count == articles for count in counts.values()) and files_there


def make_images() -> list:
    """Six photo-sized JPEGs (1600×1067) as Wagtail images, with every rendition the site shows made now."""
    model = get_image_model()
    images = list(model.objects.filter(title__startswith=IMAGE_TITLE).order_by("pk"))
    rng = random.Random(7)
    for n in range(len(images), IMAGES):
        picture = PILImage.new("RGB", (1600, 1067), (rng.randrange(40, 200), rng.randrange(40, 200), 170))
        draw = ImageDraw.Draw(picture)
        for _shape in range(40):
            x, y = rng.randrange(1600), rng.randrange(1067)
            size = rng.randrange(40, 400)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            draw.ellipse((x, y, x + size, y + size * 2 // 3), fill=colour)
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=85)
        image = model(title=f"{IMAGE_TITLE} {n + 1}", file=ImageFile(buffer, name=f"bench-photo-{n + 1}.jpg"))
        image.save()  # core.signals makes the renditions (prerender) when an image is created
        images.append(image)
    for image in images:
        prerender(image)  # a no-op when they exist already
    return images


def _paragraph(rng: random.Random, picks: list[int], code: str) -> str:
    return "<p>" + " ".join(SENTENCES[code][i] for i in picks) + "</p>"


def _article_content(n: int, rng: random.Random, images: list, start: datetime) -> dict:
    """The three languages' fields of article n (same structure, same block ids, same images)."""
    slug_word, *titles = TOPICS[n % len(TOPICS)]
    city = n % 3
    date = start + timedelta(days=n, hours=rng.randrange(8, 18), minutes=rng.randrange(60))
    count = len(SENTENCES["kk"])
    picks = [rng.sample(range(count), k) for k in (2, 3, 3, 2)]
    gallery = [images[(n + k) % len(images)] for k in range(GALLERY_SIZE)]
    ids = [str(uuid.uuid4()) for _ in range(6 + GALLERY_SIZE)]
    content = {}
    for index, code in enumerate(LANGUAGES):
        body = [
            {"type": "paragraph", "value": _paragraph(rng, picks[0], code), "id": ids[0]},
            {"type": "paragraph", "value": _paragraph(rng, picks[1], code), "id": ids[1]},
            {"type": "heading", "value": {"text": HEADINGS[code], "level": "h2"}, "id": ids[2]},
            {"type": "paragraph", "value": _paragraph(rng, picks[2], code), "id": ids[3]},
            {
                "type": "gallery",
                "value": {
                    "title": GALLERY_TITLES[code],
                    "images": [
                        {
                            "type": "item",
                            "value": {
                                "image": image.pk,
                                "alt_text": ALT_TEXTS[code].format(n=k + 1),
                                "caption": "",
                            },
                            "id": ids[6 + k],
                        }
                        for k, image in enumerate(gallery)
                    ],
                },
                "id": ids[4],
            },
            {"type": "paragraph", "value": _paragraph(rng, picks[3], code), "id": ids[5]},
        ]
        content[code] = {
            "title": f"{titles[index]}: {CITIES[code][city]}, {date.astimezone(ASTANA):%d.%m.%Y}",
            "slug": f"{SLUG_PREFIX}{n + 1:04d}-{slug_word}",
            "date": date,
            "summary": SENTENCES[code][picks[0][0]],
            "cover_image": images[n % len(images)],
            "body": body,
        }
    return content


@transaction.atomic
def generate(articles: int) -> dict:
    """Write the articles; returns the seconds the images and the pages took."""
    started = time.perf_counter()
    images = make_images()
    images_seconds = time.perf_counter() - started
    rng = random.Random(42)
    start = (datetime.now(ASTANA) - timedelta(days=articles + 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    contents = [_article_content(n, rng, images, start) for n in range(articles)]
    keys = [uuid.uuid4() for _ in range(articles)]
    article_type = ContentType.objects.get_for_model(NewsArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    for code in LANGUAGES:
        index = NewsIndexPage.objects.get(locale__language_code=code)
        last = index.get_last_child()
        first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        pages = []
        for n, content in enumerate(contents):
            fields = content[code]
            page = NewsArticlePage(
                title=fields["title"],
                draft_title=fields["title"],
                slug=fields["slug"],
                date=fields["date"],
                summary=fields["summary"],
                cover_image=fields["cover_image"],
                body=fields["body"],
                locale_id=index.locale_id,
                translation_key=keys[n],
                content_type=article_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=fields["date"],
                last_published_at=fields["date"],
                latest_revision_created_at=fields["date"],
                path=Page._get_path(index.path, index.depth + 1, first_step + n),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{fields['slug']}/",
            )
            pages.append(page)
        # The tree rows (wagtailcore_page), then the article rows (news_newsarticlepage) pointing at them. Django's
        # bulk_create refuses multi-table models as a whole, so each table is written on its own.
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        rows = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in pages], batch_size=500
        )
        for page, row in zip(pages, rows, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
            page._state.adding = False
        NewsArticlePage.objects.all()._batched_insert(pages, NewsArticlePage._meta.local_concrete_fields, 500)
        Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
        # One revision per page, the page's live (and latest) revision, as publishing leaves it.
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=article_type,
                    base_content_type=page_type,
                    object_id=str(page.pk),
                    created_at=page.date,
                    object_str=page.title,
                    content=page.serializable_data(),
                )
                for page in pages
            ],
            batch_size=500,
        )
        for row, revision in zip(rows, revisions, strict=True):
            row.live_revision_id = row.latest_revision_id = revision.pk
        Page.objects.bulk_update(rows, ["live_revision", "latest_revision"], batch_size=500)
    return {"images_seconds": images_seconds, "pages_seconds": time.perf_counter() - started - images_seconds}
