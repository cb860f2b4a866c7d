"""API fixtures: callers by session or HTTP Basic, and the demo facilities by name."""

import base64

import pytest
from django.test import Client

from ilp.demo.seed import DEMO_PASSWORD
from ilp.facilities.models import Facility

ROLES = (
    "dinkes.agam",
    "kapus.maninjau",
    "klaster2.maninjau",
    "pustu.bayua",
    "kader.bayua",
    "walinagari.maninjau",
    "camat.tanjungraya",
)
RSAM = "RSUD Dr. Achmad Mochtar Bukittinggi"


def basic_header(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def basic_client(db):
    """A client that sends HTTP Basic credentials on every request (no session)."""

    def _as(username: str, password: str = DEMO_PASSWORD) -> Client:
        return Client(headers={"Authorization": basic_header(username, password)})

    return _as


@pytest.fixture
def get_json(client_as):
    """GET a path as a user (session); returns (status, body)."""

    def _get(username: str, path: str, **params):
        response = client_as(username).get(path, params)
        return response.status_code, response.json()

    return _get


@pytest.fixture
def facility(db):
    """A demo facility by name."""

    def _get(name: str) -> Facility:
        return Facility.objects.get(name=name)

    return _get


def names(body) -> set[str]:
    return {row["name"] for row in body["items"]}
