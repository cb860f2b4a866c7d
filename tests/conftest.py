"""Shared fixtures: a test database holding Sumatera Barat's real regions and the Agam demo world.

The world is built once per test session (like Zulip's named fixture users) and every test runs in a
rolled-back transaction on top of it; unit tests that need their own rows use the factories.
"""

import pytest
from django.core.management import call_command

from ilp.demo.seed import seed_demo
from ilp.regions.loader import load_regions


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
