"""`manage.py import_grav`: small Grav trees written here, one per rule of the migration."""

import io
import textwrap

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail_localize.models import TranslationSource

from about.models import AboutPage, BranchPage
from grav_import.models import ImportedPage
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage
from tests.helpers import MINISTER, html_lang, page_text

pytestmark = pytest.mark.django_db

SAMPLE_JPEG = (
    __import__("pathlib").Path(__file__).resolve().parents[1]
    / "demo/content/grav/user/pages/02.news/51.minister-of-health-visited-hematology-senter-in-astana/1.jpg"
)
SYSTEM_YAML = """\
timezone: Asia/Almaty
languages:
  supported: [kk, ru, en]
  default_lang: kk
"""


def article(title, body="Мәтін.", date="05-03-2024 09:30", extra=""):
    return f"---\ntitle: '{title}'\ndate: '{date}'\n{extra}---\n\n{textwrap.dedent(body).strip()}\n"


@pytest.fixture
def grav(tmp_path):
    """grav({"02.events/blog.kk.md": "...", ...}) writes a Grav site and returns its root."""

    def write(files: dict, system_yaml: str = SYSTEM_YAML):
        (tmp_path / "user" / "config").mkdir(parents=True, exist_ok=True)
        (tmp_path / "user" / "config" / "system.yaml").write_text(system_yaml, encoding="utf-8")
        for name, content in files.items():
            path = tmp_path / "user" / "pages" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    return write


def run(path, *args):
    """(exit status, output) of import_grav."""
    out = io.StringIO()
    try:
        call_command("import_grav", str(path), *args, stdout=out)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, out.getvalue()


EVENTS = {
    "05.events/blog.kk.md": "---\ntitle: Іс-шаралар\n---\n\nОрталықтың іс-шаралары.\n",
    "05.events/blog.ru.md": "---\ntitle: Мероприятия\n---\n\nМероприятия центра.\n",
    "05.events/blog.en.md": "---\ntitle: Events\n---\n\nEvents of the center.\n",
    "05.events/01.open-day/item.kk.md": article("Ашық есік күні", "Қысқаша.\n\n===\n\nБарлығын шақырамыз."),
    "05.events/01.open-day/item.ru.md": article("День открытых дверей", "Кратко.\n\n===\n\nПриглашаем всех."),
    "05.events/01.open-day/item.en.md": article("Open day", "In short.\n\n===\n\nEveryone is welcome."),
}


def snapshot():
    return (
        list(Page.objects.order_by("pk").values_list("pk", "title", "live", "path", "numchild")),
        Revision.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Redirect.objects.count(),
    )


# Languages ---------------------------------------------------------------------------------------------------


def test_the_language_files_of_a_folder_become_one_page_linked_in_three_languages(client, grav):
    status, output = run(grav(EVENTS))
    assert status == 0, output
    pages = NewsArticlePage.objects.filter(slug="open-day")
    assert {page.locale.language_code: page.title for page in pages} == {
        "kk": "Ашық есік күні",
        "ru": "День открытых дверей",
        "en": "Open day",
    }
    assert len({page.translation_key for page in pages}) == 1
    kazakh = pages.get(locale__language_code="kk")
    assert TranslationSource.objects.filter(object_id=kazakh.translation_key, locale=kazakh.locale).exists()
    response = client.get("/ru/events/open-day/")
    assert html_lang(response) == "ru" and "Приглашаем всех." in page_text(response)
    assert "5 марта 2024 г." in page_text(response)
    assert NewsIndexPage.objects.get(slug="events", locale__language_code="en").title == "Events"


def test_a_folder_in_one_language_gives_a_page_in_that_language_only(grav):
    files = {**EVENTS, "05.events/02.lecture/item.ru.md": article("Лекция для пациентов")}
    run(grav(files))
    assert list(NewsArticlePage.objects.filter(slug="lecture").values_list("locale__language_code", flat=True)) == [
        "ru"
    ]


def test_a_missing_parent_in_a_language_is_created_for_translators(grav):
    files = {
        "06.school/default.kk.md": "---\ntitle: Мектеп\n---\n\nМектеп.\n",
        "06.school/01.lesson/default.en.md": "---\ntitle: Lesson one\n---\n\nText.\n",
    }
    status, output = run(grav(files))
    assert status == 0, output
    english_school = AboutPage.objects.get(slug="school", locale__language_code="en")
    assert not english_school.live  # a draft copy of the Kazakh page, until it is translated
    assert AboutPage.objects.get(slug="lesson", locale__language_code="en").get_parent().pk == english_school.pk
    assert "06.school [en]: created as an untranslated draft" in output


