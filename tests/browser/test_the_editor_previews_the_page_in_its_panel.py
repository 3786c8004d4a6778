"""The editor's live preview: the admin's preview panel shows the page, rendered under the public policy, inside
its frame (the `page` fixture fails on any Content-Security-Policy refusal, "frame-ancestors" included)."""

from playwright.sync_api import expect

from .conftest import run_on_site


def test_the_preview_panel_shows_the_page_being_edited(page, site_env, site_url):
    about_id = run_on_site(
        site_env,
        "from wagtail.models import Page; print(Page.objects.get(locale__language_code='kk', slug='about').pk)",
    )
    page.goto(f"{site_url}/admin/login/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill("hematology-demo")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{site_url}/admin/")

    page.goto(f"{site_url}/admin/pages/{about_id}/edit/")
    page.locator("[data-side-panel-toggle=preview]").click()
    preview = page.frame_locator("iframe.w-preview__iframe").last
    expect(preview.get_by_role("heading", level=1)).to_have_text("Орталық туралы")
    expect(preview.locator("main")).to_contain_text("Қазақстандағы қан ауруларымен ауыратын пациенттерге")
