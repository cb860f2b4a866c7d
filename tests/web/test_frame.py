"""The page frame: vendored assets, viewport, CSRF for htmx, and the friendly 403/404 pages."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

VENDOR = Path(__file__).resolve().parents[2] / "ilp" / "web" / "static" / "vendor"


def test_the_vendored_assets_are_committed_with_their_licences():
    for name in ("pico.min.css", "htmx.min.js", "pico.LICENSE.md", "htmx.LICENSE", "README.md"):
        assert (VENDOR / name).is_file(), name
    assert "Licensed under MIT" in (VENDOR / "pico.min.css").read_text()[:300]
    assert finders.find("web/ilp.css")


def test_every_page_loads_the_assets_and_sends_the_csrf_token_with_htmx(client_as):
    # when
    body = client_as("kapus.maninjau").get("/").content.decode()
    # then
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert "/static/vendor/pico.min.css" in body
    assert "/static/vendor/htmx.min.js" in body
    assert "/static/web/ilp.css" in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_a_page_outside_the_scope_gets_the_friendly_not_found_page(client_as):
    # when
    response = client_as("kader.bayua").get("/wilayah/13.06.03.2003/")
    # then
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert 'href="/"' in response.content.decode()


def test_a_refused_change_gets_the_friendly_forbidden_page(client_as):
    # when
    response = client_as("camat.tanjungraya").post("/wilayah/13.06.03.2004/unit-baru/", {"name": "X"})
    # then
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
