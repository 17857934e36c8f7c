import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from hienmau.accounts.models import ApiToken
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _no_failures_from_earlier_tests():
    # Counters live in the cache, which outlives each test's rolled-back database (and
    # a rolled-back account's id is given again to the next test's account).
    cache.clear()
    yield
    cache.clear()


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_username_or_email_in_any_case(client, coordinator):
    assert login(client, "coordinator").status_code == 302
    client.logout()
    response = login(client, "COORDINATOR@example.vn")
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_says_so_in_vietnamese(client, coordinator):
    response = login(client, "coordinator", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập/e-mail hoặc mật khẩu không đúng." in response.text


@override_settings(LOGIN_FAILURES_PER_USERNAME=3)
def test_guessing_locks_the_account_even_for_the_right_password(client, coordinator):
    for _attempt in range(3):
        login(client, "coordinator", "doan-mo-1234")
    response = login(client, "Coordinator")
    assert response.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in response.text
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURES_PER_USERNAME=100, LOGIN_FAILURES_PER_IP=4)
def test_one_machine_guessing_many_accounts_is_stopped(client, coordinator):
    for name in ["a", "b", "c", "d"]:
        login(client, name, "doan-mo-1234")
    assert "Đăng nhập sai quá nhiều lần" in login(client, "coordinator").text


def test_logout_is_a_post(client_for, coordinator):
    client = client_for(coordinator)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_token_is_shown_once_and_can_be_revoked(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("accounts:profile"), {"name": "Phần mềm công ty"})
    raw = response.context["new_key"]
    assert raw.startswith("hm_") and raw in response.text
    assert raw not in client.get(reverse("accounts:profile")).text
    token = ApiToken.objects.get(user=coordinator)
    assert ApiToken.authenticate(raw) == coordinator
    client.post(reverse("accounts:revoke_token", kwargs={"pk": token.pk}))
    assert ApiToken.authenticate(raw) is None


def test_users_cannot_revoke_each_others_tokens(client_for, coordinator, outsider):
    token, raw = ApiToken.issue(coordinator, "x")
    response = client_for(outsider).post(reverse("accounts:revoke_token", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    assert ApiToken.authenticate(raw) == coordinator


def test_password_change_uses_the_validators(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "123456", "new_password2": "123456"})
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "giot-mau-hong-2025",
        "new_password2": "giot-mau-hong-2025"})
    assert response.status_code == 302


@override_settings(LOGIN_FAILURES_PER_USERNAME=3, LOGIN_FAILURES_PER_IP=100)
def test_guessing_by_username_locks_the_account_also_by_email(client, coordinator):
    for attempt in range(3):
        # Alternating the two identifiers of one account does not double the tries.
        login(client, "coordinator" if attempt % 2 else "Coordinator@Example.vn", "doan-mo-1234")
    for identifier in ["coordinator@example.vn", "COORDINATOR"]:
        response = login(client, identifier)
        assert "Đăng nhập sai quá nhiều lần" in response.text
        assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURES_PER_USERNAME=3, LOGIN_FAILURES_PER_IP=100)
def test_an_unknown_name_locks_like_an_account(client, coordinator):
    for _attempt in range(3):
        login(client, "khong-co-ai", "doan-mo-1234")
    # Same answer as for an existing account: the lockout reveals no account's existence.
    assert "Đăng nhập sai quá nhiều lần" in login(client, " KHONG-CO-AI ").text
    assert login(client, "coordinator").status_code == 302
