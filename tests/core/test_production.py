"""The production path: DEBUG=false settings, static files, deploy checks, error pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update({"POVERTYCASE_VAR_DIR": str(tmp_path), "DEBUG": "false", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_collectstatic_with_the_manifest_storage(tmp_path):
    result = _manage("collectstatic", "--noinput", env_extra={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    static_root = tmp_path / "staticfiles"
    assert (static_root / "staticfiles.json").exists()
    assert list((static_root / "vendor" / "chartjs").glob("chart.umd.min.*.js.gz"))


@pytest.fixture
def signed_in(client, county_layout):
    client.force_login(UserFactory(username="cmd", role="command"))
    return client


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/raise-400/", 400, "请求有误"),
        ("/raise-403/", 403, "无权访问"),
        ("/no-such-page/", 404, "页面不存在"),
    ],
)
def test_error_pages_are_chinese_in_the_site_layout(signed_in, settings, url, status, title):
    settings.DEBUG = False
    response = signed_in.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert title in page and "返回首页" in page
    assert "main-nav" in page  # the signed-in layout, menu included


@pytest.mark.urls("tests.core.error_urls")
def test_server_error_page_is_chinese(signed_in, settings):
    settings.DEBUG = False
    signed_in.raise_request_exception = False
    response = signed_in.get("/raise-500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器错误" in page and "返回首页" in page


def test_server_error_page_reads_no_database(rf, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and "服务器错误" in response.content.decode()


def test_csrf_failure_page_is_chinese(db, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()


PRODUCTION_ENV = {
    "SECRET_KEY": "x7Qp-2vLr9!kZc3mW8sT0yB4nH6jD1fG5aE_uR2oI9pK7lX3wV",
    "ALLOWED_HOSTS": "fupin.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://fupin.example.gov.cn",
    "PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
}


def test_check_deploy_passes_with_the_production_environment(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_settings_come_from_the_environment(tmp_path):
    env = {**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "600", "SECURE_SSL_REDIRECT": "false"}
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env_extra=env, tmp_path=tmp_path)
    assert (
        result.stdout.strip()
        == "600 False ('HTTP_X_FORWARDED_PROTO', 'https') ['https://fupin.example.gov.cn']"
    )


def test_pages_send_a_content_security_policy(signed_in):
    policy = signed_in.get(reverse("home"))["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"", re.I)


def test_no_template_has_an_inline_script_or_handler():
    templates = [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in templates
        for m in INLINE_SCRIPT.finditer(p.read_text())
    ]
    assert templates and offenders == []


BEHIND_PROXY = {"REMOTE_ADDR": "10.0.0.1"}  # every request reaches Django from the proxy's address


def _login_from(client, address, password):
    return client.post(
        reverse("login"),
        {"username": "cadre", "password": password},
        HTTP_X_FORWARDED_FOR=address,
        **BEHIND_PROXY,
    )


def test_lockout_behind_a_proxy_is_keyed_on_the_forwarded_client(client, county_layout, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    UserFactory(username="cadre", role="township", township=county_layout["townships"][0])
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login_from(client, "203.0.113.7", "wrong").status_code == 200
    assert _login_from(client, "203.0.113.7", "wrong").status_code == 429
    assert _login_from(Client(), "203.0.113.7", PASSWORD).status_code == 429
    assert _login_from(Client(), "198.51.100.9", PASSWORD).status_code == 302
