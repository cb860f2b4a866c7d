"""ILP cycle pages, stages 2-3 (part one): start a cycle, its overview, candidate problems generated from PWS
facts made here, problems entered by hand, scoring and ranking, priority, the problem page and its fishbone."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ilp.accounts.models import Role
from ilp.accounts.services import user_create
from ilp.facilities.models import Facility, FacilityKind, WorkingAreaVillage
from ilp.indicators.models import FillState, IndicatorValue
from ilp.planning.models import CauseCategory, Cycle, CycleStage, Method, Problem, ProblemSource, RootCause
from ilp.planning.services import cycle_start, problem_add, problem_update
from ilp.regions.models import Region
from tests.web.conftest import BAYUA, MANINJAU

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]
PILOT = "P1306030101"
TODAY = timezone.localdate()
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last month that has ended


@pytest.fixture
def pilot():
    return Facility.objects.select_related("region").get(code=PILOT)


@pytest.fixture
def cycle(pilot, users):
    return cycle_start(
        actor=users["kapus.maninjau"], puskesmas=pilot, name="Siklus 2026", year=TODAY.year,
        started_on=TODAY.replace(month=1, day=1), method=Method.USG,
    )  # fmt: skip


def record_facts(indicator: str, per_desa: dict[str, tuple[int, int]], period: dt.date = MONTH) -> None:
    """Facts of a monthly rate indicator for whole desa, and its month marked computed (`ilp pws refresh`)."""
    for code, (numerator, denominator) in per_desa.items():
        desa = Region.objects.get(code=code)
        IndicatorValue.objects.create(
            indicator=indicator, period=period, region=desa, village=desa, district_id=desa.district_id,
            regency_id=desa.regency_id, numerator=numerator, denominator=denominator,
            numerator_ytd=numerator, denominator_ytd=denominator,
        )  # fmt: skip
    FillState.objects.update_or_create(indicator=indicator, period=period, defaults={"computed_at": timezone.now()})


@pytest.fixture
def facts(pilot):
    """D/S far below its target in every desa of the pilot; N/D above 100 % in Bayua (a recording error)."""
    desa = WorkingAreaVillage.objects.filter(puskesmas=pilot).values_list("village__code", flat=True)
    record_facts("child_weighed", dict.fromkeys(desa, (30, 100)))
    record_facts("child_gained", {BAYUA: (12, 10)})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _ranked_ids(page: str) -> list[str]:
    return re.findall(r'<li class="pc-prob[^"]*" id="problem-([0-9a-f-]+)"', page)


# --- the cycle


def test_kepala_puskesmas_starts_a_cycle_and_sees_the_five_stages(client_as, pilot):
    client = client_as("kapus.maninjau")
    # given the form to start a cycle, filled in for this year
    url = f"/ilp/{PILOT}/siklus-baru/"
    assert client.get(url).status_code == 200
    # when the kepala puskesmas starts a Hanlon cycle
    data = {"name": "Siklus ILP 2026", "year": TODAY.year, "started_on": TODAY.isoformat(), "method": "hanlon",
            "usg_aggregation": "sum"}  # fmt: skip
    response = client.post(url, data)
    # then they land on the new cycle
    cycle = Cycle.objects.get(puskesmas=pilot, name="Siklus ILP 2026")
    assert response.status_code == 302 and response["Location"] == f"/ilp/siklus/{cycle.external_id}/"
    assert cycle.method == Method.HANLON and cycle.stage == CycleStage.NETWORK
    # and its overview shows the five stages in order, with the next thing to do
    page = client.get(response["Location"]).content.decode()
    stages = re.findall(r'id="stage-(\w+)"', page)
    assert stages == ["network", "problems", "rtl", "implementation", "monitoring"]
    assert 'id="next-action"' in page and f"/ilp/siklus/{cycle.external_id}/masalah/" in page


def test_planner_changes_the_stage_and_the_method(client_as, cycle):
    client = client_as("kapus.maninjau")
    data = {"name": cycle.name, "stage": "problems", "method": "hanlon", "usg_aggregation": "sum"}
    # when the kepala puskesmas moves the cycle to stage 2 with Hanlon
    response = client.post(f"/ilp/siklus/{cycle.external_id}/", data)
    # then it is saved, and the stepper marks stage 2 current and stage 1 done
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.stage, cycle.method) == (CycleStage.PROBLEMS, Method.HANLON)
    page = client.get(f"/ilp/siklus/{cycle.external_id}/").content.decode()
    assert re.search(r'class="pc-stage is-current" id="stage-problems"', page)
    assert re.search(r'class="pc-stage is-done" id="stage-network"', page)
    # and one button makes stage 3 current
    client.post(f"/ilp/siklus/{cycle.external_id}/", {"set_stage": "rtl"})
    cycle.refresh_from_db()
    assert cycle.stage == CycleStage.RTL


def test_a_cycle_cannot_be_started_by_pemdes_nor_for_a_puskesmas_out_of_sight(client_as, pilot):
    # when the wali nagari tries to start a cycle of their puskesmas
    assert client_as("walinagari.maninjau").post(f"/ilp/{PILOT}/siklus-baru/", {}).status_code == 403
    # and a kepala of another puskesmas tries it on the pilot
    other = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(pk=pilot.pk).order_by("code")[0]
    stranger = user_create(username="kapus.lain", password="x-Very-long-2026", role=Role.KEPALA_PUSKESMAS,
                           facility=other)  # fmt: skip
    client = client_as("kapus.maninjau")
    client.force_login(stranger)
    # then the pilot is not there for them
    assert client.get(f"/ilp/{PILOT}/siklus-baru/").status_code == 404
    assert not Cycle.objects.filter(puskesmas=pilot).exists()


# --- problems


def test_problems_are_generated_from_the_pws_facts_with_their_evidence(client_as, cycle, facts):
    client = client_as("kapus.maninjau")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    # when the kepala puskesmas generates the problems
    response = client.post(url, {"action": "generate"}, follow=True)
    # then D/S below target and N/D above 100 % are candidates, counted in the message
    made = {(p.source, p.indicator) for p in cycle.problems.all()}
    assert made == {(ProblemSource.BELOW_TARGET, "child_weighed"), (ProblemSource.DATA_QUALITY, "child_gained")}
    page = response.content.decode()
    assert "Problems from the PWS data: 2 new, 0 updated." in _text(page)
    # and each shows its key evidence: coverage against target and the red desa
    below = cycle.problems.get(source=ProblemSource.BELOW_TARGET)
    row = page.split(f'id="problem-{below.external_id}"')[1].split("</li>")[0]
    assert "30 % (target 85 %)" in _text(row) and "10 desa in red" in _text(row)
    # when generated again, nothing is duplicated
    page = client.post(url, {"action": "generate"}, follow=True).content.decode()
    assert "0 new, 2 updated" in _text(page) and cycle.problems.count() == 2


def test_generating_without_any_computed_month_says_so(client_as, cycle):
    page = client_as("kapus.maninjau").post(
        f"/ilp/siklus/{cycle.external_id}/masalah/", {"action": "generate"}, follow=True
    )
    assert "no PWS month has been computed yet" in _text(page.content.decode())
    assert not cycle.problems.exists()


def test_a_problem_from_the_smd_survey_is_added_by_hand(client_as, cycle):
    client = client_as("kapus.maninjau")
    data = {"action": "add", "source": "smd", "title": "Banyak warga merokok di dalam rumah",
            "description": "SMD Jorong Pasa: 64 % KK", "indicator": ""}  # fmt: skip
    response = client.post(f"/ilp/siklus/{cycle.external_id}/masalah/", data, follow=True)
    problem = cycle.problems.get()
    assert (problem.source, problem.title) == (ProblemSource.SMD, "Banyak warga merokok di dalam rumah")
    page = response.content.decode()
    assert "Community survey (SMD)" in page and "SMD Jorong Pasa: 64 % KK" in page
    # and a title is required
    bad = client.post(f"/ilp/siklus/{cycle.external_id}/masalah/", {**data, "title": ""})
    assert bad.status_code == 400 and cycle.problems.count() == 1


def test_usg_scores_rank_the_list_and_a_problem_becomes_priority(client_as, cycle, users):
    kapus = users["kapus.maninjau"]
    a, b, c = (problem_add(actor=kapus, cycle=cycle, title=t) for t in ("Hipertensi", "Stunting", "TB"))
    client = client_as("kapus.maninjau")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    # when all three are scored in one go
    scores = {a: (3, 3, 3), b: (5, 5, 4), c: (2, 2, 2)}
    data = {"action": "score", "method": "usg", "rows": [a.pk, b.pk, c.pk]}
    for p, (u, s, g) in scores.items():
        data |= {f"p{p.pk}-usg_u": u, f"p{p.pk}-usg_s": s, f"p{p.pk}-usg_g": g}
    assert client.post(url, data).status_code == 302
    # then the list is ranked by the USG total, highest first
    page = client.get(url).content.decode()
    assert _ranked_ids(page) == [str(b.external_id), str(a.external_id), str(c.external_id)]
    assert re.search(rf'id="problem-{b.external_id}" data-rank="1"', page)
    assert "= <strong>14</strong>" in page.split(f'id="problem-{b.external_id}"')[1]
    # when "make priority" is pressed on stunting
    data["priority"] = str(b.external_id)
    client.post(url, data)
    # then it is a priority with its RTL link
    b.refresh_from_db()
    assert b.is_priority
    page = client.get(url).content.decode()
    assert f'href="/ilp/masalah/{b.external_id}/rtl/"' in page


def test_an_invalid_score_saves_nothing_and_is_shown_on_its_row(client_as, cycle, users):
    kapus = users["kapus.maninjau"]
    a, b = (problem_add(actor=kapus, cycle=cycle, title=t) for t in ("Hipertensi", "Stunting"))
    data = {"action": "score", "method": "usg", "rows": [a.pk, b.pk], f"p{a.pk}-usg_u": 4, f"p{b.pk}-usg_u": 9}
    response = client_as("kapus.maninjau").post(f"/ilp/siklus/{cycle.external_id}/masalah/", data)
    assert response.status_code == 400
    row = response.content.decode().split(f'id="problem-{b.external_id}"')[1].split("</li>")[0]
    assert "Select a valid choice" in row
    a.refresh_from_db()
    assert a.usg_u is None


def test_hanlon_cycle_ranks_by_npt_and_pearl_drops_a_problem(client_as, cycle, users):
    kapus = users["kapus.maninjau"]
    cycle.method = Method.HANLON
    cycle.save()
    a, b = (problem_add(actor=kapus, cycle=cycle, title=t) for t in ("Hipertensi", "Stunting"))
    data = {"action": "score", "method": "hanlon", "rows": [a.pk, b.pk]}
    # a: (6 + 5) x 4 = 44, every PEARL factor holds; b: (8 + 9) x 6 = 102 but not legal: NPT 0
    for p, (ha, hb, hc) in {a: ("6", "5", "4"), b: ("8", "9", "6")}.items():
        data |= {f"p{p.pk}-hanlon_a": ha, f"p{p.pk}-hanlon_b": hb, f"p{p.pk}-hanlon_c": hc}
        data |= {f"p{p.pk}-pearl_{x}": "on" for x in "pear"}
    data[f"p{a.pk}-pearl_l"] = "on"
    client = client_as("kapus.maninjau")
    assert client.post(f"/ilp/siklus/{cycle.external_id}/masalah/", data).status_code == 302
    page = client.get(f"/ilp/siklus/{cycle.external_id}/masalah/").content.decode()
    assert _ranked_ids(page) == [str(a.external_id), str(b.external_id)]
    row = _text(page.split(f'id="problem-{a.external_id}"')[1].split("</li>")[0])
    assert "NPD 44" in row and "NPT 44" in row
    b.refresh_from_db()
    assert b.pearl_l is False and b.hanlon_b == 9


def test_rows_not_on_the_page_and_a_changed_method_keep_their_scores(client_as, cycle, users):
    kapus = users["kapus.maninjau"]
    cycle.method = Method.HANLON
    cycle.save()
    shown = problem_add(actor=kapus, cycle=cycle, title="Hipertensi")
    # given a problem generated after the page was opened, with its PEARL untouched
    late = problem_add(actor=kapus, cycle=cycle, title="TB")
    client = client_as("kapus.maninjau")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    # when the page's rows are saved, PEARL boxes ticked
    data = {"action": "score", "method": "hanlon", "rows": [shown.pk], f"p{shown.pk}-hanlon_a": "5"}
    data |= {f"p{shown.pk}-pearl_{x}": "on" for x in "pearl"}
    assert client.post(url, data).status_code == 302
    # then the late problem keeps its PEARL (an absent checkbox would have read "no")
    late.refresh_from_db()
    shown.refresh_from_db()
    assert late.pearl_l and late.pearl_p and shown.hanlon_a == 5
    # and scores typed under USG are not saved once the cycle moved to Hanlon
    page = client.post(url, {**data, "method": "usg", f"p{shown.pk}-hanlon_a": "9"}, follow=True).content.decode()
    shown.refresh_from_db()
    assert shown.hanlon_a == 5 and "the scores typed were not saved" in page


def test_a_dismissed_problem_leaves_the_ranking_and_can_be_restored(client_as, cycle, users):
    problem = problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="Sampah")
    client = client_as("kapus.maninjau")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    client.post(url, {"action": "score", "dismiss": str(problem.external_id)})
    page = client.get(url).content.decode()
    assert _ranked_ids(page) == [] and 'id="dismissed"' in page
    client.post(url, {"action": "score", "dismiss": str(problem.external_id)})
    assert _ranked_ids(client.get(url).content.decode()) == [str(problem.external_id)]


def test_pemdes_and_kader_read_the_problems_but_cannot_change_them(client_as, cycle, users):
    problem = problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="Hipertensi")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    for username in ("walinagari.maninjau", "kader.bayua"):
        client = client_as(username)
        page = client.get(url)
        assert page.status_code == 200 and "Hipertensi" in page.content.decode()
        assert 'id="generate"' not in page.content.decode()
        for data in ({"action": "generate"}, {"action": "add", "source": "smd", "title": "X"},
                     {"action": "score", "priority": str(problem.external_id)}):  # fmt: skip
            assert client.post(url, data).status_code == 403, (username, data)
        assert client.post(f"/ilp/masalah/{problem.external_id}/", {"action": "priority"}).status_code == 403
    problem.refresh_from_db()
    assert not problem.is_priority and cycle.problems.count() == 1


def test_a_kepala_of_another_puskesmas_does_not_see_the_cycle(client_as, cycle, pilot, users):
    problem = problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="Hipertensi")
    other = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(pk=pilot.pk).order_by("code")[0]
    stranger = user_create(username="kapus.lain", password="x-Very-long-2026", role=Role.KEPALA_PUSKESMAS,
                           facility=other)  # fmt: skip
    client = client_as("kapus.maninjau")
    client.force_login(stranger)
    for url in (f"/ilp/siklus/{cycle.external_id}/", f"/ilp/siklus/{cycle.external_id}/masalah/",
                f"/ilp/masalah/{problem.external_id}/", f"/ilp/masalah/{problem.external_id}/rtl/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ilp/siklus/{cycle.external_id}/masalah/", {"action": "generate"}).status_code == 404


def test_the_problem_list_takes_a_fixed_number_of_queries(client_as, cycle, users, django_assert_max_num_queries):
    kapus = users["kapus.maninjau"]
    for n in range(12):
        p = problem_add(actor=kapus, cycle=cycle, title=f"Masalah {n}")
        problem_update(actor=kapus, problem=p, usg_u=1 + n % 5, usg_s=3, usg_g=2, is_priority=n % 3 == 0)
    client = client_as("kapus.maninjau")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(_ranked_ids(response.content.decode())) == 12
    with django_assert_max_num_queries(15):
        assert client.get(f"/ilp/siklus/{cycle.external_id}/").status_code == 200


# --- one problem


def test_the_problem_page_shows_its_evidence_trend_and_stale_state(client_as, cycle):
    evidence = {
        "indicator_name": "Balita ditimbang (D/S)", "period": f"{MONTH:%Y-%m}", "current": False,
        "puskesmas": {"area_code": PILOT, "area_name": "Puskesmas Maninjau", "numerator": 30, "denominator": 100,
                      "coverage_pct": 30.0, "target_pct": 85.0, "status": "belum", "gap_persons": 55},
        "red_desa": [{"area_code": MANINJAU, "area_name": "Maninjau", "numerator": 3, "denominator": 10,
                      "coverage_pct": 30.0, "target_pct": 85.0, "status": "belum", "gap_persons": 6}],
        "trend": [80.0, 60.0, 30.0], "months": ["2026-01", "2026-02", "2026-03"],
    }  # fmt: skip
    problem = Problem.objects.create(
        cycle=cycle, title="D/S memburuk", source=ProblemSource.WORSENING, indicator="child_weighed",
        area_code=PILOT, evidence=evidence,
    )  # fmt: skip
    page = client_as("kapus.maninjau").get(f"/ilp/masalah/{problem.external_id}/").content.decode()
    assert 'id="not-current"' in page and "No longer seen in the data" in page
    desa_row = _text(page.split(f'data-area="{MANINJAU}"')[1].split("</tr>")[0])
    assert "3 / 10" in desa_row and "30 %" in desa_row and "6" in desa_row
    trend = _text(page.split('id="trend"')[1].split("</p>")[0])
    assert "2026-01 80.0 → 2026-02 60.0 → 2026-03 30.0" in trend


def test_root_causes_are_added_to_the_fishbone_and_deleted(client_as, cycle, users):
    problem = problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="Stunting")
    client = client_as("klaster2.maninjau")
    url = f"/ilp/masalah/{problem.external_id}/"
    # when the cluster staff add a cause under Method
    client.post(url, {"action": "cause_add", "category": "method", "text": "Kader tidak mengukur panjang badan"})
    cause = RootCause.objects.get(problem=problem)
    assert cause.category == CauseCategory.METHOD
    # then it sits on the Method bone
    page = client.get(url).content.decode()
    assert "Kader tidak mengukur panjang badan" in page.split('id="bone-method"')[1].split("</div>")[0]
    # and it can be deleted; the pemdes may not
    assert client_as("walinagari.maninjau").post(url, {"action": "cause_delete", "cause": cause.pk}).status_code == 403
    client = client_as("klaster2.maninjau")
    client.post(url, {"action": "cause_delete", "cause": cause.pk})
    assert not RootCause.objects.filter(problem=problem).exists()


def test_the_problem_page_scores_both_methods(client_as, cycle, users):
    problem = problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="Stunting")
    data = {"action": "score", "usg_u": "5", "usg_s": "4", "usg_g": "4", "hanlon_a": "7,5", "hanlon_b": "8",
            "hanlon_c": "6", **{f"pearl_{x}": "on" for x in "pearl"}}  # fmt: skip
    client = client_as("kapus.maninjau")
    assert client.post(f"/ilp/masalah/{problem.external_id}/", data).status_code == 302
    page = client.get(f"/ilp/masalah/{problem.external_id}/").content.decode()
    assert 'id="usg-total">13<' in page and 'id="npt">93<' in page


def test_with_an_sk_the_generation_can_keep_to_its_success_indicators(client_as, cycle, facts, pilot, users):
    from ilp.planning.services.setup import target_decree_set

    target_decree_set(
        actor=users["kapus.maninjau"], puskesmas=pilot, year=cycle.year, number="1",
        signed_on=dt.date(cycle.year, 2, 20), indicators={"child_weighed": 85},
    )  # fmt: skip
    client = client_as("kapus.maninjau")
    url = f"/ilp/siklus/{cycle.external_id}/masalah/"
    # the form offers the SK's one success indicator, chosen by default
    assert 'name="lingkup" value="sk" checked' in client.get(url).content.decode()
    # when generated from it, only D/S is a candidate (N/D above 100 % is not in the SK)
    client.post(url, {"action": "generate", "lingkup": "sk"})
    assert {p.indicator for p in cycle.problems.all()} == {"child_weighed"}
    # and the whole catalogue adds the rest
    client.post(url, {"action": "generate", "lingkup": "semua"})
    assert {p.indicator for p in cycle.problems.all()} == {"child_weighed", "child_gained"}
