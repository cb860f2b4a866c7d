"""No N+1: a list endpoint's query count does not grow with the rows it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# Queries of one request besides the rows: session, user, the scope (up to 3 for a kepala puskesmas),
# a filter object, count, page, a prefetch, the level labels or a working area.
MAX_QUERIES = 12

# (user, path) pairs that return many rows.
LISTS = [
    ("dinkes.agam", "/api/regions"),
    ("dinkes.agam", "/api/regions/13.06/children"),
    ("dinkes.agam", "/api/facilities"),
    ("kapus.maninjau", "/api/facilities"),
    ("dinkes.agam", "/api/network"),
    ("kapus.maninjau", "/api/workforce/health-workers"),
    ("kapus.maninjau", "/api/workforce/kader"),
    ("pustu.bayua", "/api/workforce/kader"),
]


def _queries(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("username", "path"), LISTS)
def test_query_count_is_the_same_for_one_row_and_for_a_full_page(client_as, username, path):
    # given
    client = client_as(username)
    assert client.get(path, {"page_size": 50}).json()["count"] > 1
    # when
    one = _queries(client, path, page_size=1)
    full = _queries(client, path, page_size=50)
    # then
    assert one == full


@pytest.mark.parametrize(("username", "path"), LISTS)
def test_a_full_page_stays_under_the_query_budget(client_as, django_assert_max_num_queries, username, path):
    client = client_as(username)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(path, {"page_size": 100})


def test_details_stay_under_the_query_budget(client_as, django_assert_max_num_queries, facility):
    client = client_as("kapus.maninjau")
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(f"/api/facilities/{facility('Puskesmas Maninjau').external_id}")
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/api/regions/13.06.03.2003")


def test_basic_auth_and_filters_stay_under_the_query_budget(basic_client, django_assert_max_num_queries, facility):
    # given a script filtering the kader of one posyandu by Basic auth (axes check, user, scope, filter)
    script = basic_client("pustu.bayua")
    posyandu = facility("Pustu Bayua").children.first()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = script.get("/api/workforce/kader", {"posyandu": str(posyandu.external_id)})
    assert response.status_code == 200
