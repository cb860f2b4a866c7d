"""PWS pages: an area's coverage table, the indicator page, for every role, on facts computed by the real
engine from a tiny world registered through the services (a few families in three nagari of the pilot)."""

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from ilp.accounts.models import User
from ilp.accounts.scope import scope_for
from ilp.facilities.models import Facility, FacilityKind, WorkingAreaVillage
from ilp.indicators.models import AreaPopulation, AreaSetting, ProjectionRate
from ilp.indicators.refresh import refresh_all
from ilp.indicators.registry import get
from ilp.lifecycle.models import ServiceKind
from ilp.lifecycle.services import ServiceInput, encounter_record
from ilp.people.services import family_register, pregnancy_record
from ilp.regions.models import Region
from ilp.web.views.pws import ERR_PERIOD, ERR_STAGE, MSG_NO_AREA
from tests.people.conftest import head_data, kk, wife_data
from tests.web.conftest import BAYUA, MANINJAU, ROLES

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PILOT = "P1306030101"
SUNGAI_BATANG = "13.06.03.2002"
TANJUNG_SANI = "13.06.03.2001"
HX = {"HX-Request": "true"}


@pytest.fixture
def client_as(client_as):
    """The pages in English, so the tests read the msgids whatever the Indonesian catalogue says."""

    def _login(username, language="en"):
        client = client_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _login


def _posyandu(code: str) -> Facility:
    return Facility.objects.filter(kind=FacilityKind.POSYANDU, region__code__startswith=code).order_by("name")[0]


@pytest.fixture
def lavender():
    """The posyandu of kader.bayua."""
    return Facility.objects.get(name="Posyandu Lavender Bayua")


def _kid(name: str) -> dict:
    born = TODAY - dt.timedelta(days=456)
    return {"name": name, "sex": "M", "birth_date": born, "nik": "", "nik_missing_reason": "not_recorded",
            "relationship": "anak"}  # fmt: skip


@pytest.fixture
def world(users, lavender):
    """Pregnant women and balita in three nagari of Puskesmas Maninjau, with the facts computed.

    K1 (year to date): Bayua 2 of 3 women, Maninjau 1 of 2 (puskesmas 3 of 5); all of Bayua at Posyandu
    Lavender. D/S this month: Bayua 2 of 2 balita weighed, Maninjau 4 of 5, Sungai Batang 0 of 2.
    """
    kapus = users["kapus.maninjau"]
    scope = scope_for(kapus)

    def family(code, posyandu, *, pregnant, k1, kids=0, weighed=0):
        registered = family_register(
            scope=scope, region=Region.objects.get(code=code), kk_number=kk(), address_text="Jorong Pasa",
            posyandu=posyandu, head=head_data(), actor=kapus,
            members=([wife_data()] if pregnant else []) + [_kid(f"Anak {n}") for n in range(kids)],
        )  # fmt: skip
        people = {m.person.name: m.person for m in registered.memberships.select_related("person")}
        if pregnant:
            wife = people["Yusnimar"]
            pregnancy_record(scope=scope, person=wife, lmp_date=TODAY - dt.timedelta(days=100), actor=kapus)
            if k1:
                encounter_record(
                    scope=scope, person=wife, date=TODAY, place="posyandu", facility=posyandu,
                    services=[ServiceInput(ServiceKind.ANC, dose=1)], actor=kapus,
                )  # fmt: skip
        for n in range(weighed):
            encounter_record(
                scope=scope, person=people[f"Anak {n}"], date=TODAY, place="posyandu", facility=posyandu,
                observations={"weight_kg": 10.3, "length_height_cm": 79, "measure": "L"},
                confirm_implausible=True, actor=kapus,
            )  # fmt: skip

    maninjau = _posyandu(MANINJAU)
    family(BAYUA, lavender, pregnant=True, k1=True, kids=2, weighed=2)
    family(BAYUA, lavender, pregnant=True, k1=True)
    family(BAYUA, lavender, pregnant=True, k1=False)
    family(MANINJAU, maninjau, pregnant=True, k1=True, kids=2, weighed=2)
    family(MANINJAU, maninjau, pregnant=True, k1=False, kids=3, weighed=2)
    family(SUNGAI_BATANG, _posyandu(SUNGAI_BATANG), pregnant=False, k1=False, kids=2)
    refresh_all(indicators=[get("anc_k1"), get("child_weighed")], today=TODAY)


