#!/usr/bin/env python
"""`make bench` (not a test): how many pages a second the production setup serves, and how fast.

On PostgreSQL (database `hematology_bench`, made if missing), the demo plus a generated site of 1 000 news articles
in each of kk, ru and en (3 000 pages, linked as translations, each with a gallery), it serves the site with the
production settings and gunicorn (2 sync workers) and loads it with wrk (64 connections, 2 threads), 30 s per page,
on the home page, the news index, an article and a search:

  uncached app     gunicorn, PAGE_CACHE_SECONDS=0 (every request rendered; fragments cached in Redis)
  cached app       gunicorn, PAGE_CACHE_SECONDS=600 (anonymous pages from the app's Redis page cache)
  cached + nginx   the shipped nginx configuration (deploy/nginx: micro-cache, static files) in front of it
  static nginx     nginx sending the same HTML from disk: the reference

then a 60 s soak (64 connections on a mix of 50 pages, through the cached app) that must end without an error. It
prints requests/s, median and 99th-percentile latency, errors and the SQL queries each page costs, and writes
docs/benchmarks.md.

The generated site is kept between runs (reused when complete); BENCH_REBUILD=1 makes it again. Settings:
BENCH_DURATION (seconds per page, 30), BENCH_SOAK_DURATION (60), BENCH_ARTICLES (per language, 1 000),
BENCH_DATABASE_URL, BENCH_REDIS_URL (a Redis database of its own: it is emptied), BENCH_WORK (the kept media and
logs, ~/.cache/hematology-bench). Needs wrk and nginx (installed with apt-get when missing and possible).
"""

import io
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "scripts" / "bench"
sys.path[:0] = [str(HELPERS), str(ROOT)]

import loadgen  # noqa: E402 - scripts/bench is put on the path just above
import nginx_render  # noqa: E402

DURATION = int(os.environ.get("BENCH_DURATION", "30"))
SOAK_DURATION = int(os.environ.get("BENCH_SOAK_DURATION", "60"))
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))
CONNECTIONS, THREADS, WORKERS = 64, 2, 2
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hematology_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
WORK = Path(os.environ.get("BENCH_WORK", Path.home() / ".cache" / "hematology-bench"))
REBUILD = os.environ.get("BENCH_REBUILD", "").lower() in {"1", "true", "yes"}
REPORT = ROOT / "docs" / "benchmarks.md"
PYTHON_BIN = Path(sys.executable).parent

TARGET_UNCACHED = 200  # req/s, uncached article and news index
TARGET_CACHED = 1500  # req/s, every page from the app's cache
TARGET_PROXY_SHARE = 0.5  # through the shipped nginx, of nginx's static figure

RUNS = [
    ("uncached", "uncached app"),
    ("cached", "cached app"),
    ("proxy", "cached + nginx"),
    ("static", "static nginx"),
]


LOAD_BEFORE = 0.0


class BenchError(RuntimeError):
    pass


def say(message: str) -> None:
    print(message, flush=True)


# --- Tools -----------------------------------------------------------------------------------------------------


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def ensure_tools() -> None:
    found = {"wrk": shutil.which("wrk"), "nginx-light": nginx_binary()}
    missing = [package for package, path in found.items() if not path]
    if not missing:
        return
    apt = shutil.which("apt-get")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if apt is None or sudo is None:
        raise BenchError(
            f"make bench needs {' and '.join(missing)}: install them (Debian/Ubuntu: "
            f"sudo apt-get install {' '.join(missing)}) and run it again."
        )
    say(f"Installing {', '.join(missing)} with apt-get…")
    try:
        subprocess.run([*sudo, apt, "update", "-q"], check=True)
        subprocess.run([*sudo, apt, "install", "-y", "-q", *missing], check=True)
    except subprocess.CalledProcessError as error:
        raise BenchError(
            f"apt-get could not install {' '.join(missing)} ({error}); install them by hand and run it again."
        ) from error
    if not shutil.which("wrk") or not nginx_binary():
        raise BenchError(f"{' and '.join(missing)} still missing after apt-get install.")


# --- Database and site --------------------------------------------------------------------------------------------


