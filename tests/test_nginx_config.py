"""The nginx configuration shipped in deploy/nginx: nginx accepts it (as `make bench` renders it, and the production
server with a throw-away certificate), its micro-cache never serves or keeps a signed-in editor's pages, and, run in
front of a stand-in application, it shows a publish on the first request after its one second, keeping old copies
only for when the application fails."""

import http.server
import importlib.util
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")


def nginx_render():
    spec = importlib.util.spec_from_file_location("nginx_render", ROOT / "scripts" / "bench" / "nginx_render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nginx_test(conf: Path, prefix: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-q", "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@needs_nginx
def test_benchmark_configuration_passes_nginx_test(tmp_path):
    conf = nginx_render().render(
        tmp_path / "nginx",
        app_port=18000,
        proxy_port=18001,
        static_port=18002,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        html=tmp_path / "html",
    )
    text = conf.read_text()
    # The shipped snippets themselves, with only folders and ports replaced.
    assert "hematology-upstream.conf" in text and "hematology-locations.conf" in text
    result = nginx_test(conf, tmp_path / "nginx")
    assert result.returncode == 0, result.stderr


@needs_nginx
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a throw-away certificate")
def test_production_configuration_passes_nginx_test(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hematology.example.kz"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        capture_output=True,
        check=True,
        timeout=60,
    )
    for name in ("hematology-upstream.conf", "hematology-locations.conf"):
        text = (DEPLOY / name).read_text().replace("/var/cache/nginx/hematology", str(tmp_path / "cache"))
        (tmp_path / name).write_text(text)
    site = (DEPLOY / "hematology.conf").read_text()
    site = site.replace("include snippets/", f"include {tmp_path}/")
    site = site.replace("/etc/letsencrypt/live/hematology.example.kz/", f"{tmp_path}/")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "hematology.conf").write_text(site)
    temp = "\n".join(f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\n{temp}\ninclude {tmp_path / 'hematology.conf'};\n}}\n"
    )
    result = nginx_test(conf, tmp_path)
    assert result.returncode == 0, result.stderr


def test_micro_cache_is_bypassed_for_signed_in_editors():
    upstream = (DEPLOY / "hematology-upstream.conf").read_text()
    locations = (DEPLOY / "hematology-locations.conf").read_text()
    # Django's session cookie (SESSION_COOKIE_NAME) marks a signed-in editor...
    assert re.search(r"map \$cookie_sessionid \$hematology_signed_in\b", upstream)
    # ...whose requests skip the cache and whose responses are never stored.
    assert "proxy_cache_bypass $hematology_signed_in;" in locations
    assert re.search(r"proxy_no_cache \$hematology_signed_in\b", locations)
    # Only the catch-all location caches: the admin, documents and health checks never do.
    cached = re.findall(r"location ([^{]+)\{(?:[^{}]*)proxy_cache hematology_pages;", locations)
    assert [where.strip() for where in cached] == ["/"]
    for uncached in ("/admin/", "/django-admin/", "/documents/", "= /healthz", "= /readyz"):
        assert f"location {uncached} {{" in locations


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeApplication(http.server.ThreadingHTTPServer):
    """A stand-in for gunicorn: answers every page with the current text ("before the publish", then "after"), or
    with a 500 when `failing`, as the application marks public pages (Cache-Control: public). It counts the
    requests that reach it (`hits`) and holds each one until `gate` is open (a slow render)."""

    def __init__(self, port: int):
        self.text, self.failing, self.hits, self.gate = "before the publish", False, 0, threading.Event()
        self.gate.set()
        application = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                application.hits += 1
                text = application.text
                application.gate.wait(timeout=30)
                body = f"<p>{text}</p>".encode()
                self.send_response(500 if application.failing else 200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "public, max-age=60, s-maxage=300, stale-while-revalidate=60")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", port), Handler)


@pytest.fixture
def nginx_in_front(tmp_path):
    """The shipped snippets (as `make bench` renders them) running in nginx in front of FakeApplication; yields
    (application, get) where get(path) -> (X-Cache-Status, body) of a visitor's request through nginx."""
    app_port, proxy_port, static_port = free_port(), free_port(), free_port()
    application = FakeApplication(app_port)
    threading.Thread(target=application.serve_forever, daemon=True).start()
    for folder in ("static", "media", "html"):
        (tmp_path / folder).mkdir()
    conf = nginx_render().render(
        tmp_path / "nginx",
        app_port=app_port,
        proxy_port=proxy_port,
        static_port=static_port,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        html=tmp_path / "html",
    )
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(tmp_path / "nginx"), "-e", str(tmp_path / "nginx" / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def get(path: str) -> tuple[str, str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{proxy_port}{path}", timeout=10) as response:
            return response.headers["X-Cache-Status"], response.read().decode()

    try:
        for _ in range(100):  # until nginx listens
            try:
                socket.create_connection(("127.0.0.1", proxy_port), timeout=1).close()
                break
            except OSError:
                assert nginx.poll() is None, nginx.stderr.read().decode()
                time.sleep(0.05)
        yield application, get
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        application.gate.set()
        application.shutdown()
        application.server_close()


@needs_nginx
def test_a_publish_shows_on_the_first_request_after_the_micro_cache_second(nginx_in_front):
    application, get = nginx_in_front
    assert get("/kk/news/") == ("MISS", "<p>before the publish</p>")
    assert get("/kk/news/") == ("HIT", "<p>before the publish</p>")  # the micro-cache at work
    application.text = "after the publish"
    time.sleep(2.1)  # the micro-cache's second: nginx counts whole seconds, so a copy lasts from 1 to 2 seconds
    # Not the old copy while nginx fetches a new one in the background (STALE): the new page, at once.
    assert get("/kk/news/") == ("EXPIRED", "<p>after the publish</p>")
    assert get("/kk/news/") == ("HIT", "<p>after the publish</p>")


@needs_nginx
def test_a_crowd_at_an_expired_page_sends_one_request_and_the_first_visitor_gets_the_new_page(nginx_in_front):
    application, get = nginx_in_front
    assert get("/en/news/") == ("MISS", "<p>before the publish</p>")
    application.text = "after the publish"
    application.gate.clear()  # the new page takes a while to render
    time.sleep(2.1)
    first = {}
    visitor = threading.Thread(target=lambda: first.update(answer=get("/en/news/")))
    visitor.start()
    for _ in range(600):  # until the first visitor's request reaches the application
        if application.hits == 2:
            break
        time.sleep(0.05)
    # Meanwhile a crowd: answered at once from the previous copy, without reaching the application.
    crowd = [get("/en/news/") for _ in range(10)]
    application.gate.set()
    visitor.join(timeout=30)
    assert crowd == [("UPDATING", "<p>before the publish</p>")] * 10
    assert first["answer"] == ("EXPIRED", "<p>after the publish</p>")
    assert application.hits == 2
    assert get("/en/news/") == ("HIT", "<p>after the publish</p>")


@needs_nginx
def test_while_the_application_fails_visitors_get_the_last_copy(nginx_in_front):
    application, get = nginx_in_front
    assert get("/ru/about/") == ("MISS", "<p>before the publish</p>")
    application.failing = True
    time.sleep(2.1)
    assert get("/ru/about/") == ("STALE", "<p>before the publish</p>")