def test_the_languages_come_from_system_yaml(grav):
    system = "languages:\n  supported: [ru, en]\n  default_lang: ru\n"
    status, output = run(grav({"07.faq/default.md": "---\ntitle: Вопросы\n---\n\nОтветы.\n"}, system_yaml=system))
    assert status == 0, output
    # A file without a language suffix is in the default language: Russian here.
    assert AboutPage.objects.get(slug="faq").locale.language_code == "ru"


# Front matter ------------------------------------------------------------------------------------------------


def test_front_matter_sets_dates_drafts_and_menus(grav):
    files = {
        **EVENTS,
        "05.events/02.draft/item.kk.md": article("Жоба", extra="published: false\n"),
        "08.hidden/default.kk.md": "---\ntitle: Жасырын\nvisible: false\n---\n\nМәтін.\n",
        "09.shown/default.kk.md": "---\ntitle: Көрінетін\nunknown_key: 42\n---\n\nМәтін.\n",
    }
    run(grav(files))
    assert not NewsArticlePage.objects.get(slug="draft").live
    opened = NewsArticlePage.objects.get(slug="open-day", locale__language_code="kk")
    assert (opened.date.year, opened.date.month, opened.date.day, opened.date.hour) == (2024, 3, 5, 4)  # 09:30 +05
    assert not AboutPage.objects.get(slug="hidden").show_in_menus
    assert AboutPage.objects.get(slug="shown").show_in_menus


def test_a_page_without_front_matter_takes_its_title_from_the_folder(grav):
    status, output = run(grav({**EVENTS, "05.events/03.press-release/item.en.md": "Plain text, no header.\n"}))
    assert NewsArticlePage.objects.get(slug="press-release").title == "Press release"
    assert "no front matter" in output


def test_malformed_yaml_is_reported_with_file_and_line_and_the_rest_is_imported(grav):
    files = {**EVENTS, "05.events/04.broken/item.kk.md": "---\ntitle: 'Unclosed\ndate: x: y\n---\n\nText\n"}
    status, output = run(grav(files))
    assert status == 1
    assert "04.broken/item.kk.md, line" in output and "malformed front matter" in output
    assert NewsArticlePage.objects.filter(slug="open-day").count() == 3
    assert not NewsArticlePage.objects.filter(slug="broken").exists()


# Bodies ------------------------------------------------------------------------------------------------------


def test_shortcodes_become_gallery_and_video(grav):
    body = """
    Intro.

    ===

    [owl-carousel items=1]
    ![First](a.jpg "A caption")
    ![Second](b.jpg)
    ![Gone](missing.jpg)
    [/owl-carousel]

    [plugin:youtube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)
    """
    files = {**EVENTS, "05.events/05.photos/item.en.md": article("Photos", body)}
    files["05.events/05.photos/a.jpg"] = SAMPLE_JPEG.read_bytes()
    files["05.events/05.photos/b.jpg"] = SAMPLE_JPEG.read_bytes() + b"\x00"  # another file
    status, output = run(grav(files))
    page = NewsArticlePage.objects.get(slug="photos")
    kinds = [block.block_type for block in page.body]
    assert kinds == ["gallery", "video"]
    gallery = page.body[0].value
    assert [item["alt_text"] for item in gallery["images"]] == ["First", "Second"]
    assert gallery["images"][0]["caption"] == "A caption"
    assert page.body[1].value["video"].url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert "missing.jpg" in output  # a missing file is a warning, not a crash
    assert status == 0


def test_scripts_event_handlers_iframes_and_twig_never_reach_the_page(client, grav):
    body = """
    Safe text {{ page.title }} and {% if true %}more{% endif %}.

    ===

    <p onclick="steal()">Click text</p>
    <script>alert('x')</script>
    <iframe src="https://evil.example.com/x"></iframe>
    <iframe src="https://yandex.ru/map-widget/v1/?um=constructor%3Aabc" title="Astana branch"></iframe>
    """
    status, output = run(grav({**EVENTS, "05.events/06.unsafe/item.kk.md": article("Қауіпті", body)}))
    assert status == 0, output
    page = NewsArticlePage.objects.get(slug="unsafe")
    html = client.get("/kk/events/unsafe/").content.decode()
    assert "alert(" not in html and "steal()" not in html and "evil.example.com" not in html
    assert "{{" not in html and "{%" not in html
    assert "Click text" in html
    assert any(block.block_type == "map" for block in page.body)
    assert "needs a human" in output.lower() and "06.unsafe" in output


