"""The app behind deploy/nginx-pingyi.conf itself: gunicorn (gunicorn.conf.py, two workers,
Redis, PROXY_FIX_X_FOR=1) and Debian's nginx on loopback with a certificate made here.

nginx runs with its own prefix, pid, logs and temporary folders in a temporary directory; no
system configuration is read or touched except mime.types. Skipped where nginx is absent,
failed under CI."""

import http.client
import io
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Case, db
from tests.appconfig import DATABASE_URL, TMP, redis_fixture, redis_test_url
from tests.factories import form_data, png_bytes
from tests.http_client import Browserish, hidden
from tests.live import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx-pingyi.conf"
REDIS = redis_test_url(0)
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PLACEHOLDER = re.compile(r"\$\{(PINGYI_[A-Z_]+)\}")

redis_db = redis_fixture(REDIS)


@pytest.fixture(scope="module")
def nginx_binary():
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx must be installed under CI (.ci/run installs Debian's nginx)")
        pytest.skip("nginx is not installed; the deployment test needs Debian's nginx")
    return NGINX


def site_config(values):
    """deploy/nginx-pingyi.conf with its ${PINGYI_...} names filled in, and nothing else."""
    source = SITE.read_text()
    assert set(PLACEHOLDER.findall(source)) == set(values)
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], source)


def make_certificate(folder):
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def main_config(folder, site):
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must reach our tmp files
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 128; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n"
            f"  access_log {folder / 'access.log'};\n{temp}\n  include {site};\n}}\n")


def wait_for(check, proc, what):
    for _ in range(150):
        try:
            if check():
                return
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"{what} did not start: {proc.communicate()[1].decode()[-3000:]}")


@pytest.fixture(scope="module")
def stack(app, redis_db, nginx_binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = make_certificate(folder)
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    uploads = TMP / "uploads-nginx"
    env = os.environ | {
        "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS, "RATELIMIT_STORAGE_URI": REDIS,
        "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "2",
        "UPLOAD_FOLDER": str(uploads), "PROXY_FIX_X_FOR": "1",
    }
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                 "app:create_app()"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(lambda: plain(app_port, "/healthz")[0] == 200, gunicorn, "gunicorn")
    site = folder / "pingyi.conf"
    site.write_text(site_config({
        "PINGYI_SERVER_NAME": "127.0.0.1", "PINGYI_HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "PINGYI_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
        "PINGYI_PUBLIC_ORIGIN": f"https://127.0.0.1:{https_port}",
        "PINGYI_TLS_CERT": str(cert), "PINGYI_TLS_KEY": str(key),
        "PINGYI_UPSTREAM": f"127.0.0.1:{app_port}", "PINGYI_STATIC_ROOT": str(ROOT / "static"),
    }))
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site))
    command = [nginx_binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    tls = ssl.create_default_context(cafile=str(cert))
    origin = f"https://127.0.0.1:{https_port}"
    wait_for(lambda: browser(origin, tls).exchange("GET", "/healthz")[0] == 200, nginx, "nginx")
    yield origin, tls, http_port, uploads
    stop_process(nginx)
    stop_process(gunicorn)


def plain(port, path, source="127.0.0.1"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def browser(origin, tls, source="127.0.0.1"):
    """A browser on loopback talking HTTPS to nginx from its own source address."""
    return Browserish(origin, timeout=20, tls=tls, source=source)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                  f"{value}\r\n".encode())
    for name, (filename, data, mime) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                  f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_plain_http_redirects_to_https(stack):
    origin, _tls, http_port, _uploads = stack
    status, headers, _body = plain(http_port, "/file?x=1")
    assert (status, headers["Location"]) == (301, f"{origin}/file?x=1")


def test_static_files_come_from_nginx_with_long_cache(stack):
    client = browser(*stack[:2])
    status, headers, body = client.exchange("GET", "/static/css/site.css")
    assert status == 200
    assert body == (ROOT / "static" / "css" / "site.css").read_text()
    assert headers.get_all("Cache-Control") == ["public, max-age=2592000"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" not in headers  # the app never saw it
    status, headers, _body = client.exchange("GET", "/")
    assert status == 200 and re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_filing_with_an_attachment_goes_through(stack, redis_db, ctx):
    origin, tls, _port, uploads = stack
    citizen = browser(origin, tls)
    status, html = citizen.get("/file")
    assert status == 200
    challenge = hidden(html, "captcha_id")
    fields = form_data(submission_key="nginx-filing-key-abcdef") | {
        "csrf_token": hidden(html, "csrf_token"), "captcha_id": challenge,
        "captcha": redis_db.get(f"pingyi:captcha:{challenge}").decode(), "title": "经由代理的投诉"}
    body, content_type = multipart(fields, {"attachments": ("现场.png", png_bytes(), "image/png")})
    status, _headers, html = citizen.exchange("POST", "/file", body, {
        "Content-Type": content_type, "Referer": f"{origin}/file"})
    assert status == 200, html[:500]
    assert "受理编号" in html
    case = db.session.scalars(select(Case).where(Case.title == "经由代理的投诉")).one()
    (attachment,) = case.attachments
    assert (attachment.original_name, attachment.mime) == ("现场.png", "image/png")
    assert (uploads / attachment.stored_name).is_file()


def test_rate_limits_count_the_real_client_and_a_forged_header_cannot_escape(stack):
    first, second = browser(*stack[:2], "127.0.0.2"), browser(*stack[:2], "127.0.0.3")
    statuses = [first.get("/file")[0] for _ in range(61)]  # FILE_FORM_RATE_LIMIT: 60 a minute
    assert statuses == [200] * 60 + [429]
    forged = [first.request("GET", "/file", headers={"X-Forwarded-For": ip})[0]
              for ip in ("203.0.113.9", "127.0.0.9", "203.0.113.9, 198.51.100.1")]
    assert forged == [429, 429, 429]
    assert second.get("/file")[0] == 200  # another address has its own count


def test_an_oversized_upload_gets_the_apps_own_413_page(stack):
    size = 16 * 1024 * 1024 + 1  # one byte over MAX_CONTENT_LENGTH and client_max_body_size
    status, headers, html = browser(*stack[:2]).exchange("POST", "/file", headers={
        "Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(size)},
        send_body=False)
    assert status == 413
    assert "提交的内容过大：每个附件不超过 5 MB，总计不超过 16 MB。" in html
    assert f'<span class="mono">{headers["X-Request-ID"]}</span>' in html


def test_nginx_limit_matches_max_content_length():
    import config

    assert "client_max_body_size 16m;" in SITE.read_text()
    assert config.Config.MAX_CONTENT_LENGTH == 16 * 1024 * 1024
