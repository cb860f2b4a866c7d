"""A cycle of Puskesmas Maninjau built through the services, with the indicator facts its steps read, shared by
the tests of the "Laporan Monitoring ILP" (data, files, command line, page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ilp.facilities.models import Facility, NetworkMember
from ilp.indicators.models import FillState, IndicatorValue
from ilp.planning import services as svc
from ilp.planning.models import Cycle, Party, PathwayPhase, PathwayStep, Problem, WorkshopKind
from ilp.regions.models import Region

PILOT = "P1306030101"
AGAM = "13.06"
MANINJAU = "13.06.03.2003"
BAYUA = "13.06.03.2004"
KLINIK = "KP1306031"
Q3 = "2026-Q3"
Q3_END = dt.date(2026, 9, 30)

TOP_PROBLEM = "Hipertensi tidak terkendali di Nagari Maninjau"
SECOND_PROBLEM = "Lansia jarang diskrining"
THIRD_PROBLEM = "Balita tidak ditimbang tiap bulan"
STEP_PEMDES = "Senam lansia dan cek tensi tiap Jumat"
# Symbols outside latin-1, which the PDF's core fonts cannot write as they are.
STEP_NETWORK = "Skrining usia ≥ 15 tahun → rujuk “segera” \u2013 Klinik ✓"
RISK = "Kader lansia belum terlatih mengukur tensi"
DECISION = "Jadwal senam lansia dipindah ke hari Sabtu"


@dataclass
class ReportWorld:
    cycle: Cycle
    top: Problem
    second: Problem
    third: Problem
    pemdes_step: PathwayStep
    network_step: PathwayStep


def put_fact(indicator: str, desa: str, month: dt.date, n: int, d: int, n_ytd: int, d_ytd: int) -> None:
    village = Region.objects.get(code=desa)
    IndicatorValue.objects.create(
        indicator=indicator, period=month, region=village, village=village, district_id=village.district_id,
        regency_id=village.regency_id, numerator=n, denominator=d, numerator_ytd=n_ytd, denominator_ytd=d_ytd,
    )  # fmt: skip
    FillState.objects.update_or_create(
        indicator=indicator, period=month, defaults={"computed_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}
    )


def build(users) -> ReportWorld:
    """Three scored problems (USG 14, 12, 9; the first and third priority), two RTL steps of the first, a risk,
    a lokakarya mini and a 6-month evaluation in Q3 2026, and hypertension facts of Nagari Maninjau: 50% in
    September (year to date), 70% in October."""
    kapus, dinkes = users["kapus.maninjau"], users["dinkes.agam"]
    pilot = Facility.objects.select_related("region").get(code=PILOT)
    cycle = svc.cycle_start(
        actor=kapus, puskesmas=pilot, name="Siklus ILP 2026", year=2026, started_on=dt.date(2026, 1, 6), method="usg"
    )

    def problem(title, u, s, g, priority):
        row = svc.problem_add(actor=kapus, cycle=cycle, title=title, indicator="hypertension_served")
        return svc.problem_update(actor=kapus, problem=row, usg_u=u, usg_s=s, usg_g=g, is_priority=priority)

    third = problem(THIRD_PROBLEM, 3, 3, 3, True)
    top = problem(TOP_PROBLEM, 5, 5, 4, True)
    second = problem(SECOND_PROBLEM, 4, 4, 4, False)
    svc.root_cause_add(actor=kapus, problem=top, category="man", text="Kader belum terlatih")
    common = {"indicator": "hypertension_served", "due_on": dt.date(2026, 12, 31)}
    pemdes_step = svc.step_save(
        actor=kapus, problem=top, phase=PathwayPhase.PROMOTIVE, title=STEP_PEMDES, party=Party.PEMDES,
        village=Region.objects.get(code=MANINJAU), person_in_charge="Wali Nagari Maninjau", baseline_pct=40,
        target_pct=80, **common,
    )  # fmt: skip
    klinik = Facility.objects.get(code=KLINIK)
    network_step = svc.step_save(
        actor=kapus, problem=top, phase=PathwayPhase.SCREENING, title=STEP_NETWORK, party=Party.NETWORK,
        facility=klinik, person_in_charge="dr. Klinik", baseline_pct=30, target_pct=60, order=2, **common,
    )  # fmt: skip
    svc.risk_save(
        actor=kapus, cycle=cycle, challenge=RISK, likelihood=4, impact=5, mitigation="Pelatihan kader Agustus",
        owner=Party.KEPALA_PUSKESMAS,
    )  # fmt: skip
    workshop = svc.workshop_create(actor=kapus, cycle=cycle, kind=WorkshopKind.MONTHLY, held_on=dt.date(2026, 8, 3))
    svc.workshop_record(actor=kapus, workshop=workshop, attendees="dr. A, kapus\nB, bidan\n\nC, kader\n", notes="")
    svc.decision_add(actor=kapus, workshop=workshop, text=DECISION)
    # Outside Q3: not in its report.
    svc.workshop_create(actor=kapus, cycle=cycle, kind=WorkshopKind.MONTHLY, held_on=dt.date(2026, 6, 1))
    member = NetworkMember.objects.get(puskesmas=pilot, member=klinik)
    svc.evaluation_record(
        actor=dinkes, cycle=cycle, months=6, evaluated_on=dt.date(2026, 7, 15), notes="Jejaring berjalan",
        decisions={member.pk: ("continue", "PKS diperpanjang")},
    )  # fmt: skip
    put_fact("hypertension_served", MANINJAU, dt.date(2026, 9, 1), 5, 100, 50, 100)
    put_fact("hypertension_served", MANINJAU, dt.date(2026, 10, 1), 20, 100, 70, 100)
    return ReportWorld(cycle, top, second, third, pemdes_step, network_step)
