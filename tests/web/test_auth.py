"""Logging in and out, the lockout after repeated failures, anonymous redirects and the language switch."""

import pytest
from django.urls import reverse

from ilp.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

PAGES = ("/", "/wilayah/", "/wilayah/13.06/", "/fasilitas/", "/jejaring/", "/tenaga-kesehatan/", "/kader/")


def test_login_page_renders_the_standard_fields(client):
    # when
    response = client.get("/masuk/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body
    assert 'name="password"' in body
    assert '<html lang="id"' in body
    assert "web/login.html" in [t.name for t in response.templates]


def test_a_wrong_password_shows_an_error_and_logs_no_one_in(client):
    # when
    response = client.post("/masuk/", {"username": "kapus.maninjau", "password": "salah-sandi"})
    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'id="login-error"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, object_id="kapus.maninjau").exists()


def test_the_right_password_lands_on_the_home_page(client):
    # when
    response = client.post("/masuk/", {"username": "pustu.bayua", "password": "ilp-demo-2026"})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_the_login_returns_to_the_page_asked_for(client):
    # when
    response = client.post("/masuk/?next=/kader/", {"username": "pustu.bayua", "password": "ilp-demo-2026"})
    # then
    assert response["Location"] == "/kader/"


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    # when
    response = client.get(path)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")


def test_five_failures_lock_the_login_with_a_friendly_page(client):
    # given
    for _ in range(4):
        assert client.post("/masuk/", {"username": "kader.bayua", "password": "x"}).status_code == 200
    # when
    response = client.post("/masuk/", {"username": "kader.bayua", "password": "x"})
    # then
    assert response.status_code == 429
    assert "web/lockout.html" in [t.name for t in response.templates]
    assert 'id="lockout"' in response.content.decode()
    # and even the right password is refused while locked
    locked = client.post("/masuk/", {"username": "kader.bayua", "password": "ilp-demo-2026"})
    assert locked.status_code == 429


def test_logout_is_a_post_and_ends_the_session(client_as):
    # given
    client = client_as("kapus.maninjau")
    # when
    refused = client.get("/keluar/")
    response = client.post("/keluar/")
    # then
    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")
    assert client.get("/").status_code == 302


def test_every_page_has_a_logout_form_and_the_language_switcher(client_as):
    # given
    client = client_as("pustu.bayua")
    # when
    body = client.get("/").content.decode()
    # then
    assert 'action="/keluar/"' in body
    assert 'action="/i18n/setlang/"' in body
    assert 'name="language" value="en"' in body
    assert 'name="language" value="id"' in body


def test_switching_to_english_changes_the_page_language(client_as):
    # given
    client = client_as("pustu.bayua")
    # when
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/wilayah/"})
    page = client.get("/wilayah/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/wilayah/"
    assert '<html lang="en"' in page.content.decode()
    assert "Regions" in page.content.decode()


def test_logged_in_users_skip_the_login_page(client_as):
    # when
    response = client_as("kader.bayua").get("/masuk/")
    # then
    assert response.status_code == 302
