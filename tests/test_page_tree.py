"""Where each page type may live: the rules an editor meets when adding a page."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from about.models import AboutPage, BranchPage
from booking.models import BookingPage
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage


class PageTreeRules(WagtailPageTestCase):
    def setUp(self):
        # force_login: a password login in a test has no request, which the login throttling (django-axes) needs.
        self.client.force_login(self.create_superuser("admin"))

    def test_home_page_sits_directly_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_news_about_branch_and_booking_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {NewsIndexPage, AboutPage, BranchPage, BookingPage})

    def test_news_index_lives_under_a_home_page_and_holds_only_articles(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsArticlePage})

    def test_news_article_lives_only_in_a_news_index_and_has_no_children(self):
        self.assertAllowedParentPageTypes(NewsArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsArticlePage, set())

    def test_about_pages_nest_and_hold_branches(self):
        self.assertAllowedParentPageTypes(AboutPage, {HomePage, AboutPage})
        self.assertAllowedSubpageTypes(AboutPage, {AboutPage, BranchPage})

    def test_branch_page_is_a_leaf(self):
        self.assertAllowedParentPageTypes(BranchPage, {HomePage, AboutPage})
        self.assertAllowedSubpageTypes(BranchPage, set())

    def test_one_home_page_per_language(self):
        # The demo has the three; a fourth cannot be added.
        self.assertEqual(HomePage.objects.count(), 3)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_a_home_page_takes_only_one_news_index(self):
        home = HomePage.objects.get(locale__language_code="kk")
        self.assertFalse(NewsIndexPage.can_create_at(home))

    def test_an_editor_can_create_an_article_with_every_body_block(self):
        news = NewsIndexPage.objects.get(locale__language_code="kk")
        data = nested_form_data(
            {
                "title": "Жаңа мақала",
                "slug": "zhana-makala",
                "date": "2025-10-14 10:00",
                "summary": "Қысқаша",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>Мәтін</p>")),
                        ("heading", {"text": "Тақырып", "level": "h2"}),
                        ("quote", {"text": "Дәйексөз", "attribution": "Дәрігер"}),
                        (
                            "key_figures",
                            {
                                "heading": "",
                                "figures": streamfield([("item", {"number": "51", "label": "төсек"})]),
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(news, NewsArticlePage, data)
        article = NewsArticlePage.objects.get(slug="zhana-makala")
        self.assertEqual([block.block_type for block in article.body], ["paragraph", "heading", "quote", "key_figures"])
