"""Build the demo site in kk, ru and en from the Grav sample in demo/content. Safe to run again: it only adds
what is missing and never changes or duplicates what exists."""

from html import escape
from pathlib import Path

import yaml
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText
from wagtail.utils.file import hash_filelike

from about.models import AboutPage, BranchPage
from core.translation import create_translation
from demo.grav import Block, parse_date, read_page
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage

CONTENT = Path(__file__).resolve().parents[2] / "content"
GRAV_NEWS = CONTENT / "grav" / "user" / "pages" / "02.news"
LANGUAGES = ["kk", "ru", "en"]
SOURCE_LANGUAGE = "kk"


def load_yaml(name: str) -> dict:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


def paragraphs(texts: list[str]) -> str:
    # The texts are trusted demo content; only the <b> of the first intro paragraph is markup.
    return "".join(f"<p>{text}</p>" for text in texts)


class Command(BaseCommand):
    help = "Load the demo content (home, news, about, branches) in Kazakh, Russian and English."

    def handle(self, *args, **options):
        self.created = 0
        with transaction.atomic():
            self.locales = {code: Locale.objects.get(language_code=code) for code in LANGUAGES}
            homes = self.load_home()
            news_indexes = self.load_news_index(homes)
            self.load_about(homes)
            self.load_articles(news_indexes)
        if self.created:
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {self.created} pages created."))
        else:
            self.stdout.write("Demo content already loaded: nothing to do.")

    # Helpers ---------------------------------------------------------------------------------------------------

    def publish_new(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def child(self, parent: Page, model, slug: str):
        return model.objects.child_of(parent).filter(slug=slug).first()

    def translate(self, source: Page, code: str, translated: Page) -> Page:
        existing = source.get_translation_or_none(self.locales[code])
        if existing is not None:
            return existing.specific
        self.created += 1
        return create_translation(source, self.locales[code], translated).specific

    def in_all_languages(self, source: Page, build) -> dict[str, Page]:
        """`build(code)` returns an unsaved page holding the texts of that language."""
        pages = {source.locale.language_code: source}
        for code in LANGUAGES:
            if code not in pages:
                pages[code] = self.translate(source, code, build(code))
        return pages

    # Content ---------------------------------------------------------------------------------------------------

    def load_home(self) -> dict[str, HomePage]:
        data = load_yaml("home.yaml")

        def build(code: str) -> HomePage:
            d = data[code]
            return HomePage(
                title=d["title"],
                slug="home",
                locale=self.locales[code],
                mission=d["mission"],
                vision=d["vision"],
                intro=paragraphs(d["intro"]),
                pillars=[("pillar", {"heading": p["heading"], "text": p["text"], "image": None}) for p in d["pillars"]],
                key_figures=[("figure", f) for f in d["key_figures"]],
            )

        root = Page.get_first_root_node()
        home = HomePage.objects.filter(locale=self.locales[SOURCE_LANGUAGE], depth=2).first()
        if home is None:
            # Wagtail's install creates a "Welcome to your new Wagtail site!" page; the clinic's home replaces it.
            for placeholder in Page.objects.child_of(root).filter(content_type__model="page", slug="home"):
                placeholder.delete()
            home = self.publish_new(root, build(SOURCE_LANGUAGE))
        site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", port=80)
        if site.root_page_id != home.pk:
            site.root_page = home
            site.is_default_site = True
            site.site_name = "Гематология орталығы"
            site.save()
        return self.in_all_languages(home, build)

    def load_news_index(self, homes) -> dict[str, NewsIndexPage]:
        data = load_yaml("site.yaml")["news_index"]

        def build(code: str) -> NewsIndexPage:
            return NewsIndexPage(
                title=data[code]["title"], slug=data["slug"], intro=data[code]["intro"], show_in_menus=True
            )

        source = self.child(homes[SOURCE_LANGUAGE], NewsIndexPage, data["slug"])
        if source is None:
            source = self.publish_new(homes[SOURCE_LANGUAGE], build(SOURCE_LANGUAGE))
        return self.in_all_languages(source, build)

    def load_about(self, homes) -> None:
        site = load_yaml("site.yaml")
        about = site["about"]

        def build_about(code: str) -> AboutPage:
            d = about[code]
            table = {
                "data": d["table"],
                "table_caption": d["table_caption"],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
            }
            return AboutPage(
                title=d["title"],
                slug=about["slug"],
                intro=d["intro"],
                show_child_pages=True,
                show_in_menus=True,
                body=[("table", table)],
            )

        source = self.child(homes[SOURCE_LANGUAGE], AboutPage, about["slug"]) or self.publish_new(
            homes[SOURCE_LANGUAGE], build_about(SOURCE_LANGUAGE)
        )
        self.in_all_languages(source, build_about)

        placeholders = site["branch_placeholders"]
        for branch in site["branches"]:

            def build_branch(code: str, branch=branch) -> BranchPage:
                return BranchPage(
                    title=branch[code]["title"],
                    slug=branch["slug"],
                    city=branch[code]["city"],
                    address=placeholders[code]["address"],
                    phones=placeholders["phones"],
                    opening_hours=placeholders[code]["hours"],
                    services=placeholders[code]["services"],
                )

            page = self.child(source, BranchPage, branch["slug"]) or self.publish_new(
                source, build_branch(SOURCE_LANGUAGE)
            )
            self.in_all_languages(page, build_branch)

    def load_articles(self, news_indexes) -> None:
        for spec in load_yaml("site.yaml")["articles"]:
            folder = GRAV_NEWS / spec["folder"]
            slug = spec["folder"].split(".", 1)[1]
            source_code = spec["source"]
            versions = {path.name.split(".")[1]: path for path in sorted(folder.glob("item.*.md"))}

            def build(code: str, spec=spec, folder=folder, slug=slug, versions=versions) -> NewsArticlePage:
                grav = read_page(versions[code], repair=spec.get("repair_mojibake", False))
                date = parse_date(spec.get("date")) or grav.date or timezone.now()
                alt = spec.get("gallery_alt", {}).get(code, "")
                return NewsArticlePage(
                    title=spec.get("title", grav.title),
                    slug=slug,
                    date=date,
                    summary=grav.summary,
                    body=[self.body_block(block, folder, alt) for block in grav.blocks],
                    live=grav.published,
                )

            source = self.child(news_indexes[source_code], NewsArticlePage, slug)
            if source is None:
                source = self.publish_new(news_indexes[source_code], build(source_code))
            for code in versions:
                if code != source_code:
                    self.translate(source, code, build(code))

    def body_block(self, block: Block, folder: Path, alt_pattern: str):
        if block.kind == "heading":
            return ("heading", {"text": block.text, "level": "h2"})
        if block.kind == "list":
            return (
                "paragraph",
                RichText("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"),
            )
        if block.kind == "gallery":
            total = len(block.items)
            images = [
                {
                    "image": self.image(folder / name, alt_pattern.format(n=n, total=total)),
                    "alt_text": alt_pattern.format(n=n, total=total),
                    "caption": "",
                }
                for n, name in enumerate(block.items, start=1)
            ]
            return ("gallery", {"title": "", "images": images})
        return ("paragraph", RichText(f"<p>{escape(block.text)}</p>"))

    def image(self, path: Path, title: str):
        """One Wagtail image per distinct file, in the News collection."""
        Image = get_image_model()
        with path.open("rb") as handle:
            file_hash = hash_filelike(handle)
        existing = Image.objects.filter(file_hash=file_hash).first()
        if existing:
            return existing
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name="News").first() or root.add_child(name="News")
        with path.open("rb") as handle:
            image = Image(title=title or path.stem, collection=collection)
            image.file = ImageFile(handle, name=path.name)
            image.save()
        return image
