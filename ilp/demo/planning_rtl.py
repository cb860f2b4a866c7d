"""The demo's RTL pathways and their implementation log (`demo.planning` tells the story).

The hypertension pathway runs from promotive to home care across the puskesmas (Klaster 3), the pustu, the
kader, the pemdes of Nagari Maninjau (Dana Desa) and two network members (the klinik pratama under JKN
capitation, the lab); it is approved in March and each party records its own progress. The stunting pathway is
a draft of Klaster 2 waiting for the kepala's approval.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ilp.demo.seed import MANINJAU, PILOT_CODE
from ilp.facilities.models import Facility, FacilityKind, Profession
from ilp.planning import services as svc
from ilp.planning.models import (
    BudgetSource,
    Party,
    PathwayPhase,
    PathwayStep,
    Problem,
    StepStatus,
)
from ilp.planning.selectors import indicator_value, monitoring_period

if TYPE_CHECKING:
    from ilp.demo.planning import Cast
    from ilp.demo.planning_story import Story

LAB_CODE = "LAB1306031"
KLINIK_CODE = "KP1306031"
# Last year's achievement as a share of this year's level so far (the demo's facts start 12 months ago).
LAST_YEAR_SHARE = 0.85


def pustu_of_maninjau() -> Facility:
    return (
        Facility.objects.select_related("region")
        .prefetch_related("health_workers")
        .get(kind=FacilityKind.PUSTU, parent__code=PILOT_CODE, region__code=MANINJAU)
    )


def bidan_of(pustu: Facility) -> str:
    return next((w.name for w in pustu.health_workers.all() if w.profession == Profession.BIDAN), "Bidan desa")


def _hypertension_steps(cast: Cast, story: Story) -> list[tuple[str, dict, list[tuple]]]:
    """(key, step fields, events) of the hypertension pathway; an event is (status, on, actor, note, issue)."""
    kader, pustu_user, wali, klinik_user, kapus = cast.kader, cast.pustu, cast.walinagari, cast.klinik, cast.kapus
    bayua = pustu_user.facility.region
    maninjau = wali.region
    pustu = pustu_of_maninjau()
    klinik = Facility.objects.get(code=KLINIK_CODE)
    lab = Facility.objects.get(code=LAB_CODE)
    return [
        (
            "promotive_kader",
            {
                "phase": PathwayPhase.PROMOTIVE,
                "title": "Penyuluhan CERDIK dan diet rendah garam di posyandu",
                "activities": (
                    "Penyuluhan 10 menit tiap hari buka posyandu; leaflet CERDIK; peragaan takaran garam satu "
                    "sendok teh sehari; mengajak anggota keluarga usia ≥15 tahun mengukur tekanan darah."
                ),
                "party": Party.KADER,
                "village": bayua,
                "person_in_charge": f"{kader.get_full_name()} (kader {kader.facility.name})",
                "indicator": "spm_productive",
                "target_pct": 70,
                "budget": 1_800_000,
                "budget_source": BudgetSource.BOK,
            },
            [
                (StepStatus.IN_PROGRESS, story.ago(6, 12), kader, f"Penyuluhan pertama di {kader.facility.name}.", ""),
                (StepStatus.DONE, story.ago(2, 18), kader, "Enam sesi penyuluhan selesai di kedua posyandu Bayua.", ""),
            ],
        ),
        (
            "promotive_pemdes",
            {
                "phase": PathwayPhase.PROMOTIVE,
                "title": "Senam lansia dan sosialisasi CERDIK tiap Jumat",
                "activities": (
                    "Senam lansia tiap Jumat pagi di halaman Kantor Wali Nagari Maninjau, lalu cek tekanan darah "
                    "oleh bidan pustu dan sosialisasi CERDIK; instruktur dan konsumsi dari Dana Desa "
                    f"(APBNag {story.year})."
                ),
                "party": Party.PEMDES,
                "village": maninjau,
                "person_in_charge": f"{wali.get_full_name()} (Wali Nagari Maninjau)",
                "indicator": "spm_elderly",
                "target_pct": 85,
                "budget": 9_600_000,
                "budget_source": BudgetSource.DANA_DESA,
            },
            [
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(5, 7),
                    wali,
                    f"Anggaran senam lansia masuk APBNag {story.year} (Rp 9,6 juta). "
                    "Senam perdana Jumat ini, 41 peserta.",
                    "",
                ),
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(1, 24),
                    wali,
                    "Senam berjalan tiap Jumat, 35-45 peserta; dua kali batal karena hujan.",
                    "",
                ),
            ],
        ),
        (
            "screening",
            {
                "phase": PathwayPhase.SCREENING,
                "title": "Skrining tekanan darah usia ≥15 tahun di posyandu",
                "activities": (
                    "Pekan skrining serentak: bidan/perawat pustu dan kader mengukur tekanan darah semua warga "
                    "≥15 tahun yang datang ke posyandu; hasil dicatat di ASIK; tekanan darah ≥140/90 dirujuk ke "
                    "Klaster 3."
                ),
                "party": Party.PUSTU,
                "facility": pustu,
                "village": maninjau,
                "person_in_charge": f"{bidan_of(pustu)} ({pustu.name})",
                "indicator": "spm_productive",
                "target_pct": 80,
                "budget": 3_500_000,
                "budget_source": BudgetSource.BOK,
            },
            [
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(4, 15),
                    kapus,
                    "Pekan skrining serentak dimulai di 20 posyandu.",
                    "",
                ),
                (
                    StepStatus.DONE,
                    story.ago(3, 2),
                    kapus,
                    "Skrining serentak selesai; warga dengan tekanan darah ≥140/90 sudah dirujuk ke Klaster 3.",
                    "",
                ),
            ],
        ),
        (
            "curative_puskesmas",
            {
                "phase": PathwayPhase.CURATIVE,
                "title": "Tata laksana hipertensi sesuai PPK dan kontrol bulanan (Prolanis)",
                "activities": (
                    "Diagnosis dan terapi sesuai PPK hipertensi; kontrol dan obat tiap 30 hari; Prolanis tiap Sabtu "
                    "minggu ketiga; pasien belum terkendali setelah 3 bulan dirujuk ke RSUD Lubuk Basung."
                ),
                "party": Party.CLUSTER_3,
                "person_in_charge": "dr. Hendra Saputra (PJ Klaster 3)",
                "indicator": "hypertension_served",
                "target_pct": 100,
                "budget": 6_000_000,
                "budget_source": BudgetSource.JKN,
            },
            [
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(7, 3),
                    kapus,
                    "Register pasien hipertensi per jorong disusun dari ASIK dan kartu Prolanis.",
                    "",
                ),
            ],
        ),
        (
            "curative_klinik",
            {
                "phase": PathwayPhase.CURATIVE,
                "title": "Tata laksana hipertensi sesuai PPK di klinik jejaring dan laporan bulanan",
                "activities": (
                    "Pasien hipertensi peserta JKN di klinik ditangani sesuai PPK; daftar pasien dan tekanan darah "
                    "dikirim ke Klaster 3 tiap bulan; pasien belum terkendali dirujuk ke RSUD Lubuk Basung."
                ),
                "party": Party.NETWORK,
                "facility": klinik,
                "person_in_charge": f"dr. {klinik_user.get_full_name()} ({klinik.name})",
                "indicator": "hypertension_served",
                "target_pct": 100,
                "budget_source": BudgetSource.JKN,
            },
            [
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(4, 5),
                    klinik_user,
                    "Laporan pertama pasien hipertensi klinik dikirim ke Klaster 3.",
                    "",
                ),
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(1, 6),
                    klinik_user,
                    "Laporan bulanan dikirim; 3 pasien belum terkendali dirujuk ke RSUD Lubuk Basung.",
                    "",
                ),
            ],
        ),
        (
            "lab",
            {
                "phase": PathwayPhase.CURATIVE,
                "title": "Pemeriksaan profil lipid dan gula darah puasa untuk pasien rujukan",
                "activities": (
                    "Pasien hipertensi baru dan pasien DM dirujuk dengan formulir rujukan laboratorium; hasil "
                    "dikirim ke puskesmas dalam 2 hari; tarif per pemeriksaan disepakati dalam adendum PKS."
                ),
                "party": Party.NETWORK,
                "facility": lab,
                "person_in_charge": f"Yuliarni, A.Md.AK ({lab.name})",
                "indicator": "diabetes_served",
                "target_pct": 100,
                "due_on": story.month_end_ago(2),
                "budget": 12_500_000,
                "budget_source": BudgetSource.APBD,
            },
            [
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(4, 20),
                    kapus,
                    "Draf adendum PKS tarif pemeriksaan dikirim ke laboratorium dan Dinkes.",
                    "Tarif profil lipid belum disepakati; menunggu persetujuan Dinkes Kabupaten Agam.",
                ),
            ],
        ),
        (
            "home_visits",
            {
                "phase": PathwayPhase.REHABILITATIVE,
                "title": "Kunjungan rumah pasien hipertensi tidak terkontrol",
                "activities": (
                    "Kunjungan rumah pasien hipertensi yang tidak kontrol: ukur tekanan darah, cek obat, edukasi "
                    "diet rendah garam."
                ),
                "party": Party.PUSTU,
                "village": bayua,
                "person_in_charge": f"{pustu_user.get_full_name()} ({pustu_user.facility.name})",
                "indicator": "hypertension_served",
                "target_pct": 100,
                "budget": 2_400_000,
                "budget_source": BudgetSource.BOK,
            },
            [
                (
                    StepStatus.IN_PROGRESS,
                    story.ago(3, 10),
                    pustu_user,
                    "12 pasien dikunjungi; 4 putus obat.",
                    "Stok amlodipin di pustu kosong dua minggu.",
                ),
            ],
        ),
    ]


def _stunting_steps(cast: Cast, story: Story) -> list[dict]:
    maninjau = cast.walinagari.region
    return [
        {
            "phase": PathwayPhase.PREVENTIVE,
            "title": "Konseling gizi dan PMT lokal berbahan ikan danau untuk balita yang berat badannya tidak naik",
            "activities": "Konseling gizi di posyandu; PMT lokal 90 hari dari ikan bilih dan rinuak.",
            "party": Party.CLUSTER_2,
            "person_in_charge": "Yulia Fitri, S.Gz (Klaster 2)",
            "indicator": "child_gained",
            "target_pct": 60,
            "budget": 7_200_000,
            "budget_source": BudgetSource.BOK,
        },
        {
            "phase": PathwayPhase.SCREENING,
            "title": "Penimbangan dan pengukuran panjang/tinggi badan balita tiap bulan",
            "activities": "Alat antropometri standar di tiap posyandu; kader dilatih ulang mengukur panjang badan.",
            "party": Party.KADER,
            "village": maninjau,
            "person_in_charge": "Kader posyandu Nagari Maninjau",
            "indicator": "child_weighed",
            "target_pct": 85,
        },
        {
            "phase": PathwayPhase.PROMOTIVE,
            "title": "Kelas ibu balita dan PMT lokal dari Dana Desa",
            "activities": "Kelas ibu balita sebulan sekali di tiap jorong; PMT lokal dianggarkan di APBNag.",
            "party": Party.PEMDES,
            "village": maninjau,
            "person_in_charge": f"{cast.walinagari.get_full_name()} (Wali Nagari Maninjau)",
            "indicator": "stunting",
            "target_pct": 18,
            "budget": 15_000_000,
            "budget_source": BudgetSource.DANA_DESA,
        },
    ]


def _last_year(fields: dict, story: Story) -> Decimal | None:
    """The step's baseline as the planners wrote it in March: last year's achievement from the annual SPM
    report. The demo's facts hold only the last 12 months, so it is put a little below this year's level."""
    area = fields["village"].code if fields.get("village") else PILOT_CODE
    now = indicator_value(indicator=fields["indicator"], area_code=area, period=monitoring_period(story.today))
    if now is None:
        return None
    return Decimal(str(round(min(now, 95.0) * LAST_YEAR_SHARE, 1)))


def seed_pathways(*, cast: Cast, story: Story, hypertension: Problem, stunting: Problem) -> dict[str, PathwayStep]:
    """The approved hypertension RTL with its progress, and the stunting draft (its baselines read from the PWS
    by the service, as a draft written last month would be); returns the first by key."""
    steps = {}
    plan = _hypertension_steps(cast, story)
    for order, (key, fields, _events) in enumerate(plan, start=1):
        fields = {"due_on": story.year_end, "baseline_pct": _last_year(fields, story), **fields}
        steps[key] = svc.step_save(actor=cast.kapus, problem=hypertension, order=order, **fields)
    svc.rtl_approve(actor=cast.kapus, problem=hypertension)
    for key, _fields, events in plan:
        for status, on, actor, note, issue in events:
            svc.step_progress_record(actor=actor, step=steps[key], status=status, on=on, note=note, issue=issue)
    for order, fields in enumerate(_stunting_steps(cast, story), start=1):
        svc.step_save(actor=cast.klaster2, problem=stunting, order=order, due_on=story.year_end, **fields)
    return steps
