"""The nginx configuration shipped in deploy/nginx: nginx accepts it (as `make bench` renders it, and the production
server with a throw-away certificate), and its micro-cache never serves or keeps a signed-in editor's pages."""

import importlib.util
import re
import shutil
import subprocess
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