def _row(page: str, area: str, table: str = "pws-table") -> str:
    body = page.split(f'id="{table}"')[1].split("</table>")[0]
    found = re.search(rf'<tr[^>]*data-area="{re.escape(area)}">(.*?)</tr>', body, flags=re.S)
    assert found, f"no row {area}"
    return found[1]


def _cell(page: str, area: str, indicator: str) -> tuple[str, str]:
    """(class, text) of a cell of the coverage table."""
    found = re.search(rf'<td class="([^"]*)" data-indicator="{indicator}"[^>]*>(.*?)</td>', _row(page, area), re.S)
    assert found, f"no cell {indicator} in {area}"
    return found[1], re.sub(r"<[^>]+>", " ", found[2])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the area page


def test_puskesmas_page_shows_its_desa_with_exact_numbers(world, client_as):
    # when the kepala puskesmas opens the PWS from the menu
    client = client_as("kapus.maninjau")
    response = client.get("/pws/")
    # then it opens on the puskesmas working area
    assert response.status_code == 302 and response["Location"] == f"/pws/{PILOT}/"
    page = client.get(f"/pws/{PILOT}/").content.decode()
    # and the table has the puskesmas total first, then its ten nagari
    areas = re.findall(r'<tr[^>]*data-area="([^"]+)"', page.split('id="pws-table"')[1])
    assert areas[0] == PILOT and len(areas) == 11 and BAYUA in areas and MANINJAU in areas
    # and K1 of the year so far is exact: coverage and numerator/denominator
    assert "2/3" in _cell(page, BAYUA, "anc_k1")[1] and "66.7 %" in _cell(page, BAYUA, "anc_k1")[1]
    assert "1/2" in _cell(page, MANINJAU, "anc_k1")[1] and "50.0 %" in _cell(page, MANINJAU, "anc_k1")[1]
    assert "3/5" in _cell(page, PILOT, "anc_k1")[1] and "60.0 %" in _cell(page, PILOT, "anc_k1")[1]
    assert "0/0" in _cell(page, TANJUNG_SANI, "anc_k1")[1]
    # and the cell opens who is not covered yet in that desa, the header the indicator page
    assert f'href="/pws/{BAYUA}/anc_k1/belum/?periode={TODAY:%Y-%m}"' in _row(page, BAYUA)
    assert f'href="/pws/{PILOT}/anc_k1/?periode={TODAY:%Y-%m}&amp;tampil=kumulatif"' in page
    # and the exports keep the page's query string; the kepala puskesmas gets the settings
    assert f'href="/pws/{PILOT}/ekspor/xlsx/?periode={TODAY:%Y-%m}&amp;tampil=kumulatif"' in page
    assert f'href="/pws/{PILOT}/ekspor/dhis2/?periode={TODAY:%Y-%m}&amp;tampil=kumulatif"' in page
    assert 'href="/pws/pengaturan/"' in page and 'href="/pws/penduduk/"' in page


def test_cells_are_coloured_by_status_against_the_target(world, client_as):
    # when the monthly D/S (target 85 %) is shown
    page = client_as("kapus.maninjau").get(f"/pws/{PILOT}/?tampil=bulanan&tahap=child").content.decode()
    # then 2/2 is reached, 4/5 (80 %) near, 0/2 below, and a nagari without balita has no data
    assert _cell(page, BAYUA, "child_weighed")[0] == "pws-cell st-tercapai"
    assert _cell(page, MANINJAU, "child_weighed")[0] == "pws-cell st-hampir"
    assert "4/5" in _cell(page, MANINJAU, "child_weighed")[1]
    assert _cell(page, SUNGAI_BATANG, "child_weighed")[0] == "pws-cell st-belum"
    assert _cell(page, TANJUNG_SANI, "child_weighed")[0] == "pws-cell st-none"
    # and only the life stage asked for is shown: no pregnancy indicator
    assert 'data-indicator="anc_k1"' not in page
    # and the four classes are four different colours in the style sheet
    css = (settings.BASE_DIR / "ilp/web/static/web/pws.css").read_text()
    colours = {s: re.search(rf"\.st-{s} {{ background: var\(--pws-(\w+)-bg\)", css)[1] for s in
               ("tercapai", "hampir", "belum", "none")}  # fmt: skip
    assert len(set(colours.values())) == 4


