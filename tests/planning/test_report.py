"""The data of the "Laporan Monitoring ILP": a puskesmas' cycle, network, ranked problems, RTL with its
monitoring as of the quarter's end, risks, lokakarya mini and evaluations; a kabupaten's summary; scope."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from ilp.accounts.scope import scope_for
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind, NetworkMember
from ilp.planning.report import parse_quarter, quarter_of, recent_quarters, report_data
from tests.planning import report_world as w

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def world(users):
    return w.build(users)


def _report(code=w.PILOT, quarter=w.Q3, **kw):
    return report_data(area_code=code, quarter=quarter, today=TODAY, **kw)


def test_parse_quarter_gives_its_first_and_last_day():
    assert parse_quarter("2026-Q3") == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert parse_quarter(" 2025q4 ") == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert parse_quarter("2024-Q1") == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert quarter_of(dt.date(2026, 9, 30)) == "2026-Q3"
    assert recent_quarters(dt.date(2026, 2, 1), count=3) == ["2026-Q1", "2025-Q4", "2025-Q3"]


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026-10", "Q3-2026", "", None, "2026-Q3x"])
def test_parse_quarter_refuses_anything_else(text):
    with pytest.raises(ValueError, match="YYYY-Qn"):
        parse_quarter(text)


def test_puskesmas_report_has_the_cycle_network_and_period(world):
    # when the pilot's Q3 report is made
    data = _report()
    # then it names the area and the period, and is plain JSON
    assert data["report"] == "Laporan Monitoring ILP"
    assert data["area"] == {"kind": "puskesmas", "code": w.PILOT, "name": "Puskesmas Maninjau", "level": None}
    assert data["period"] == {
        "quarter": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30", "as_of": "2026-10-01",
        "monitoring_month": "2026-09",
    }  # fmt: skip
    assert json.loads(json.dumps(data)) == data
    (section,) = data["puskesmas"]
    assert section["cycle"]["name"] == "Siklus ILP 2026" and section["cycle"]["method"] == "usg"
    # and every network member with its agreement
    members = NetworkMember.objects.filter(puskesmas__code=w.PILOT)
    assert sorted(m["facility"] for m in section["network"]) == sorted(m.member.name for m in members)
    klinik = next(m for m in section["network"] if m["code"] == w.KLINIK)
    assert klinik["agreement_type"] == "pks" and klinik["agreement_date"] == "2024-08-12"
    assert klinik["active"] is True and klinik["reporting_duty"] == "monthly"
    # a monthly reporter has its on-time count; a per-case one has none
    assert klinik["reporting_on_time"] == {"on_time": 0, "due": 6}
    assert next(m for m in section["network"] if m["reporting_duty"] == "per_case")["reporting_on_time"] is None


def test_problems_are_ranked_by_their_usg_total(world):
    problems = _report()["puskesmas"][0]["problems"]
    assert [(p["rank"], p["title"], p["score"]) for p in problems] == [
        (1, w.TOP_PROBLEM, 14),
        (2, w.SECOND_PROBLEM, 12),
        (3, w.THIRD_PROBLEM, 9),
    ]
    top = problems[0]
    assert top["usg"] == {"u": 5, "s": 5, "g": 4, "total": 14}
    assert top["priority"] is True and problems[1]["priority"] is False
    assert top["hanlon"]["npt"] is None and top["causes"][0]["text"] == "Kader belum terlatih"


def test_rtl_items_read_baseline_current_and_target_as_of_the_quarter_end(world):
    # given hypertension coverage 50% year to date in September and 70% in October
    rtl = _report()["puskesmas"][0]["rtl"]
    # then only the priority problem's steps are listed, in their order, with September's value
    assert [s["step"] for s in rtl] == [w.STEP_PEMDES, w.STEP_NETWORK]
    pemdes, network = rtl
    assert (pemdes["baseline"], pemdes["current"], pemdes["target"]) == (40.0, 50.0, 80.0)
    assert pemdes["current_period"] == "2026-09" and pemdes["desa"] == "Maninjau"
    assert pemdes["party"] == "pemdes" and pemdes["person_in_charge"] == "Wali Nagari Maninjau"
    assert pemdes["indicator"] == "hypertension_served" and pemdes["indicator_name"]
    assert pemdes["due_on"] == "2026-12-31" and pemdes["status"] == "planned"
    # 50% against a target line of 80 x 9/12 = 60%: behind by more than the slack
    assert pemdes["progress"] == "at_risk"
    assert network["facility"] == "Klinik Pratama Danau Maninjau" and network["baseline"] == 30.0
    # the network step reads the puskesmas working area (50 of 100) against a target line of 60 x 9/12 = 45%
    assert (network["current"], network["progress"]) == (50.0, "on_track")


def test_q4_reads_the_later_month(world):
    rtl = _report(quarter="2026-Q4")["puskesmas"][0]["rtl"]
    assert rtl[0]["current"] == 70.0 and rtl[0]["current_period"] == "2026-10"


def test_risks_workshops_and_evaluations_of_the_quarter(world):
    section = _report()["puskesmas"][0]
    (risk,) = section["risks"]
    assert (risk["challenge"], risk["likelihood"], risk["impact"], risk["score"]) == (w.RISK, 4, 5, 20)
    assert risk["owner"] == "kapus" and risk["status"] == "open" and risk["mitigation"]
    # only the lokakarya mini held in Q3 (not June's)
    (workshop,) = section["workshops"]
    assert workshop["held_on"] == "2026-08-03" and workshop["attendees"] == 3
    assert [d["text"] for d in workshop["decisions"]] == [w.DECISION]
    (evaluation,) = section["evaluations"]
    assert evaluation["months"] == 6 and evaluation["evaluated_on"] == "2026-07-15"
    assert evaluation["decisions"][0]["member"] == "Klinik Pratama Danau Maninjau"
    assert evaluation["decisions"][0]["decision"] == "continue"


def test_a_quarter_before_the_cycle_has_no_cycle(world):
    section = _report(quarter="2025-Q4")["puskesmas"][0]
    assert section["cycle"] is None and section["problems"] == [] and section["rtl"] == []
    assert section["network"]  # the network exists whatever the cycle


def test_kabupaten_report_lists_every_puskesmas_of_agam(world):
    data = _report(code=w.AGAM)
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, is_active=True, region__regency__code=w.AGAM)
    assert data["area"]["kind"] == "region" and data["area"]["name"] == "Kabupaten Agam"
    assert sorted(r["name"] for r in data["summary"]) == sorted(puskesmas.values_list("name", flat=True))
    assert len(data["summary"]) > 1
    pilot = next(r for r in data["summary"] if r["code"] == w.PILOT)
    assert pilot["pilot"] is True and pilot["ilp_status"] == "running" and pilot["stage"] == "network"
    assert (pilot["steps"], pilot["at_risk"]) == (2, 1)
    others = [r for r in data["summary"] if r["code"] != w.PILOT]
    assert all(r["cycle"] is None and r["steps"] == 0 for r in others)
    # only puskesmas with a cycle get a section
    assert [s["code"] for s in data["puskesmas"]] == [w.PILOT]


def test_unknown_area_future_quarter_and_a_desa_are_refused(world):
    with pytest.raises(LookupError, match=r"99\.99"):
        _report(code="99.99")
    with pytest.raises(LookupError, match=w.MANINJAU):
        _report(code=w.MANINJAU)
    with pytest.raises(ValueError, match="2027-Q1"):
        _report(quarter="2027-Q1")


def test_scope_refuses_areas_it_does_not_read(world, users):
    kapus = scope_for(users["kapus.maninjau"])
    assert _report(scope=kapus)["puskesmas"][0]["code"] == w.PILOT
    with pytest.raises(PermissionDenied):
        _report(code=w.AGAM, scope=kapus)
    other = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(code=w.PILOT).order_by("code").first()
    with pytest.raises(PermissionDenied):
        _report(code=other.code, scope=kapus)
    assert _report(code=w.AGAM, scope=scope_for(users["dinkes.agam"]))["area"]["code"] == w.AGAM
    with pytest.raises(PermissionDenied):
        _report(scope=AreaScope.nothing())
