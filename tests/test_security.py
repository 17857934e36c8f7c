"""In production, behind a reverse proxy: client addresses only as the trusted proxies
vouch for them, a strict Content-Security-Policy, and `check --deploy` clean with the
documented variables."""

import os
import re
import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

import hienmau
from hienmau import ratelimit
from hienmau.env import env_proxies
from tests.conftest import PASSWORD

REPOSITORY = Path(hienmau.__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def request(remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


# --- Client addresses -------------------------------------------------------------------


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_the_address_it_saw(settings):
    settings.TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    # What the client wrote itself comes before that, and is not believed.
    assert ratelimit.client_ip(request("10.0.0.2", "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    settings.TRUSTED_PROXIES = 2
    assert ratelimit.client_ip(
        request("10.0.0.3", "198.51.100.1, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_trusted_proxies_by_address(settings):
    settings.TRUSTED_PROXIES = (ip_network("10.0.0.0/8"),)
    assert ratelimit.client_ip(
        request("10.0.0.3", "198.51.100.1, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    # A client reaching the app directly (not through the proxy) is itself.
    assert ratelimit.client_ip(request("203.0.113.7", "10.1.1.1")) == "203.0.113.7"


def test_a_proxy_writing_no_address_counts_as_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request("10.0.0.2", "unknown")) == "10.0.0.2"


def test_the_trusted_proxies_variable_is_read_strictly(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert env_proxies("TRUSTED_PROXIES") == 0
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert env_proxies("TRUSTED_PROXIES") == 2
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12")
    assert env_proxies("TRUSTED_PROXIES") == (ip_network("10.0.0.5/32"),
                                              ip_network("172.16.0.0/12"))
    monkeypatch.setenv("TRUSTED_PROXIES", "nginx")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_proxies("TRUSTED_PROXIES")


def login(client, username, forwarded, password="doan-mo-1234"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_a_proxy_one_guessing_machine_does_not_lock_out_everyone(
        client, coordinator, settings):
    settings.TRUSTED_PROXIES = 1
    settings.LOGIN_FAILURES_PER_USERNAME = 100
    settings.LOGIN_FAILURES_PER_IP = 3
    for name in ["a", "b", "c"]:
        login(client, name, "203.0.113.9")
    assert "Đăng nhập sai quá nhiều lần" in login(client, "d", "203.0.113.9").text
    # Another office behind the same proxy signs in.
    response = login(client, "coordinator", "198.51.100.20", password=PASSWORD)
    assert response.status_code == 302


def test_without_a_trusted_proxy_a_spoofed_header_does_not_escape_the_lockout(
        client, coordinator, settings):
    settings.TRUSTED_PROXIES = 0
    settings.LOGIN_FAILURES_PER_USERNAME = 100
    settings.LOGIN_FAILURES_PER_IP = 3
    for number, name in enumerate(["a", "b", "c"]):
        login(client, name, f"203.0.113.{number}")
    response = login(client, "coordinator", "198.51.100.20", password=PASSWORD)
    assert "Đăng nhập sai quá nhiều lần" in response.text
    assert "_auth_user_id" not in client.session


# --- Content-Security-Policy ------------------------------------------------------------


def test_every_page_sends_a_strict_content_security_policy(client, coordinator):
    for url in [reverse("accounts:login"), reverse("drives:public_drives")]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy and "http" not in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute (onclick=…)"),
    (re.compile(r"\shx-on[:\-]", re.I), "hx-on handler (evaluated as script)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I), "resource from outside"),
]


def test_no_template_holds_inline_script_style_or_handler():
    """The policy refuses them: each would silently stop working in the browser."""
    found = []
    for path in sorted((REPOSITORY / "src" / "hienmau").rglob("templates/**/*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(REPOSITORY)}:{line}: {what}")
    assert found == []


def test_the_scan_finds_what_it_looks_for():
    sample = ('<form onsubmit="return confirm(1)"><div style="width: 5%"></div>'
              '<button hx-on::click="x()"></button><script>alert(1)</script></form>')
    assert {what for pattern, what in INLINE if pattern.search(sample)} == {
        "inline <script>", "style= attribute", "event handler attribute (onclick=…)",
        "hx-on handler (evaluated as script)"}
    assert not any(pattern.search('<script src="/static/x.js" defer></script>')
                   for pattern, _what in INLINE)


# --- check --deploy ----------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_documented_variables(tmp_path):
    # Not the test run's own settings: the browser tests' conftest allows async-unsafe
    # database access in this process, which a deployment must never set.
    env = {key: value for key, value in os.environ.items()
           if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                          "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "HIENMAU_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-" + "x" * 20,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "hienmau.example.vn",
        "CSRF_TRUSTED_ORIGINS": "https://hienmau.example.vn",
        "SECURE_COOKIES": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "TRUSTED_PROXIES": "1",
        "PYTHONPATH": str(REPOSITORY / "src"),  # this checkout, wherever it is
    })
    result = subprocess.run(
        [sys.executable, "-m", "hienmau", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
