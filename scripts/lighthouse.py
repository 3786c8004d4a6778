#!/usr/bin/env python
"""`make lighthouse` (not a test): serves the demo with gunicorn and whitenoise (production settings, DEBUG off) and
runs Lighthouse (the npm package, with Debian's Chromium) on the home page, the news index and an article in mobile
mode; prints the four scores of each. Reports are written to lighthouse/. Target: 95 or more everywhere."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = {
    "home": "/kk/",
    "news index": "/ru/news/",
    "article": "/en/news/minister-of-health-visited-hematology-senter-in-astana/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "lighthouse-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SERVE_MEDIA": "true",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
    }
    python = sys.executable
    for command in (["migrate", "-v0"], ["load_demo", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([python, "manage.py", *command], env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{base}/kk/", timeout=2)  # noqa: S310 - our own local server
                break
            except OSError:
                time.sleep(0.2)
        out = ROOT / "lighthouse"
        out.mkdir(exist_ok=True)
        print(f"{'page':12} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        worst = 100
        for name, path in PAGES.items():
            report = out / f"{name.replace(' ', '-')}.json"
            subprocess.run(
                [
                    str(ROOT / "node_modules" / ".bin" / "lighthouse"),
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--form-factor=mobile",
                    f"--only-categories={','.join(CATEGORIES)}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                    "--disable-component-update --disable-sync --no-first-run",
                ],
                env={**os.environ, "CHROME_PATH": CHROMIUM},
                check=True,
            )
            categories = json.loads(report.read_text())["categories"]
            scores = [round(categories[c]["score"] * 100) for c in CATEGORIES]
            worst = min(worst, *scores)
            print(f"{name:12} " + " ".join(f"{s:>15}" for s in scores))
        print(f"Lowest score: {worst} (target ≥ 95: {'met' if worst >= 95 else 'NOT met'})")
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
