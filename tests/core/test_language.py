"""Bahasa Indonesia by default, whatever the browser asks; English when the user switches."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request leaves its language active on the thread: later tests expect the default one.
    yield
    translation.deactivate()


def test_indonesian_even_when_the_browser_prefers_english(client):
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"


def test_the_switcher_cookie_selects_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    assert client.get("/masuk/").headers["Content-Language"] == "en"
