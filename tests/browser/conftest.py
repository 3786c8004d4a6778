"""Real-browser tests: the demo site served by `manage.py runserver` on a database of its own, driven with
Playwright in Debian's Chromium (never `playwright install`). Skipped when Chromium is missing; .ci/run installs it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "screenshots"
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the browser tests' site: the demo content and the demo admin (admin / hematology-demo,
    as `make demo` makes them) on a database of its own."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    work = tmp_path_factory.mktemp("browser-site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_DEBUG": "true",
    }
    for command in (["migrate", "-v0"], ["load_demo", "-v0"], ["ensure_demo_admin"]):
        subprocess.run(MANAGE + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return env


def run_on_site(site_env: dict[str, str], code: str) -> str:
    """Run Python code in the site's Django (`manage.py shell -c`) and return what it printed."""
    result = subprocess.run(
        [*MANAGE, "shell", "-v0", "-c", code], env=site_env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


@pytest.fixture(scope="session")
def site_url(site_env):
    port = _free_port()
    server = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=site_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"{url}/kk/", timeout=2)  # noqa: S310 - our own local server
            break
        except OSError:
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A Content-Security-Policy refusal is only a console message: count it as an error too.
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript or CSP errors: {errors}"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
