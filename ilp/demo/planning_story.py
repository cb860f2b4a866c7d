"""The demo ILP cycle's dates, risk register and lokakarya mini (`demo.planning` tells the story).

`Story` keeps every date of the story within the cycle's year so far and never after yesterday, so the demo
holds up whatever day it is seeded on. The services stamp creation times with the clock; `backdate` then
writes the story's own dates onto those timestamps, so pages and the lokakarya agenda see a cycle that grew
over the year (the audit log keeps the real times).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from ilp.demo.planning_rtl import bidan_of, pustu_of_maninjau
from ilp.planning import services as svc
from ilp.planning.models import (
    BudgetSource,
    Cycle,
    DecisionAction,
    Level5,
    Party,
    PathwayPhase,
    PathwayStep,
    Problem,
    RiskStatus,
    RootCause,
    StepEvent,
    WorkshopKind,
)

if TYPE_CHECKING:
    from ilp.demo.planning import Cast

LOKMIN_PLACE = "Aula Puskesmas Maninjau"


@dataclass(frozen=True)
class Story:
    """The dates of the story, all within the cycle's year so far and never after yesterday."""

    today: dt.date
    year: int

    @property
    def started_on(self) -> dt.date:
        return dt.date(self.year, 1, 8)

    @property
    def latest(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def approved_on(self) -> dt.date:
        return self.on(3, 14)

    def clamp(self, day: dt.date, *, after: dt.date | None = None) -> dt.date:
        return max(after or self.started_on, min(day, self.latest))

    def on(self, month: int, day: int) -> dt.date:
        """A calendar day of the cycle's year."""
        return self.clamp(dt.date(self.year, month, day))

    def ago(self, months: int, day: int) -> dt.date:
        """Day `day` of the month `months` before today's, after the RTL was approved."""
        index = self.today.year * 12 + self.today.month - 1 - months
        return self.clamp(dt.date(index // 12, index % 12 + 1, min(day, 28)), after=self.approved_on)

    def month_end_ago(self, months: int) -> dt.date:
        first = self.ago(months, 1).replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return self.clamp(nxt - dt.timedelta(days=1))

    def lokmin_day(self) -> dt.date:
        """The first working day of this month (of last month when this month has had none yet)."""
        day = self.today.replace(day=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        if day > self.today:
            prev = (self.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            while prev.weekday() >= 5:
                prev += dt.timedelta(days=1)
            day = prev
        return day

    def new_step_fields(self) -> dict:
        """The step the lokakarya mini adds: an afternoon posyandu near the jetty (the MMD's proposal)."""
        pustu = pustu_of_maninjau()
        return {
            "order": 8,
            "phase": PathwayPhase.SCREENING,
            "title": "Posyandu sore di dekat dermaga untuk laki-laki usia produktif",
            "activities": (
                "Tiap Kamis minggu kedua pukul 16.30-18.00 di dekat dermaga: ukur tekanan darah, gula darah dan "
                "IMT; kader Nagari Maninjau dibantu bidan pustu; hasil dicatat di ASIK."
            ),
            "party": Party.KADER,
            "village": pustu.region,
            "person_in_charge": f"{bidan_of(pustu)} ({pustu.name}) dan kader Nagari Maninjau",
            "indicator": "spm_productive",
            "target_pct": 60,
            "due_on": self.year_end,
            "budget": 3_000_000,
            "budget_source": BudgetSource.DANA_DESA,
        }


RISKS = (
    (
        "Stok obat antihipertensi (amlodipin) di pustu sering kosong",
        Level5.HIGH,
        Level5.HIGH,
        "LPLPO bulanan ke gudang farmasi Dinkes; stok penyangga 2 bulan di puskesmas; pustu melapor sisa stok "
        "tiap Senin.",
        Party.CLUSTER_3,
        RiskStatus.MITIGATING,
    ),
    (
        "Kader berganti karena pindah atau merantau",
        Level5.MEDIUM,
        Level5.MEDIUM,
        "Tiap posyandu menyiapkan 2 kader cadangan; pelatihan kader baru bersama bidan koordinator tiap semester.",
        Party.CLUSTER_1,
        RiskStatus.OPEN,
    ),
    (
        "Sinyal internet lemah di Jorong Sigiran (Nagari Tanjung Sani) untuk input ASIK/SATUSEHAT",
        Level5.HIGH,
        Level5.MEDIUM,
        "Input luring di ASIK, sinkron di pustu atau puskesmas; usulan penguat sinyal lewat Musrenbang Kecamatan.",
        Party.PUSTU,
        RiskStatus.MITIGATING,
    ),
    (
        "Ikan mati massal (tubo belerang) di Danau Maninjau menurunkan pendapatan keluarga keramba",
        Level5.MEDIUM,
        Level5.HIGH,
        "Koordinasi dengan Dinas Perikanan dan wali nagari; PMT lokal tetap berjalan dari Dana Desa.",
        Party.LINTAS_SEKTOR,
        RiskStatus.OPEN,
    ),
    (
        "Laporan bulanan klinik jejaring terlambat atau tidak lengkap",
        Level5.MEDIUM,
        Level5.MEDIUM,
        "Format laporan satu lembar; PJ Klaster 1 mengingatkan lewat grup WhatsApp jejaring tiap tanggal 3.",
        Party.NETWORK,
        RiskStatus.MITIGATING,
    ),
)


def seed_risks(*, cast: Cast, cycle: Cycle) -> None:
    for challenge, likelihood, impact, mitigation, owner, status in RISKS:
        svc.risk_save(
            actor=cast.kapus,
            cycle=cycle,
            challenge=challenge,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner=owner,
            status=status,
        )


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def backdate(*, cycle: Cycle, story: Story) -> None:
    """Move the creation times the services stamped onto the story's dates (problems found in January, the
    RTL approved in March, progress on the days it was recorded, the stunting draft last month, the lokakarya
    mini and what it decided on its day). Idempotent: run before the lokakarya (its agenda reads them) and after."""
    Cycle.objects.filter(pk=cycle.pk).update(created_at=_at(story.started_on))
    cycle.problems.update(created_at=_at(story.on(1, 22)))
    RootCause.objects.filter(problem__cycle=cycle).update(created_at=_at(story.on(2, 5)))
    steps = PathwayStep.objects.filter(problem__cycle=cycle, from_decision__isnull=True)
    steps.filter(problem__rtl_approved_at__isnull=False).update(created_at=_at(story.on(3, 3)))
    steps.filter(problem__rtl_approved_at__isnull=True).update(created_at=_at(story.ago(1, 12)))
    cycle.problems.filter(rtl_approved_at__isnull=False).update(rtl_approved_at=_at(story.approved_on, 14))
    for event in StepEvent.objects.filter(step__problem__cycle=cycle).only("pk", "on"):
        StepEvent.objects.filter(pk=event.pk).update(at=_at(event.on, 10))
    cycle.risks.update(created_at=_at(story.on(3, 20)))
    for workshop in cycle.workshops.all():
        at = _at(workshop.held_on, 11)
        cycle.workshops.filter(pk=workshop.pk).update(created_at=_at(workshop.held_on, 8))
        workshop.decisions.update(created_at=at)
        PathwayStep.objects.filter(from_decision__workshop=workshop).update(created_at=at)
    last = dict(
        StepEvent.objects.filter(step__problem__cycle=cycle)
        .values("step_id")
        .annotate(m=Max("at"))
        .values_list("step_id", "m")
    )
    for step in PathwayStep.objects.filter(problem__cycle=cycle).only("pk", "created_at"):
        PathwayStep.objects.filter(pk=step.pk).update(
            updated_at=max(step.created_at, last.get(step.pk, step.created_at))
        )


def _attendees(cast: Cast) -> str:
    pustu_maninjau = pustu_of_maninjau()
    bidan = bidan_of(pustu_maninjau)
    lines = [
        "dr. Rahmi Yulianti — Kepala Puskesmas Maninjau (pimpinan rapat)",
        "Syafrizal, S.KM — Kepala Tata Usaha, PJ Klaster 1",
        "Desmawati, S.Tr.Keb — PJ Klaster 2",
        "dr. Hendra Saputra — PJ Klaster 3",
        "Zulhendri, S.KM — PJ Klaster 4",
        "Elfi Sahara, A.Md.AK — PJ Lintas Klaster (laboratorium)",
        "apt. Lisa Oktavia, S.Farm — Apoteker",
        f"{cast.pustu.get_full_name()} — {cast.pustu.facility.name}",
        f"{bidan} — {pustu_maninjau.name}",
        f"{cast.kader.get_full_name()} — Kader {cast.kader.facility.name}",
        f"dr. {cast.klinik.get_full_name()} — Klinik Pratama Danau Maninjau",
        "Yusnimar, S.Tr.Keb — PMB Bidan Yusnimar",
        "Yuliarni, A.Md.AK — Laboratorium Klinik Tanjung Raya",
        "Nurlela, A.Md.RMIK — Notulen",
    ]
    return "\n".join(lines)


def seed_workshop(
    *, cast: Cast, cycle: Cycle, story: Story, hypertension: Problem, home_visits: PathwayStep
) -> dt.date:
    """This month's lokakarya mini: the agenda from the data, who came, the minutes and three decisions."""
    kapus = cast.kapus
    held_on = story.lokmin_day()
    workshop = svc.workshop_create(
        actor=kapus, cycle=cycle, kind=WorkshopKind.MONTHLY, held_on=held_on, place=LOKMIN_PLACE
    )
    svc.workshop_record(
        actor=kapus,
        workshop=workshop,
        attendees=_attendees(cast),
        notes=(
            "1. Kegiatan bulan lalu: senam lansia tiap Jumat di Nagari Maninjau berjalan; skrining tekanan darah "
            "di posyandu selesai; klinik jejaring mulai mengirim laporan pasien hipertensi.\n"
            "2. PWS: cakupan skrining usia produktif masih jauh dari target, terutama laki-laki; stunting belum "
            "turun.\n"
            "3. Kesepakatan tarif pemeriksaan profil lipid dengan laboratorium jejaring belum selesai (terlambat).\n"
            "4. Stok amlodipin di Pustu Bayua kosong dua minggu; apoteker mengajukan permintaan ke gudang farmasi."
        ),
    )
    svc.decision_add(
        actor=kapus,
        workshop=workshop,
        text=(
            "Laporan bulanan jejaring (klinik, PMB, laboratorium) dikirim paling lambat tanggal 5; Klaster 1 "
            "merekap untuk PWS."
        ),
    )
    svc.decision_add(
        actor=kapus,
        workshop=workshop,
        text=(
            "Posyandu sore di dekat dermaga Nagari Maninjau tiap Kamis minggu kedua untuk laki-laki usia "
            "produktif yang bekerja di keramba (tindak lanjut MMD)."
        ),
        action=DecisionAction.NEW_STEP,
        problem=hypertension,
        step_fields=story.new_step_fields(),
    )
    svc.decision_add(
        actor=kapus,
        workshop=workshop,
        text=(
            "Kunjungan rumah pustu diprioritaskan untuk pasien hipertensi yang tidak kontrol 2 bulan berturut-turut; "
            "Klaster 3 mengirim daftar nama ke pustu tiap awal bulan."
        ),
        action=DecisionAction.STEP_UPDATE,
        step=home_visits,
        step_fields={
            "activities": (
                "Kunjungan rumah pasien hipertensi yang tidak kontrol 2 bulan berturut-turut (daftar nama dari "
                "Klaster 3 tiap awal bulan): ukur tekanan darah, cek kepatuhan minum obat, edukasi diet rendah "
                "garam, rujuk ke puskesmas bila ≥180/110."
            )
        },
    )
    return held_on