def test_kader_reads_their_posyandu_only(world, client_as):
    # when the kader opens the PWS
    client = client_as("kader.bayua")
    lavender = Facility.objects.get(name="Posyandu Lavender Bayua")
    response = client.get("/pws/")
    # then it is their posyandu alone, one row per indicator, K1 of its three women
    assert response["Location"] == f"/pws/{lavender.code}/"
    page = client.get(response["Location"]).content.decode()
    table = page.split('id="pws-table"')[1].split("</table>")[0]
    assert set(re.findall(r'data-area="([^"]+)"', table)) == {lavender.code}
    k1 = re.search(r'data-row-indicator="anc_k1">(.*?)</tr>', table, re.S)[1]
    assert "2/3" in k1 and "66.7 %" in k1 and f"/pws/{lavender.code}/anc_k1/belum/" in k1
    # and the puskesmas, the nagari and their indicator pages are refused
    for url in (f"/pws/{PILOT}/", f"/pws/{BAYUA}/", f"/pws/{PILOT}/anc_k1/"):
        assert client.get(url).status_code == 403, url


def test_pemdes_reads_their_desa_with_its_posyandu_and_rank(world, client_as):
    # when the wali nagari of Maninjau opens the PWS
    client = client_as("walinagari.maninjau")
    response = client.get("/pws/")
    assert response["Location"] == f"/pws/{MANINJAU}/"
    page = client.get(response["Location"]).content.decode()
    # then the rows are the nagari's posyandu
    posyandu = Facility.objects.filter(kind=FacilityKind.POSYANDU, region__code__startswith=MANINJAU)
    rows = re.findall(r'<tr[^>]*data-area="([^"]+)"', page.split('id="pws-table"')[1])
    assert rows[0] == MANINJAU and sorted(rows[1:]) == sorted(p.code for p in posyandu)
    assert "1/2" in _cell(page, MANINJAU, "anc_k1")[1]
    # and the rank among the nagari of the puskesmas: second of the two with a figure, without their figures
    rank = re.search(r'<li data-indicator="anc_k1">(.*?)</li>', page.split('id="pws-rank"')[1], re.S)[1]
    assert "<strong>2</strong> of 2" in rank
    assert "66.7" not in page and "2/3" not in page
    # and another nagari is refused
    assert client.get(f"/pws/{BAYUA}/").status_code == 403
    assert client.get(f"/pws/{BAYUA}/anc_k1/").status_code == 403


def test_lintas_sektor_reads_aggregates_without_drill_down(world, client_as):
    # when the camat opens the PWS of the kecamatan
    client = client_as("camat.tanjungraya")
    response = client.get("/pws/")
    assert response["Location"] == "/pws/13.06.03/"
    page = client.get(response["Location"]).content.decode()
    # then the nagari are there with their numbers, but nothing links to persons, and no settings
    assert "2/3" in _cell(page, BAYUA, "anc_k1")[1]
    assert "/belum/" not in page and "pws-settings-link" not in page
    indicator = client.get("/pws/13.06.03/anc_k1/").content.decode()
    assert "/belum/" not in indicator and "pws-missing-link" not in indicator
    # while the kepala puskesmas gets the links
    assert "/belum/" in client_as("kapus.maninjau").get(f"/pws/{PILOT}/anc_k1/").content.decode()


