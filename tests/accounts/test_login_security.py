"""Passwords are hashed with Argon2 in production; repeated failures lock the login (django-axes)."""

import pytest
from django.conf import settings
from django.urls import reverse

from config.settings import base

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert base.AUTHENTICATION_BACKENDS[0].startswith("axes.")


def test_login_is_locked_after_repeated_failures_even_with_the_right_password(client):
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "pustu.bayua", "password": "bukan-sandinya"})
    response = client.post(login, {"username": "pustu.bayua", "password": "ilp-demo-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_failure_does_not_lock_and_a_success_resets(client):
    login = reverse("admin:login")
    client.post(login, {"username": "dinkes.agam", "password": "keliru"})
    response = client.post(login, {"username": "dinkes.agam", "password": "ilp-demo-2026"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
