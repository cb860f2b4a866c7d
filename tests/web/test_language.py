"""Bahasa Indonesia by default, whatever the phone's language; English when the user picks it."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_english_phone_still_gets_indonesian_pages(client):
    # when
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # then
    assert '<html lang="id"' in response.content.decode()


def test_the_switcher_choice_wins_and_is_remembered(client_as):
    # given
    client = client_as("kader.bayua")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    # when
    english = client.get("/kader/", HTTP_ACCEPT_LANGUAGE="id")
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    indonesian = client.get("/kader/")
    # then
    assert '<html lang="en"' in english.content.decode()
    assert 'aria-pressed="true">English' in english.content.decode()
    assert '<html lang="id"' in indonesian.content.decode()