def test_kabupaten_view_lists_puskesmas_with_the_rollout_status(world, client_as):
    # when the Dinkes opens the PWS
    client = client_as("dinkes.agam")
    response = client.get("/pws/")
    assert response["Location"] == "/pws/13.06/"
    page = client.get(response["Location"]).content.decode()
    # then there is one row per puskesmas after the kabupaten total
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, region__regency__code="13.06", is_active=True)
    rows = re.findall(r'<tr[^>]*data-area="([^"]+)"', page.split('id="pws-table"')[1])
    assert rows[0] == "13.06" and sorted(rows[1:]) == sorted(p.code for p in puskesmas)
    # and the pilot shows its ILP status, the pilot badge and the start date, and its K1
    pilot = _row(page, PILOT)
    assert "status-running" in pilot and "Running" in pilot and "badge pilot" in pilot
    assert f"since {Facility.objects.get(code=PILOT).ilp_start_date:%-d %b %Y}" in _text(pilot)
    assert "3/5" in _cell(page, PILOT, "anc_k1")[1] and "3/5" in _cell(page, "13.06", "anc_k1")[1]
    assert "ILP status" in page


def test_bad_filters_give_a_message_and_the_default_page(world, client_as):
    # when the period is not one of the months offered and the stage is unknown
    page = client_as("kapus.maninjau").get(f"/pws/{PILOT}/?periode=2019-13&tahap=janin").content.decode()
    # then the messages say so, and the current month of every indicator is shown
    with translation.override("en"):
        assert escape(str(ERR_PERIOD) % {"value": "2019-13", "example": f"{TODAY:%Y-%m}"}) in page
        assert escape(str(ERR_STAGE) % {"value": "janin"}) in page
    assert "3/5" in _cell(page, PILOT, "anc_k1")[1]


