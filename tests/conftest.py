"""Shared fixtures: a test database holding Sumatera Barat's real regions and the Agam demo world.

The world is built once per test session (like Zulip's named fixture users) and every test runs in a
rolled-back transaction on top of it; unit tests that need their own rows use the factories.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from ilp.demo.seed import seed_demo
from ilp.regions.loader import load_regions

_TESTS = Path(__file__).parent
# Tests under these folders share one expensive fixture and run on one pytest-xdist worker together.
_SHARED = {"e2e": "e2e", "demo/world": "demo-world"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Unique node ids, and groups for `pytest -n N --dist loadgroup` (the Makefile's `make test`): each test
    file runs whole on one worker, so its module-scoped fixtures are built once, and the folders in `_SHARED`
    run whole on one worker, so the served ILP of the browser tests and the demo world are built once."""
    for item in items:
        # Schemathesis gives its one test per API operation the same node id ("[GET /api/...]" is only in the
        # name); pytest-xdist schedules by node id and would run only one of them.
        if not item.nodeid.endswith("]") and item.name.startswith(item.nodeid.rsplit("::", 1)[-1] + "["):
            item._nodeid = item.nodeid.rsplit("::", 1)[0] + "::" + item.name
        if item.get_closest_marker("xdist_group"):
            continue
        try:
            rel = item.path.relative_to(_TESTS).as_posix()
        except ValueError:  # the tests beside the code, under ilp/
            rel = item.path.as_posix()
        group = next((name for folder, name in _SHARED.items() if rel.startswith(folder + "/")), rel)
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions(provinces=["13"])
        seed_demo(seed=2026)
        call_command("axes_reset", verbosity=0)


@pytest.fixture
def users(db):
    """The demo users by username."""
    from ilp.accounts.models import User

    return {u.username: u for u in User.objects.select_related("facility", "region")}


@pytest.fixture
def client_as(client, users):
    """A test client logged in as the named demo user."""

    def _login(username):
        client.force_login(users[username])
        return client

    return _login


@pytest.fixture
def english_pages(client):
    """The test client reads the pages in English, so tests assert the msgids whatever the Indonesian catalogue
    says (`pytestmark = pytest.mark.usefixtures("english_pages")`)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
