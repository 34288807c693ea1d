import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def cadre(county_layout):
    return UserFactory(username="cadre", role="township", township=county_layout["townships"][0])


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_chinese(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page


def test_pages_require_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_succeeds_with_right_password(client, cadre):
    response = _login(client, "cadre", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_lockout_after_five_failures_even_with_right_password(client, cadre):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "cadre", "wrong-password").status_code == 200
    assert _login(client, "cadre", "wrong-password").status_code == 429
    locked = _login(client, "cadre", PASSWORD)
    assert locked.status_code == 429
    assert "已锁定" in locked.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_csrf_is_enforced_on_forms(cadre):
    strict = Client(enforce_csrf_checks=True)
    assert _login(strict, "cadre", PASSWORD).status_code == 403


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed(cadre):
    cadre.refresh_from_db()
    assert identify_hasher(cadre.password) is not None
    assert PASSWORD not in cadre.password
    assert cadre.check_password(PASSWORD)


def test_logout_is_a_post(client, cadre):
    client.force_login(cadre)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
