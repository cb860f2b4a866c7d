"""Helpers for the web tests: the demo world's named places and a query counter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
MANINJAU = "13.06.03.2003"
BAYUA = "13.06.03.2004"
TANJUNG_RAYA = "13.06.03"
AGAM = "13.06"


@pytest.fixture
def facility(db):
    """A demo facility by name."""

    def _get(name):
        return Facility.objects.select_related("region", "parent").get(name=name)

    return _get


@pytest.fixture
def count_queries():
    """How many queries one GET makes (the response is returned too)."""

    def _count(client, url, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries), response

    return _count
