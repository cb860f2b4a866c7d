"""PWS settings: a kepala puskesmas sets a desa's target, the Dinkes sets populations and projection
proportions; the PWS cells and the projected sasaran then use them."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ilp.indicators import areas, selectors
from ilp.indicators.models import AreaPopulation, AreaSetting, ProjectionRate
from ilp.indicators.registry import get
from ilp.regions.models import Region
from ilp.web.forms_pws import ERR_KEEP_RATE, ERR_TARGET, ERR_YEAR
from ilp.web.views.pws_settings import ORIGIN_DEFAULT
from tests.people.conftest import BAYUA, MANINJAU
from tests.web.test_pws_missing import world  # noqa: F401 (the tiny world fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
TODAY = timezone.localdate()
YEAR = TODAY.year
UNCONFIRMED = 'class="unconfirmed"'


def settings_url(indicator="child_weighed", year=YEAR) -> str:
    return f"{reverse('web:pws_settings')}?indikator={indicator}&tahun={year}"


def population_url(year=YEAR) -> str:
    return f"{reverse('web:pws_population')}?tahun={year}"


def row(response, code: str) -> str:
    """The table row of an area (or desa) by its code."""
    return response.content.decode().split(f'data-code="{code}"', 1)[1].split("</tr>", 1)[0]


def prefix(code: str) -> str:
    return f"region{Region.objects.get(code=code).pk}"


def test_a_kepala_puskesmas_sets_a_desa_target_and_the_pws_uses_it(client_as):
    client = client_as("kapus.maninjau")
    page = client.get(settings_url())
    assert page.status_code == 200
    with translation.override("id"):
        default = str(ORIGIN_DEFAULT)
    assert "85 %" in row(page, BAYUA) and default in row(page, BAYUA)
    # when the kepala puskesmas sets Bayua's D/S target to 90 %
    response = client.post(settings_url(), {f"{prefix(BAYUA)}-target": "90"})
    assert response.status_code == 302
    # then the PWS cells of Bayua are held to 90 %, Maninjau's still to the default
    ind = get("child_weighed")
    bayua, maninjau = areas.area_for(BAYUA), areas.area_for(MANINJAU)
    cells = selectors.cells(indicators=[ind], areas=[bayua, maninjau], period=TODAY.replace(day=1), cumulative=False)
    assert (cells[(ind.code, BAYUA)].target_pct, cells[(ind.code, MANINJAU)].target_pct) == (90, 85)
    # and the page says where the target comes from
    again = client.get(settings_url())
    assert "90 %" in row(again, BAYUA) and "desa" in row(again, BAYUA)


def test_the_denominator_source_is_set_per_area(client_as):
    client = client_as("kapus.maninjau")
    client.post(settings_url(), {f"{prefix(MANINJAU)}-source": "projection"})
    ind = get("child_weighed")
    cell = selectors.cells(indicators=[ind], areas=[areas.area_for(MANINJAU)], period=TODAY.replace(day=1))
    assert cell[(ind.code, MANINJAU)].source == "projection"


def test_one_bad_row_saves_nothing_and_says_which(client_as):
    client = client_as("kapus.maninjau")
    data = {f"{prefix(BAYUA)}-target": "90", f"{prefix(MANINJAU)}-target": "120"}
    response = client.post(settings_url(), data)
    assert response.status_code == 200
    with translation.override("id"):
        assert str(ERR_TARGET) in row(response, MANINJAU)
    assert not AreaSetting.objects.filter(indicator="child_weighed", year=YEAR).exists()


def test_the_dinkes_population_gives_the_projection_and_a_proportion_replaces_the_default(client_as):
    bayua = Region.objects.get(code=BAYUA)
    dinkes = client_as("dinkes.agam")
    # when the Dinkes records Bayua's population (with an Indonesian thousands mark)
    data = {"bagian": "penduduk", f"d{bayua.pk}-population": "2.890", "penduduk-sumber": "Dukcapil 2026"}
    assert dinkes.post(population_url(), data).status_code == 302
    assert AreaPopulation.objects.get(region=bayua, year=YEAR).population == 2890
    # then the kepala puskesmas sees Bayua's projected balita: 2,890 x 8 % (a named default, marked)
    kapus = client_as("kapus.maninjau")
    bayua_row = row(kapus.get(settings_url()), BAYUA)
    assert ">231<" in bayua_row.replace(" ", "") and UNCONFIRMED in bayua_row
    # when the Dinkes sets the kabupaten's own share of balita, 7.5 %
    dinkes = client_as("dinkes.agam")
    data = {"bagian": "proporsi", "g-balita-percent": "7,5", "proporsi-sumber": "Profil Kesehatan Agam"}
    assert dinkes.post(population_url(), data).status_code == 302
    assert ProjectionRate.objects.get(group="balita", year=YEAR).proportion == pytest.approx(0.075)
    # then the projection uses it and is no longer marked as a default
    bayua_row = row(client_as("kapus.maninjau").get(settings_url()), BAYUA)
    assert ">217<" in bayua_row.replace(" ", "") and UNCONFIRMED not in bayua_row


def test_the_population_page_marks_the_national_defaults(client_as):
    page = client_as("dinkes.agam").get(population_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="defaults-note"' in body and UNCONFIRMED in row(page, "balita")
    assert body.count('id="desa-') == Region.objects.filter(regency__code="13.06", level=4, is_active=True).count()


def test_a_proportion_override_cannot_be_emptied(client_as):
    client = client_as("dinkes.agam")
    client.post(population_url(), {"bagian": "proporsi", "g-balita-percent": "7,5"})
    response = client.post(population_url(), {"bagian": "proporsi", "g-balita-percent": ""})
    assert response.status_code == 200
    with translation.override("id"):
        assert str(ERR_KEEP_RATE) in response.content.decode()


@pytest.mark.parametrize("username", ["walinagari.maninjau", "kader.bayua", "pustu.bayua", "camat.tanjungraya"])
def test_only_planners_open_the_settings(client_as, username):
    client = client_as(username)
    assert client.get(settings_url()).status_code == 403
    assert client.get(population_url()).status_code == 403


def test_the_population_page_is_the_dinkes_only(client_as):
    assert client_as("kapus.maninjau").get(population_url()).status_code == 403


def test_a_bad_year_is_a_message(client_as):
    response = client_as("kapus.maninjau").get(settings_url(year="20x6"))
    assert response.status_code == 400
    with translation.override("id"):
        assert str(ERR_YEAR) in response.content.decode()
    assert client_as("dinkes.agam").get(population_url(year="1890")).status_code == 400
    assert client_as("kapus.maninjau").get(settings_url(indicator="nope")).status_code == 400
