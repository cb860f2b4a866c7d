"""Who may call the API: session or HTTP Basic, the same scope either way; 401, 403 and the axes lockout."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from ilp.accounts.models import User
from ilp.api.errors import (
    ERR_LOCKED_OUT,
    ERR_PERSON_LEVEL,
    ERR_UNAUTHENTICATED,
    WWW_AUTHENTICATE,
)
from ilp.core.models import AuditAction, AuditEntry
from ilp.demo.seed import DEMO_PASSWORD
from tests.api.conftest import RSAM, basic_header

pytestmark = pytest.mark.django_db

LIST_PATHS = (
    "/api/regions",
    "/api/regions/13.06/children",
    "/api/facilities",
    "/api/network",
    "/api/workforce/health-workers",
    "/api/workforce/kader",
)


def _all_paths(facility):
    return (*LIST_PATHS, "/api/regions/13.06", f"/api/facilities/{facility('Puskesmas Maninjau').external_id}")


def test_every_endpoint_answers_401_in_json_without_credentials(client, facility):
    # given no session and no Authorization header
    for path in _all_paths(facility):
        # when
        response = client.get(path)
        # then
        assert response.status_code == 401, path
        assert response.json() == {"detail": str(ERR_UNAUTHENTICATED), "field": None}
        assert response["WWW-Authenticate"] == WWW_AUTHENTICATE


def test_basic_auth_works_on_every_endpoint(basic_client, facility):
    # given a script sending the kepala puskesmas' username and password
    script = basic_client("kapus.maninjau")
    # when / then
    for path in _all_paths(facility):
        assert script.get(path).status_code == 200, path


def test_basic_auth_and_session_give_the_same_scope(basic_client, client_as):
    # given the same user through Basic and through a session
    for username in ("pustu.bayua", "dinkes.agam"):
        for path in ("/api/facilities", "/api/regions?level=4", "/api/workforce/kader"):
            # when
            by_basic = basic_client(username).get(path).json()
            by_session = client_as(username).get(path).json()
            # then
            assert by_basic == by_session, (username, path)


def test_basic_auth_with_a_wrong_password_is_refused_and_counted(basic_client):
    # given a wrong password
    script = basic_client("pustu.bayua", "not-the-password")
    # when
    response = script.get("/api/facilities")
    # then it is refused, axes counts the failure and the audit log records it
    assert response.status_code == 401
    assert response.json()["detail"] == str(ERR_UNAUTHENTICATED)
    assert AccessAttempt.objects.get(username="pustu.bayua").failures_since_start == 1
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, object_id="pustu.bayua").exists()


def test_basic_auth_for_an_unknown_user_is_refused(basic_client):
    assert basic_client("nobody", DEMO_PASSWORD).get("/api/regions").status_code == 401


def test_a_malformed_authorization_header_is_refused(db):
    client = Client(headers={"Authorization": "Basic not-base64!"})
    assert client.get("/api/regions").status_code == 401


def test_axes_locks_basic_auth_out_after_the_failure_limit_even_with_the_right_password(basic_client):
    # given as many wrong passwords as the failure limit allows
    wrong = basic_client("kapus.maninjau", "wrong-password")
    statuses = [wrong.get("/api/regions").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    # when the right password follows
    response = basic_client("kapus.maninjau").get("/api/regions")
    # then the lockout holds and is answered in JSON, not with the web lockout page
    assert statuses[:-1] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": str(ERR_LOCKED_OUT), "field": None}


def test_an_inactive_user_is_refused_by_basic_auth(basic_client, users):
    # given a deactivated account
    User.objects.filter(pk=users["pustu.bayua"].pk).update(is_active=False)
    # when / then
    assert basic_client("pustu.bayua").get("/api/facilities").status_code == 401


def test_a_session_get_needs_no_csrf_token(users):
    # given a browser session on a client that enforces CSRF
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["kapus.maninjau"])
    # when / then
    assert browser.get("/api/facilities").status_code == 200


def test_a_valid_session_wins_over_a_wrong_basic_header(users):
    # given a logged-in browser that also sends stale Basic credentials
    browser = Client(headers={"Authorization": basic_header("kapus.maninjau", "stale")})
    browser.force_login(users["kapus.maninjau"])
    # when / then the session authenticates and no failure is counted
    assert browser.get("/api/regions").status_code == 200
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("path", ["/api/workforce/health-workers", "/api/workforce/kader"])
def test_lintas_sektor_gets_403_on_the_lists_of_people(client_as, basic_client, path):
    # given the camat, a cross-sector viewer without person-level access
    for caller in (client_as("camat.tanjungraya"), basic_client("camat.tanjungraya")):
        # when
        response = caller.get(path)
        # then
        assert response.status_code == 403
        assert response.json() == {"detail": str(ERR_PERSON_LEVEL), "field": None}


def test_lintas_sektor_still_reads_regions_facilities_and_the_network(get_json):
    for path in ("/api/regions", "/api/regions/13.06.03", "/api/facilities", "/api/network"):
        status, _body = get_json("camat.tanjungraya", path)
        assert status == 200, path


def test_a_user_without_a_role_reads_nothing(client):
    # given an account that was never bound to a role
    client.force_login(User.objects.create_user(username="tanpa.peran", password=DEMO_PASSWORD))
    # when / then: empty lists, no people, and no region by code
    assert client.get("/api/regions").json()["count"] == 0
    assert client.get("/api/facilities").json()["count"] == 0
    assert client.get("/api/workforce/kader").status_code == 403
    assert client.get("/api/regions/13.06").status_code == 404


def test_a_superuser_reads_everything_including_other_kabupaten(client, facility):
    # given a superuser (no role)
    client.force_login(User.objects.create_superuser(username="root", password=DEMO_PASSWORD))
    # when / then
    assert client.get(f"/api/facilities/{facility(RSAM).external_id}").status_code == 200
    assert client.get("/api/regions/13.75").status_code == 200