def ensure_database() -> None:
    """Create the benchmark's database if missing (drop it first with BENCH_REBUILD=1)."""
    import psycopg2

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    if url.scheme not in {"postgres", "postgresql"} or not name:
        raise BenchError(f"BENCH_DATABASE_URL must be a PostgreSQL database URL, not {DATABASE_URL!r}")
    try:
        connection = psycopg2.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres")
    except psycopg2.OperationalError as error:
        raise BenchError(f"PostgreSQL is not reachable at {url.hostname}:{url.port or 5432}: {error}") from error
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and REBUILD:
            say(f"BENCH_REBUILD: dropping the database {name}")
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
            shutil.rmtree(WORK / "media", ignore_errors=True)
        if not exists:
            say(f"Creating the database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def server_environment(static_root: Path) -> dict[str, str]:
    """The application's environment: the production settings, on the benchmark's database, media and Redis."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(static_root),
        "REDIS_URL": REDIS_URL,
    }


def setup_django(static_root: Path) -> None:
    """Django in this process (the generation, the query counts): the same settings, without the page cache."""
    os.environ.update(server_environment(static_root))
    os.environ["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()


def prepare_site(static_root: Path) -> dict:
    """Migrate, and unless it is there already: the demo, the generated articles, the search index. Then
    collectstatic. Returns what the report says about the site."""
    import generate_site
    from django.core.management import call_command
    from django.db import connection
    from wagtail.images import get_image_model
    from wagtail.images.models import Rendition
    from wagtail.models import Page

    from search.models import SearchEntry

    marker = WORK / "generation.json"
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"Database migrated ({time.perf_counter() - started:.1f} s)")
    if generate_site.is_generated(ARTICLES):
        generation = json.loads(marker.read_text()) if marker.exists() else {}
        say(f"Generated site found ({ARTICLES} articles × 3 languages): reused (BENCH_REBUILD=1 to make it again)")
        generation["reused"] = True
    else:
        if Page.objects.filter(slug__startswith=generate_site.SLUG_PREFIX, depth__gt=2).exists():
            raise BenchError("The benchmark database holds an incomplete generated site: run with BENCH_REBUILD=1.")
        generation = {}
        step = time.perf_counter()
        call_command("load_demo", verbosity=0)
        generation["demo_seconds"] = time.perf_counter() - step
        say(f"Demo loaded ({generation['demo_seconds']:.1f} s); generating {ARTICLES} articles × 3 languages…")
        timings = generate_site.generate(ARTICLES)
        generation.update(timings)
        say(
            f"Generated {3 * ARTICLES} pages in {timings['pages_seconds']:.1f} s "
            f"(images and their renditions: {timings['images_seconds']:.1f} s)"
        )
        step = time.perf_counter()
        call_command("generate_renditions", verbosity=0, stdout=io.StringIO())
        call_command("rebuild_site_search", verbosity=0, stdout=io.StringIO())
        generation["index_seconds"] = time.perf_counter() - step
        say(f"Renditions checked and search index rebuilt ({generation['index_seconds']:.1f} s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        generation["total_seconds"] = time.perf_counter() - started
        generation["date"] = datetime.now().isoformat(timespec="seconds")
        marker.write_text(json.dumps(generation))
        generation["reused"] = False
    if SearchEntry.objects.count() < 3 * ARTICLES:
        call_command("rebuild_site_search", verbosity=0, stdout=io.StringIO())
    step = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    say(f"Static files collected into {static_root} ({time.perf_counter() - step:.1f} s)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version')")
        postgres = cursor.fetchone()[0]
    return {
        "generation": generation,
        "pages": Page.objects.filter(depth__gt=1).count(),
        "images": get_image_model().objects.count(),
        "renditions": Rendition.objects.count(),
        "search_entries": SearchEntry.objects.count(),
        "postgres": postgres,
    }


def choose_pages() -> dict:
    """The four measured pages (kk), with what each must show, and the soak test's mix."""
    import generate_site

    from news.models import NewsArticlePage

    generated = NewsArticlePage.objects.filter(locale__language_code="kk", slug__startswith=generate_site.SLUG_PREFIX)
    newest = generated.order_by("-date", "-pk").first()
    middle = generated.order_by("date", "pk")[ARTICLES // 2]  # one with a newer and an older article
    word = generate_site.SEARCH_WORD
    pages = {
        "home": ("/kk/", [newest.title]),
        "news index": ("/kk/news/", ["Жаңалықтар", newest.title]),
        "article": (f"/kk/news/{middle.slug}/", [middle.title, "data-gallery"]),
        "search": (f"/kk/search/?q={quote(word)}", [word, 'class="search-result"']),
    }
    articles = list(generated.order_by("-date", "-pk").values_list("slug", flat=True)[:36])
    mix = ["/kk/", "/ru/", "/en/", "/kk/news/", "/ru/news/", "/en/news/", "/kk/news/?page=2", "/kk/news/?page=3"]
    mix += [f"/{('kk', 'ru', 'en')[n % 3]}/news/{slug}/" for n, slug in enumerate(articles)]
    mix += [f"/kk/search/?q={quote(word)}", f"/ru/search/?q={quote('врачи')}", "/kk/about/", "/ru/about/astana/"]
    mix += ["/sitemap.xml", "/kk/news/feed/"]
    return {"pages": pages, "mix": mix}


def count_queries(pages: dict) -> dict[str, int]:
    """SQL queries of each page, rendered in this process with Redis and without the page cache (second request:
    what the application caches between requests, the menu or the locales, is warm)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for name, (path, _expected) in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{path} answered {response.status_code} in-process")
        counts[name] = len(queries)
    return counts


def render_costs(pages: dict, repeat: int = 15) -> dict[str, dict]:
    """Rendering each page in this process, without the page cache: the first render after a publish (every cache
    empty: what the content generation retires) and a render once the fragments are kept; median milliseconds and
    SQL queries of each."""
    import statistics

    from django.db import connection
    from django.test import Client

    from core.cache import bump_generation

    client = Client()
    costs = {}
    first_queries = []

    def count(execute, sql, params, many, context):
        first_queries.append(sql)
        return execute(sql, params, many, context)

    for name, (path, _expected) in pages.items():
        first, warm = [], []
        for _ in range(repeat):
            bump_generation()  # what a publish does
            first_queries.clear()
            began = time.perf_counter()
            with connection.execute_wrapper(count):
                client.get(path)
            first.append(time.perf_counter() - began)
            began = time.perf_counter()
            client.get(path)
            warm.append(time.perf_counter() - began)
        costs[name] = {
            "first_ms": statistics.median(first) * 1000,
            "first_queries": len(first_queries),
            "warm_ms": statistics.median(warm) * 1000,
        }
    return costs


# --- Servers -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    headers = {"User-Agent": "hematology-bench", **(headers or {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own local servers
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{process.args[0]} exited ({process.returncode}); see {log}")
        try:
            if fetch(url)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"{url} did not answer within {seconds:.0f} s; see {log}")


class Servers:
    """The processes started by the benchmark, stopped however it ends."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []

    def start(self, command: list[str], log: Path, **kwargs) -> subprocess.Popen:
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT, **kwargs
            )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self) -> None:
        for process in list(self.processes):
            self.stop(process)