def test_a_user_without_an_area_is_told_so(client):
    # given an account bound to no role, facility or region
    client.force_login(User.objects.create_user(username="baru", password="x-unused-2026"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when the PWS is opened, the page says why it is empty
    response = client.get("/pws/")
    with translation.override("en"):
        assert response.status_code == 200 and escape(str(MSG_NO_AREA)) in response.content.decode()


def test_unknown_area_or_indicator_is_not_found(world, client_as):
    client = client_as("dinkes.agam")
    assert client.get("/pws/99.99/").status_code == 404
    assert client.get(f"/pws/{PILOT}/no_such_indicator/").status_code == 404


def test_htmx_filter_answers_with_the_table_only(world, client_as):
    response = client_as("kapus.maninjau").get(f"/pws/{PILOT}/?tampil=bulanan", headers=HX)
    page = response.content.decode()
    assert 'id="pws-table"' in page and "<html" not in page and response["Vary"].find("HX-Request") >= 0


# --- the indicator page


def _chart(page: str) -> dict:
    found = re.search(r'<script id="pws-chart-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found[1])


def test_indicator_page_has_the_chart_ranking_gap_and_definition(world, client_as):
    # when the kepala puskesmas opens K1
    page = client_as("kapus.maninjau").get(f"/pws/{PILOT}/anc_k1/").content.decode()
    # then the chart data hold January to this month for the puskesmas and each nagari, against a target
    # growing by a twelfth a month
    chart = _chart(page)
    assert len(chart["months"]) == TODAY.month == len(chart["target"])
    assert chart["target"] == [round(100 * m / 12, 1) for m in range(1, TODAY.month + 1)]
    lines = {s["name"]: s["values"] for s in chart["series"]}
    assert chart["series"][0]["name"] == "Puskesmas Maninjau" and len(lines) == 11
    assert lines["Bayua"][-1] == 66.7 and lines["Maninjau"][-1] == 50.0 and lines["Puskesmas Maninjau"][-1] == 60.0
    assert lines["Tanjung Sani"][-1] is None
    assert 'data-pws-chart="pws-chart-data"' in page and "vendor/echarts.min.js" in page and "pws_chart.js" in page
    # and the ranking puts Bayua before Maninjau, with each one's gap in persons to this month's target
    ranking = page.split('id="pws-ranking"')[1].split("</table>")[0]
    assert ranking.index(f'data-area="{BAYUA}"') < ranking.index(f'data-area="{MANINJAU}"')
    target = round(100 * TODAY.month / 12, 1)
    gap = max(0, -(-(target * 3 / 100 - 2) // 1))
    assert re.search(rf'<td class="num pws-gap">{int(gap)}</td>', _row(page, BAYUA, "pws-ranking"))
    # and the register sasaran is there with no projection (no desa population entered), and the definition
    sasaran = _text(page.split('id="pws-sasaran"')[1].split("</article>")[0])
    assert " 5 " in sasaran and "named default" in sasaran
    assert "Pregnant women with their first ANC contact this year" in page


def test_indicator_page_of_a_posyandu_has_one_line(world, client_as):
    lavender = Facility.objects.get(name="Posyandu Lavender Bayua")
    page = client_as("kader.bayua").get(f"/pws/{lavender.code}/anc_k1/").content.decode()
    chart = _chart(page)
    assert [s["name"] for s in chart["series"]] == [lavender.name] and chart["series"][0]["values"][-1] == 66.7


# --- navigation


@pytest.mark.parametrize("username", ROLES)
def test_every_role_has_the_pws_section(users, client_as, username):
    page = client_as(username).get("/").content.decode()
    assert 'href="/pws/"' in page.split('class="section-nav"')[1].split("</nav>")[0]


# --- a fixed number of queries whatever the number of desa


def _keep_desa(codes: list[str]) -> None:
    WorkingAreaVillage.objects.filter(puskesmas__code=PILOT).exclude(village__code__in=codes).delete()


def _count(client, url: str) -> int:
    client.get(url)  # the session and the language are read once per client
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("kapus.maninjau", f"/pws/{PILOT}/"),
        ("kapus.maninjau", f"/pws/{PILOT}/anc_k1/"),
        ("kapus.maninjau", f"/pws/{PILOT}/child_weighed/?tampil=bulanan"),
        ("walinagari.maninjau", f"/pws/{MANINJAU}/"),
    ],
)
def test_pws_pages_make_the_same_number_of_queries_for_2_and_4_desa(
    world, client_as, django_assert_num_queries, username, url
):
    # given the puskesmas with four nagari, all with facts or none
    client = client_as(username)
    _keep_desa([BAYUA, MANINJAU, SUNGAI_BATANG, TANJUNG_SANI])
    four = _count(client, url)
    # when two of them leave the working area
    _keep_desa([BAYUA, MANINJAU])
    client.get(url)
    # then the page costs the same
    with django_assert_num_queries(four):
        client.get(url)


def test_projected_denominator_is_marked_and_shown_beside_the_register(world, client_as):
    # given a population for every nagari of the pilot and the puskesmas counting K1 against the projection
    villages = WorkingAreaVillage.objects.filter(puskesmas__code=PILOT).values_list("village_id", flat=True)
    AreaPopulation.objects.bulk_create(
        [AreaPopulation(region_id=v, year=TODAY.year, population=1000) for v in villages]
    )
    pilot = Facility.objects.get(code=PILOT)
    AreaSetting.objects.create(indicator="anc_k1", year=TODAY.year, puskesmas=pilot, source="projection")
    client = client_as("kapus.maninjau")
    # when the PWS is opened
    page = client.get(f"/pws/{PILOT}/").content.decode()
    # then Bayua's K1 is 2 of the projected 18 (1,000 x the named default 1.1 x 16.3 per 1,000), marked P
    _css, text = _cell(page, BAYUA, "anc_k1")
    assert "11.1 %" in text and "2/18" in text and 'class="pws-proj"' in _row(page, BAYUA)
    assert "projected sasaran" in page.split('id="pws-legend"')[1].split("</p>")[0]
    # and the indicator page puts the register (5) beside the projection (179), the proportion a named default
    indicator = client.get(f"/pws/{PILOT}/anc_k1/").content.decode()
    sasaran = _text(indicator.split('id="pws-sasaran"')[1].split("</article>")[0])
    assert " 5 " in sasaran and " 179 " in sasaran and 'id="pws-default-rate"' in indicator
    assert 'id="pws-source"' in indicator
    # when the Dinkes sets its own proportion, the page names it instead of the default
    ProjectionRate.objects.create(regency=pilot.region.regency, group="pregnant", year=TODAY.year, proportion=0.02,
                                  source="BPS Agam")  # fmt: skip
    indicator = client.get(f"/pws/{PILOT}/anc_k1/").content.decode()
    sasaran = _text(indicator.split('id="pws-sasaran"')[1].split("</article>")[0])
    assert " 200 " in sasaran and "BPS Agam" in sasaran and 'id="pws-default-rate"' not in indicator