def test_tables_documents_and_relative_links(client, grav):
    body = """
    Lead.

    ===

    <table><tr><th>Drug</th><th>Form</th></tr><tr><td>Imatinib</td><td>Tablets</td></tr></table>

    | Test | Days |
    |---|---|
    | FISH | 7 |

    The [formulary](formulary.pdf) and the [contracts page](../contracts).

    [Old price list](prices.docx)
    """
    files = {
        "10.about/default.en.md": "---\ntitle: About\n---\n\nAbout us.\n",
        "10.about/01.drugs/default.en.md": "---\ntitle: Drugs\n---\n\n" + textwrap.dedent(body),
        "10.about/01.drugs/formulary.pdf": b"%PDF-1.4 test formulary",
        "10.about/02.contracts/default.en.md": "---\ntitle: Contracts\n---\n\nContracts.\n",
    }
    status, output = run(grav(files))
    assert status == 0, output
    page = AboutPage.objects.get(slug="drugs")
    assert [block.block_type for block in page.body][:2] == ["table", "table"]
    assert page.body[0].value["data"][1] == ["Imatinib", "Tablets"]
    html = client.get("/en/about/drugs/").content.decode()
    document = get_document_model().objects.get(title="formulary")
    assert f'href="{document.url}"' in html
    assert 'href="/en/about/contracts/"' in html
    assert "prices.docx" in output  # missing file: warned


def test_mojibake_is_repaired_and_reported(client, grav):
    original = "Минздрав — 91,8 % ✅ café"
    mac = original.encode("utf-8").decode("mac_roman")
    win = "Smart ‘quotes’ — done".encode().decode("cp1252")
    files = {
        **EVENTS,
        "05.events/07.mac/item.ru.md": article("Починено", f"Кратко.\n\n===\n\n{mac}").encode("utf-8"),
        "05.events/08.win/item.en.md": ("\ufeff" + article("Fixed", f"Short.\n\n===\n\n{win}")).encode("utf-8"),
    }
    status, output = run(grav(files))
    assert status == 0, output
    assert original in page_text(client.get("/ru/events/mac/"))
    assert "Smart ‘quotes’ — done" in page_text(client.get("/en/events/win/"))
    assert "07.mac/item.ru.md: repaired mojibake (MacRoman misread of UTF-8 in 1 line(s))" in output
    assert "08.win/item.en.md: repaired mojibake (Windows-1252" in output


def test_the_sample_minister_article_comes_out_exactly_as_written():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "demo/content/grav/user/pages/02.news"
    raw = next(path.glob("51.*/item.en.md")).read_text(encoding="utf-8")
    expected = raw.encode("mac_roman").decode("utf-8")
    page = NewsArticlePage.objects.get(slug=MINISTER)
    assert page.summary in expected
    assert "Irina Pivovarova and Anton Klodzinsky" in page.summary
    assert "üìä" not in str(page.body.raw_data) and "📊" in str(page.body.raw_data)


def test_words_mixing_latin_and_cyrillic_are_reported(grav):
    status, output = run(grav({**EVENTS, "05.events/09.mixed/item.en.md": article("Hematology сenter news")}))
    assert "09.mixed/item.en.md: the word “сenter” mixes Latin and Cyrillic letters" in output


# Structure ---------------------------------------------------------------------------------------------------


def test_modular_routable_false_and_global_parts_are_skipped_and_listed(grav):
    files = {
        "11.landing/default.kk.md": "---\ntitle: Бет\n---\n\nМәтін.\n",
        "11.landing/_hero/hero.kk.md": "---\ntitle: Hero\n---\n\nText.\n",
        "12.footer/default.kk.md": "---\ntitle: Footer\n---\n\nText.\n",
        "13.hidden-data/default.kk.md": "---\ntitle: Data\nroutable: false\n---\n\nText.\n",
        "14.contact/form.kk.md": "---\ntitle: Form\n---\n\nText.\n",
    }
    status, output = run(grav(files))
    assert status == 0
    assert AboutPage.objects.filter(slug="landing").exists()
    assert not Page.objects.filter(slug__in=["hero", "footer", "hidden-data", "contact"]).exists()
    for reason in ["modular part", "global part", "routable: false", "template “form” has no page type"]:
        assert reason in output