def flush_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis is not reachable at {REDIS_URL}: {error}") from error


def start_gunicorn(servers: Servers, run: Path, static_root: Path, page_cache_seconds: int, name: str):
    flush_redis()
    port = free_port()
    log = run / f"gunicorn-{name}.log"
    env = {**os.environ, **server_environment(static_root), "PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    process = servers.start(
        [
            str(PYTHON_BIN / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        log,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/healthz", process, log)
    return process, base


def check_pages(base: str, pages: dict, label: str) -> dict[str, str]:
    """Every page answers 200 with the content it must show (the numbers are of real pages); returns the HTML."""
    html = {}
    for name, (path, expected) in pages.items():
        status, _headers, body = fetch(base + path)
        missing = [text for text in expected if text not in body]
        if status != 200 or missing:
            raise BenchError(f"{label}: {path} answered {status}" + (f", without {missing}" if missing else ""))
        html[name] = body
    return html


def cache_header(base: str, path: str, header: str) -> str:
    fetch(base + path)
    return fetch(base + path)[1].get(header, "(none)")


def check_micro_cache(proxy: str, path: str) -> list[str]:
    """What the shipped configuration promises: anonymous pages from the micro-cache, never for a signed-in editor,
    never for the health checks."""
    problems = []
    status = cache_header(proxy, path, "X-Cache-Status")
    if status not in {"HIT", "UPDATING", "STALE"}:
        problems.append(f"nginx's micro-cache did not answer a repeated request (X-Cache-Status: {status}).")
    status = fetch(proxy + path, {"Cookie": "sessionid=bench"})[1].get("X-Cache-Status")
    if status != "BYPASS":
        problems.append(f"a request with a session cookie was not passed to the app (X-Cache-Status: {status}).")
    status = fetch(proxy + "/healthz")[1].get("X-Cache-Status")
    if status is not None:
        problems.append(f"/healthz went through the micro-cache (X-Cache-Status: {status}).")
    return problems


def measure(base: str, pages: dict, label: str, results: dict, key: str) -> None:
    for name, (path, _expected) in pages.items():
        loadgen.run(base + path, 1, connections=8, threads=THREADS)  # warm-up, not counted
        result = loadgen.run(base + path, DURATION, connections=CONNECTIONS, threads=THREADS)
        results[key][name] = result
        say(
            f"  {label:15} {name:11} {result['rps']:9.1f} req/s   p50 {fmt_ms(result['p50']):>9}   "
            f"p99 {fmt_ms(result['p99']):>9}   errors {result['errors']}"
        )


def save_html(html_root: Path, pages: dict, html: dict[str, str]) -> None:
    for name, (path, _expected) in pages.items():
        target = html_root / urlsplit(path).path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html[name], encoding="utf-8")


# --- Report ------------------------------------------------------------------------------------------------------


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def versions(site: dict) -> dict[str, str]:
    import django
    import gunicorn
    import wagtail

    nginx = subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True).stderr.strip()
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    cpu = models[0] if models else platform.processor() or "unknown"
    return {
        "CPU": f"{os.cpu_count()} cores, {cpu}",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "Wagtail": wagtail.__version__,
        "gunicorn": gunicorn.__version__,
        "PostgreSQL": site["postgres"],
        "nginx": nginx.split("/", 1)[-1],
        "wrk": wrk[0].split()[1] if wrk else "?",
    }


def targets(results: dict, soak: dict) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met: True, False, or None when this run cannot tell)."""
    rows = []
    for name in ("article", "news index"):
        rps = results["uncached"][name]["rps"]
        rows.append((f"uncached {name} ≥ {TARGET_UNCACHED} req/s", f"{rps:.0f} req/s", rps >= TARGET_UNCACHED))
    slowest = min(results["cached"], key=lambda name: results["cached"][name]["rps"])
    rps = results["cached"][slowest]["rps"]
    rows.append(
        (f"cached pages through the app ≥ {TARGET_CACHED} req/s", f"{rps:.0f} req/s ({slowest})", rps >= TARGET_CACHED)
    )
    shares = {name: results["proxy"][name]["rps"] / max(results["static"][name]["rps"], 1) for name in results["proxy"]}
    worst = min(shares, key=shares.get)
    rows.append(
        (
            f"through the shipped nginx ≥ {TARGET_PROXY_SHARE:.0%} of nginx's static figure",
            f"{shares[worst]:.0%} ({worst})",
            shares[worst] >= TARGET_PROXY_SHARE,
        )
    )
    rows.append(
        (
            f"{CONNECTIONS} connections for 60 s without an error",
            f"{soak['errors']} errors in {soak['requests']} requests ({SOAK_DURATION} s)",
            None if soak["errors"] == 0 and SOAK_DURATION < 60 else soak["errors"] == 0,
        )
    )
    return rows


def verdict(ok: bool | None) -> str:
    return "pass" if ok else "FAIL" if ok is False else "not measured (shorter soak)"


def table(results: dict, queries: dict) -> list[str]:
    lines = [
        "| page | queries | run | req/s | p50 | p99 | errors |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name in queries:
        for key, label in RUNS:
            result = results[key][name]
            lines.append(
                f"| {name} | {queries[name] if key == 'uncached' else ''} | {label} | {result['rps']:,.0f} | "
                f"{fmt_ms(result['p50'])} | {fmt_ms(result['p99'])} | {result['errors']} |"
            )
    return lines


def write_report(
    site: dict, pages: dict, results: dict, queries: dict, costs: dict, soak: dict, notes: list[str]
) -> str:
    generation = site["generation"]
    made = (
        f"generated in {generation.get('pages_seconds', 0):.1f} s (pages) + "
        f"{generation.get('images_seconds', 0):.1f} s (6 images and their renditions) + "
        f"{generation.get('index_seconds', 0):.1f} s (renditions check, search index); "
        f"demo {generation.get('demo_seconds', 0):.1f} s"
    )
    when = f", on {generation['date']}" if generation.get("date") else ""
    command = (
        "make bench"
        if DURATION == 30 and SOAK_DURATION == 60
        else (
            f"BENCH_DURATION={DURATION} "
            + (f"BENCH_SOAK_DURATION={SOAK_DURATION} " if SOAK_DURATION != 60 else "")
            + "make bench"
        )
    )
    target_rows = targets(results, soak)
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); run it again to refresh this page. What it does: the production",
        "settings on PostgreSQL, gunicorn with 2 sync workers, Redis, and the shipped nginx configuration",
        "(deploy/nginx), loaded by wrk with 64 connections and 2 threads on the same machine (so wrk, nginx, gunicorn,",
        "PostgreSQL and Redis share its cores).",
        "",
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        *(f"- {name}: {value}" for name, value in versions(site).items()),
        f"- Load average (1 min) at the start: {LOAD_BEFORE:.2f}; after: {os.getloadavg()[0]:.2f} "
        "(anything else running on the machine lowers the figures)",
        f"- Command: `{command}` ({DURATION} s per page and run, {SOAK_DURATION} s soak)",
        f"- Site: {site['pages']} pages ({ARTICLES} generated news articles in each of kk, ru and en, each with a "
        f"gallery of 4 photos, plus the demo), {site['images']} images, {site['renditions']} renditions, "
        f"{site['search_entries']} search entries; {made}{when}"
        + (" (reused by this run)" if generation.get("reused") else ""),
        "",
        "## Results",
        "",
        "Pages: " + ", ".join(f"{name} `{unquote(path)}`" for name, (path, _expected) in pages.items()) + ".",
        "",
        "- **uncached app**: gunicorn, `PAGE_CACHE_SECONDS=0`: every request is routed and rendered; what the",
        "  application keeps until the next publish (the menu, the languages, the rendered article body and news",
        "  list: core.cache, `{% fragment %}`) comes from the worker's memory or Redis, as for every visitor after the",
        "  first since the last publish. The first render after a publish is in the next table.",
        "- **cached app**: gunicorn, `PAGE_CACHE_SECONDS=600`: anonymous pages from the application's page cache",
        "  (Redis).",
        "- **cached + nginx**: the same gunicorn behind deploy/nginx (1 s micro-cache), as shipped, over plain HTTP.",
        "- **static nginx**: the same HTML saved to files and sent by nginx from disk: the ceiling.",
        "- **queries**: SQL queries of one request of the page, uncached, measured in-process (second request).",
        "- **errors**: socket errors (connect, read, write, timeout over 10 s) plus responses other than 2xx/3xx.",
        "",
        *table(results, queries),
        "",
        "Rendering one page in-process (median of 15), the first time after a publish (every cached fragment",
        "retired, as `bump_generation` does) and once its fragments are kept:",
        "",
        "| page | first render | its queries | fragments kept |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {cost['first_ms']:.1f} ms | {cost['first_queries']} | {cost['warm_ms']:.1f} ms |"
            for name, cost in costs.items()
        ),
        "",
        f"Soak: {CONNECTIONS} connections for {SOAK_DURATION} s on a mix of {len(soak['mix'])} pages (3 languages,"
        " home, news index and its pages, 36 articles, searches, about, sitemap, feed) through the cached app:",
        f"{soak['rps']:,.0f} req/s, p50 {fmt_ms(soak['p50'])}, p99 {fmt_ms(soak['p99'])}, {soak['errors']} errors "
        f"({soak['socket_detail'] or 'no socket errors'}; {soak['http_errors']} responses other than 2xx/3xx).",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *(f"| {target} | {measured} | {verdict(ok)} |" for target, measured, ok in target_rows),
        "",
    ]
    if notes:
        lines += ["## Notes", "", *(f"- {note}" for note in notes), ""]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    return "\n".join(lines)


# --- Main --------------------------------------------------------------------------------------------------------


def main() -> int:
    global LOAD_BEFORE
    LOAD_BEFORE = os.getloadavg()[0]
    began = time.perf_counter()
    ensure_tools()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_database()
    for old in WORK.glob("run-*"):  # the previous runs' logs and static files
        shutil.rmtree(old, ignore_errors=True)
    run = Path(tempfile.mkdtemp(prefix="run-", dir=WORK))
    static_root = run / "static"
    say(f"Benchmark: {DURATION} s per page and run, soak {SOAK_DURATION} s; logs in {run}")
    flush_redis()
    setup_django(static_root)
    site = prepare_site(static_root)
    chosen = choose_pages()
    pages = chosen["pages"]
    queries = count_queries(pages)
    say("Queries per page: " + ", ".join(f"{name} {count}" for name, count in queries.items()))
    costs = render_costs(pages)
    say(
        "Render in-process (first after a publish / fragments kept): "
        + ", ".join(
            f"{name} {cost['first_ms']:.1f} ms ({cost['first_queries']} queries) / {cost['warm_ms']:.1f} ms"
            for name, cost in costs.items()
        )
    )

    servers = Servers()
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    results = {key: {} for key, _label in RUNS}
    notes = []
    try:
        say("Uncached app (PAGE_CACHE_SECONDS=0):")
        app, base = start_gunicorn(servers, run, static_root, 0, "uncached")
        html = check_pages(base, pages, "uncached app")
        measure(base, pages, "uncached app", results, "uncached")
        servers.stop(app)

        html_root = run / "html"
        save_html(html_root, pages, html)
        say("Cached app (PAGE_CACHE_SECONDS=600):")
        app, base = start_gunicorn(servers, run, static_root, 600, "cached")
        check_pages(base, pages, "cached app")
        app_cache = cache_header(base, pages["article"][0], "X-Cache")
        if app_cache != "HIT":
            notes.append(f"The application's page cache did not answer (X-Cache: {app_cache}): cached = uncached.")
            say(f"  note: {notes[-1]}")
        measure(base, pages, "cached app", results, "cached")

        prefix = run / "nginx"
        proxy_port, static_port = free_port(), free_port()
        conf = nginx_render.render(
            prefix,
            app_port=int(urlsplit(base).port),
            proxy_port=proxy_port,
            static_port=static_port,
            static_root=static_root,
            media_root=WORK / "media",
            html=html_root,
        )
        log = prefix / "logs" / "error.log"
        nginx = servers.start([nginx_binary(), "-c", str(conf), "-p", str(prefix), "-e", str(log)], run / "nginx.log")
        proxy, static = f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{static_port}"
        wait_until_up(f"{static}/kk/", nginx, log)
        say("Cached app through the shipped nginx configuration (deploy/nginx):")
        check_pages(proxy, pages, "nginx proxy")
        for problem in check_micro_cache(proxy, pages["article"][0]):
            notes.append(problem)
            say(f"  WARNING: {problem}")
        measure(proxy, pages, "cached + nginx", results, "proxy")
        say("Static reference (the same HTML from disk):")
        check_pages(static, pages, "static nginx")
        measure(static, pages, "static nginx", results, "static")
        servers.stop(nginx)

        say(f"Soak: {CONNECTIONS} connections for {SOAK_DURATION} s on {len(chosen['mix'])} pages (cached app)…")
        for path in chosen["mix"]:
            status = fetch(base + path)[0]
            if status != 200:
                raise BenchError(f"soak mix: {path} answered {status}")
        script = loadgen.rotation_script(run / "mix.lua", chosen["mix"])
        soak = loadgen.run(base + "/kk/", SOAK_DURATION, connections=CONNECTIONS, threads=THREADS, script=script)
        soak["mix"] = chosen["mix"]
        say(
            f"  soak {soak['rps']:.1f} req/s, p50 {fmt_ms(soak['p50'])}, p99 {fmt_ms(soak['p99'])}, "
            f"errors {soak['errors']} ({soak['socket_detail'] or 'no socket errors'}; "
            f"{soak['http_errors']} responses other than 2xx/3xx)"
        )
    finally:
        servers.stop_all()

    report = write_report(site, pages, results, queries, costs, soak, notes)
    say("")
    say(report)
    say(f"Written to {REPORT.relative_to(ROOT)} in {time.perf_counter() - began:.0f} s. Logs: {run}")
    failed = [target for target, _measured, ok in targets(results, soak) if ok is False]
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"make bench: {error}", file=sys.stderr)
        sys.exit(2)
