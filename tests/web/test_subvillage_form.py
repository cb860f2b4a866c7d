"""The form that adds a dusun/jorong, RW or RT under a desa: who gets it, what it creates, what it refuses."""

import pytest
from django.utils import translation
from django.utils.html import escape

from ilp.core.models import AuditAction, AuditEntry
from ilp.regions.models import Level, Region
from ilp.regions.services import ERR_DUPLICATE, ERR_LOCAL_CODE
from tests.web.conftest import BAYUA, MANINJAU, TANJUNG_RAYA

pytestmark = pytest.mark.django_db

EDITORS = ("dinkes.agam", "kapus.maninjau", "klaster2.maninjau", "pustu.bayua")
READERS = ("kader.bayua", "walinagari.maninjau", "camat.tanjungraya")
URL = f"/wilayah/{BAYUA}/unit-baru/"


def _post(client, **data):
    payload = {"level": Level.DUSUN, "name": "Jorong Koto Baru", "local_code": "07"} | data
    return client.post(URL, payload)


@pytest.mark.parametrize("username", EDITORS)
def test_editors_see_the_form_on_a_nagari_page(client_as, username):
    # when
    response = client_as(username).get(f"/wilayah/{BAYUA}/")
    # then
    assert 'id="subvillage-form"' in response.content.decode()
    choices = dict(response.context["form"].fields["level"].choices)
    assert choices == {Level.DUSUN: "Jorong", Level.RW: "RW", Level.RT: "RT"}


@pytest.mark.parametrize("username", ("kader.bayua", "camat.tanjungraya"))
def test_readers_get_no_form(client_as, username):
    # when
    response = client_as(username).get(f"/wilayah/{BAYUA}/")
    # then
    assert response.status_code == 200
    assert "form" not in response.context
    assert 'id="subvillage-form"' not in response.content.decode()


def test_the_pemdes_gets_no_form_on_their_own_nagari(client_as):
    # when
    response = client_as("walinagari.maninjau").get(f"/wilayah/{MANINJAU}/")
    # then
    assert "form" not in response.context


def test_there_is_no_form_above_the_desa(client_as):
    # when
    response = client_as("dinkes.agam").get(f"/wilayah/{TANJUNG_RAYA}/")
    # then
    assert "form" not in response.context


@pytest.mark.parametrize("username", EDITORS)
def test_editors_create_a_jorong_and_it_is_audited(client_as, users, username):
    # when
    response = _post(client_as(username))
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/wilayah/{BAYUA}/"
    unit = Region.objects.get(code=f"{BAYUA}.D07")
    assert unit.name == "Jorong Koto Baru"
    assert unit.level == Level.DUSUN
    assert unit.parent.code == BAYUA
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_type="regions.region", object_id=str(unit.external_id)
    )
    assert entry.actor == users[username]


def test_the_new_unit_appears_under_its_nagari_with_a_message(client_as):
    # given
    client = client_as("pustu.bayua")
    # when
    response = client.post(URL, {"level": Level.DUSUN, "name": "Jorong Sungai", "local_code": "j2"}, follow=True)
    # then
    assert ("Jorong Sungai", "Jorong") in [(r.name, label) for r, label in response.context["children"]]
    assert f"{BAYUA}.DJ2" in response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_an_rt_can_be_added_under_a_new_jorong(client_as):
    # given
    client = client_as("kapus.maninjau")
    _post(client, local_code="08")
    # when
    response = client.post(f"/wilayah/{BAYUA}.D08/unit-baru/", {"level": Level.RT, "name": "RT 1", "local_code": "001"})
    # then
    assert response.status_code == 302
    rt = Region.objects.get(code=f"{BAYUA}.D08.RT001")
    assert rt.parent.code == f"{BAYUA}.D08"
    assert client.get(f"/wilayah/{rt.code}/").status_code == 200


@pytest.mark.parametrize("username", READERS)
def test_readers_are_refused_when_they_post(client_as, username):
    # when
    response = _post(client_as(username))
    # then
    assert response.status_code == 403
    assert not Region.objects.filter(code=f"{BAYUA}.D07").exists()


def test_a_refused_post_to_the_pemdes_own_nagari_is_403_too(client_as):
    # when
    response = client_as("walinagari.maninjau").post(
        f"/wilayah/{MANINJAU}/unit-baru/", {"level": Level.DUSUN, "name": "X", "local_code": "01"}
    )
    # then
    assert response.status_code == 403


def test_an_editor_posting_outside_their_area_gets_404(client_as):
    # when
    response = client_as("pustu.bayua").post(
        f"/wilayah/{MANINJAU}/unit-baru/", {"level": Level.DUSUN, "name": "X", "local_code": "01"}
    )
    # then
    assert response.status_code == 404
    assert not Region.objects.filter(code=f"{MANINJAU}.D01").exists()


def test_a_get_on_the_create_url_is_not_allowed(client_as):
    assert client_as("pustu.bayua").get(URL).status_code == 405


def test_anonymous_posts_are_sent_to_the_login_page(client):
    # when
    response = _post(client)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_a_bad_local_code_shows_the_service_error_next_to_the_field(client_as):
    # when
    response = _post(client_as("pustu.bayua"), local_code="J-03!")
    # then
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("id"):
        expected = str(ERR_LOCAL_CODE)
    assert form.errors["local_code"] == [expected]
    body = response.content.decode()
    assert escape(expected) in body
    assert 'id="id_local_code_error"' in body
    assert 'aria-invalid="true"' in body
    assert not Region.objects.filter(name="Jorong Koto Baru").exists()


def test_a_duplicate_code_is_refused_with_the_service_message(client_as):
    # given
    client = client_as("pustu.bayua")
    _post(client)
    # when
    response = _post(client, name="Jorong Lain")
    # then
    with translation.override("id"):
        expected = str(ERR_DUPLICATE % {"code": f"{BAYUA}.D07"})
    assert response.context["form"].errors["local_code"] == [expected]
    assert Region.objects.filter(code=f"{BAYUA}.D07").count() == 1


def test_a_missing_name_is_a_field_error(client_as):
    # when
    response = _post(client_as("pustu.bayua"), name="  ")
    # then
    assert "name" in response.context["form"].errors
    assert not Region.objects.filter(code=f"{BAYUA}.D07").exists()


def test_a_level_not_allowed_under_the_parent_is_refused(client_as):
    # given
    client = client_as("pustu.bayua")
    client.post(URL, {"level": Level.RT, "name": "RT 9", "local_code": "009"})
    # when: a dusun under an RT
    response = client.post(f"/wilayah/{BAYUA}.RT009/unit-baru/", {"level": Level.DUSUN, "name": "X", "local_code": "1"})
    # then
    assert response.status_code == 403