def test_the_map_option_assigns_page_types(grav, tmp_path):
    files = {
        "15.branches/default.kk.md": "---\ntitle: Филиалдар\n---\n\nБіздің филиалдар.\n",
        "15.branches/01.semey/branch.kk.md": "---\ntitle: Семей\ncity: Семей\nphones: ['+7 722 000 00 00']\n"
        "opening_hours: 'Дс–Жм 08:00–17:00'\n---\n\nФилиал.\n",
    }
    mapping = tmp_path / "map.yaml"
    mapping.write_text("'branches/*': about.BranchPage\n", encoding="utf-8")
    status, output = run(grav(files), "--map", str(mapping))
    assert status == 0, output
    branch = BranchPage.objects.get(slug="semey")
    assert (branch.city, branch.phones, branch.opening_hours) == ("Семей", "+7 722 000 00 00", "Дс–Жм 08:00–17:00")


def test_a_bad_map_file_is_refused_clearly(grav, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("'x/*': news.Nonsense\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown page type"):
        call_command("import_grav", str(grav(EVENTS)), "--map", str(mapping), stdout=io.StringIO())


def test_the_home_folder_updates_the_existing_home_page(grav):
    home = HomePage.objects.get(locale__language_code="kk")
    files = {"01.home/default.kk.md": "---\ntitle: Басты\n---\n\n# МИССИЯ\n> Жаңа миссия\n\nЖаңа кіріспе.\n"}
    status, output = run(grav(files))
    assert status == 0, output
    assert HomePage.objects.count() == 3
    home.refresh_from_db()
    assert (home.title, home.mission) == ("Басты", "Жаңа миссия")
    assert "Жаңа кіріспе." in home.intro


def test_identical_folders_are_imported_once_and_reported(grav):
    files = {
        **EVENTS,
        "05.events/20.same/item.kk.md": article("Бірдей"),
        "05.events/21.same/item.kk.md": article("Бірдей"),
    }
    status, output = run(grav(files))
    assert NewsArticlePage.objects.filter(slug="same").count() == 1
    assert "duplicate of 05.events/20.same" in output


def test_only_imports_one_folder(grav):
    files = {**EVENTS, "16.other/default.kk.md": "---\ntitle: Басқа\n---\n\nМәтін.\n"}
    status, output = run(grav(files), "--only", "05.events/01.open-day")
    assert NewsArticlePage.objects.filter(slug="open-day").count() == 3
    assert not AboutPage.objects.filter(slug="other").exists()


# Old URLs ----------------------------------------------------------------------------------------------------


def test_old_urls_redirect_permanently_where_the_path_changed(client, grav):
    files = {"17.drug.formulary/default.kk.md": "---\ntitle: Формуляр\n---\n\nМәтін.\n"}
    run(grav(files))
    for old in ["/kk/drug.formulary", "/kk/drug.formulary/"]:
        response = client.get(old)
        assert response.status_code == 301 and response["Location"].endswith("/kk/drugformulary/")
    home = client.get("/kk/home/")
    assert home.status_code == 301 and home["Location"].endswith("/kk/")
    # Same path: no redirect needed.
    assert not Redirect.objects.filter(old_path="/kk/drugformulary").exists()


# Runs --------------------------------------------------------------------------------------------------------


def test_dry_run_writes_nothing(grav):
    before = snapshot()
    status, output = run(grav(EVENTS), "--dry-run")
    assert status == 0
    assert snapshot() == before
    assert not ImportedPage.objects.filter(folder__startswith="05.events").exists()
    assert "Dry run" in output and "kk: 2 created" in output


def test_a_second_run_changes_nothing_and_a_third_updates_what_changed(grav):
    root = grav(EVENTS)
    run(root)
    before = snapshot()
    status, output = run(root)
    assert snapshot() == before
    assert "kk: 0 created, 0 updated, 2 unchanged" in output

    (root / "user/pages/05.events/01.open-day/item.en.md").write_text(
        article("Open day", "In short.\n\n===\n\nEveryone is very welcome."), encoding="utf-8"
    )
    revisions = Revision.objects.count()
    status, output = run(root)
    assert status == 0, output
    english = NewsArticlePage.objects.get(slug="open-day", locale__language_code="en")
    assert "Everyone is very welcome." in str(english.body.raw_data)
    assert Revision.objects.count() > revisions
    assert NewsArticlePage.objects.filter(slug="open-day").count() == 3


def test_a_broken_translation_file_leaves_the_other_languages_imported(grav):
    files = {**EVENTS, "05.events/01.open-day/item.ru.md": "---\ntitle: [unclosed\n---\n\nТекст\n"}
    status, output = run(grav(files))
    assert status == 1
    assert "01.open-day/item.ru.md, line" in output
    languages = set(NewsArticlePage.objects.filter(slug="open-day").values_list("locale__language_code", flat=True))
    assert languages == {"kk", "en"}
