"""The demo's running ILP cycle of Puskesmas Maninjau: the whole loop a new user can walk through.

Stage 0 (readiness checklist, SK Target Kinerja, RACI matrix), a cycle started in January with its problems
generated from the demo's PWS facts, USG scores, two hand-entered problems from the SMD/MMD, a fishbone for
hypertension, an approved hypertension RTL with tasks for the puskesmas, pustu, kader, the klinik and the
pemdes (`demo.planning_rtl`), a draft stunting RTL, the risk register and this month's lokakarya mini
(`demo.planning_story`).

Every write goes through the planning services acting as the demo user who would do it (the kepala
puskesmas plans, the wali nagari, pustu, kader and klinik record their own progress), so the audit log reads
as the story; the story's dates are then put on the creation times (`planning_story.backdate`). Idempotent:
when the cycle exists nothing is written.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.accounts.services import user_create
from ilp.demo.planning_rtl import KLINIK_CODE, seed_pathways
from ilp.demo.planning_story import Story, backdate, seed_risks, seed_workshop
from ilp.demo.seed import DEMO_PASSWORD, PILOT_CODE
from ilp.facilities.models import Facility, FacilityKind, NetworkMember, Profession
from ilp.indicators.registry import get
from ilp.lifecycle.models import Encounter
from ilp.planning import services as svc
from ilp.planning.models import (
    GENERATED_SOURCES,
    CauseCategory,
    Cycle,
    CycleStage,
    Method,
    PathwayStep,
    Problem,
    ProblemSource,
    ReadinessItem,
    StepStatus,
    WorkshopDecision,
)
from ilp.planning.selectors import OPEN_STATUSES, monitoring_period
from ilp.planning.services import setup

KLINIK_USER = "klinik.maninjau"
KLINIK_USER_NAME = "Rizki Fauzan Chaniago"
HYPERTENSION_INDICATORS = ("hypertension_served", "spm_productive")
STUNTING_INDICATORS = ("stunting", "child_gained", "child_weighed")
# Success indicators of the SK Target Kinerja: the SPM PTM services, maternal and child health, TB.
SK_INDICATORS = (
    "hypertension_served",
    "diabetes_served",
    "spm_productive",
    "spm_elderly",
    "anc_k6",
    "child_weighed",
    "idl",
    "stunting",
    "tb_screened",
)
RACI = (
    ("Pembentukan jejaring fungsional (MoU/PKS)", {"dinkes": "A", "kapus": "R", "k1": "R", "jejaring": "C"}),
    ("Skrining PTM di posyandu", {"k3": "A", "pustu": "R", "kader": "R", "pemdes": "C", "kapus": "I"}),
    ("Kunjungan rumah", {"k1": "A", "pustu": "R", "kader": "R", "k2": "C", "k3": "C", "pemdes": "I"}),
    ("Lokakarya mini bulanan", {"kapus": "A", "k1": "R", "k2": "C", "k3": "C", "k4": "C", "jejaring": "C"}),
    ("Pelaporan ke SATUSEHAT", {"k1": "A", "k2": "R", "k3": "R", "k4": "R", "pustu": "R", "dinkes": "I"}),
    ("Rujukan balik dari FKRTL dan jejaring", {"k3": "A", "jejaring": "R", "pustu": "C", "kader": "I"}),
    ("Dana Desa untuk kegiatan posyandu", {"pemdes": "A", "pkk": "R", "pustu": "C", "kecamatan": "I"}),
)
CAUSES = (
    (CauseCategory.MAN, "Pasien merasa sehat lalu berhenti minum obat; kontrol hanya saat ada keluhan"),
    (CauseCategory.MAN, "Sebagian kader belum terampil memakai tensimeter digital"),
    (CauseCategory.MONEY, "Dana BOK untuk transport kunjungan rumah terbatas"),
    (CauseCategory.METHOD, "Belum ada daftar pasien hipertensi per jorong untuk melacak yang tidak kontrol"),
    (CauseCategory.METHOD, "Pasien hipertensi klinik swasta belum dilaporkan ke puskesmas"),
    (CauseCategory.MATERIAL, "Stok amlodipin di pustu sering kosong"),
    (CauseCategory.MATERIAL, "Tensimeter di 6 posyandu rusak atau belum dikalibrasi"),
    (CauseCategory.ENVIRONMENT, "Pola makan tinggi garam: gulai, samba lado, ikan asin dan rinuak goreng"),
    (CauseCategory.ENVIRONMENT, "Laki-laki usia produktif di keramba atau ladang saat jam posyandu"),
)
HAND_PROBLEMS = (
    (
        ProblemSource.MMD,
        "Warga laki-laki usia produktif jarang datang ke posyandu karena bekerja di keramba/ladang",
        "MMD Nagari Maninjau: posyandu buka pagi, saat bapak-bapak memberi makan ikan di keramba atau ke ladang; "
        "usul posyandu sore di dekat dermaga.",
        "spm_productive",
        (4, 4, 4),
    ),
    (
        ProblemSource.SMD,
        "Banyak keluarga belum tahu tanda bahaya hipertensi dan stroke",
        "SMD di 10 nagari (kader dan mahasiswa): 6 dari 10 responden tidak tahu tekanan darah normal; "
        "hanya 2 dari 10 pernah mendengar CERDIK.",
        "",
        (3, 4, 3),
    ),
)
# USG by the kind of the generated problem (most keep within 12: the two priorities are scored above).
USG_BY_SOURCE = {
    ProblemSource.BELOW_TARGET: (4, 3, 3),
    ProblemSource.WORSENING: (3, 3, 4),
    ProblemSource.RED_DESA: (3, 3, 2),
    ProblemSource.DATA_QUALITY: (2, 2, 2),
}
SMALL_SASARAN = 30


@dataclass
class PlanningResult:
    """What the demo's ILP cycle holds (whether or not this call wrote it)."""

    created: bool
    cycle: str
    problems: int
    generated: int
    priorities: int
    steps: int
    done: int
    overdue: int
    risks: int
    workshops: int
    decisions: int


@dataclass
class Cast:
    """The demo users who act in the story, and the places it happens."""

    kapus: User
    klaster2: User
    pustu: User
    kader: User
    walinagari: User
    klinik: User
    pilot: Facility


def cycle_year(today: dt.date) -> int:
    """This year's cycle, or last year's while January is young (the new cycle starts in January)."""
    return today.year - 1 if today.month == 1 else today.year


def cycle_name(year: int) -> str:
    return f"Siklus ILP {year} Puskesmas Maninjau"


def _cast(pilot: Facility) -> Cast:
    users = {u.username: u for u in User.objects.select_related("facility__region", "region")}
    klinik = users.get(KLINIK_USER) or network_user_create(Facility.objects.get(code=KLINIK_CODE))
    return Cast(
        kapus=users["kapus.maninjau"],
        klaster2=users["klaster2.maninjau"],
        pustu=users["pustu.bayua"],
        kader=users["kader.bayua"],
        walinagari=users["walinagari.maninjau"],
        klinik=klinik,
        pilot=pilot,
    )


def network_user_create(klinik: Facility) -> User:
    """The klinik's demo user (for a demo database seeded before the network role existed)."""
    return user_create(
        username=KLINIK_USER,
        password=DEMO_PASSWORD,
        role=Role.NETWORK_STAFF,
        full_name=KLINIK_USER_NAME,
        facility=klinik,
        validate=False,
    )


def seed_planning(*, seed: int, today: dt.date) -> PlanningResult:
    """Seed the running ILP cycle of the pilot once; a second call changes nothing."""
    pilot = Facility.objects.select_related("region").get(code=PILOT_CODE)
    year = cycle_year(today)
    cycle = Cycle.objects.filter(puskesmas=pilot, name=cycle_name(year)).first()
    if cycle is not None:
        return planning_summary(cycle, today=today, created=False)
    with transaction.atomic():
        cycle = _seed(seed=seed, today=today, pilot=pilot, year=year)
    return planning_summary(cycle, today=today, created=True)


def _network_entry_days(pilot: Facility, rng: random.Random) -> None:
    """The synthetic population's encounters were all entered today; a network facility enters a visit some
    days after it (mostly within the month's reporting deadline, now and then late), which is what the
    network page's on-time reporting reads (`planning.network`)."""
    members = NetworkMember.objects.filter(puskesmas=pilot).values_list("member_id", flat=True)
    rows = list(Encounter.objects.filter(facility_id__in=members).only("pk", "date", "created_at").order_by("pk"))
    now = timezone.now()
    for row in rows:
        lag = dt.timedelta(days=rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 30, 45)))
        row.created_at = min(now, dt.datetime.combine(row.date, dt.time(15), tzinfo=dt.UTC) + lag)
    Encounter.objects.bulk_update(rows, ["created_at"], batch_size=500)


def _seed(*, seed: int, today: dt.date, pilot: Facility, year: int) -> Cycle:
    rng = random.Random(f"{seed}:planning")
    cast = _cast(pilot)
    story = Story(today=today, year=year)
    decree = _stage0(cast, story)
    cycle = svc.cycle_start(
        actor=cast.kapus,
        puskesmas=pilot,
        name=cycle_name(year),
        year=year,
        started_on=story.started_on,
        method=Method.USG,
        usg_aggregation="sum",
    )
    svc.cycle_update(actor=cast.kapus, cycle=cycle, stage=CycleStage.PROBLEMS)
    hypertension, stunting = _problems(cast, cycle, story, rng)
    for category, text in CAUSES:
        svc.root_cause_add(actor=cast.kapus, problem=hypertension, category=category, text=text)
    svc.cycle_update(actor=cast.kapus, cycle=cycle, stage=CycleStage.RTL)
    steps = seed_pathways(cast=cast, story=story, hypertension=hypertension, stunting=stunting)
    svc.cycle_update(actor=cast.kapus, cycle=cycle, stage=CycleStage.IMPLEMENTATION)
    seed_risks(cast=cast, cycle=cycle)
    backdate(cycle=cycle, story=story)
    _network_entry_days(pilot, rng)
    held_on = seed_workshop(
        cast=cast, cycle=cycle, story=story, hypertension=hypertension, home_visits=steps["home_visits"]
    )
    setup.readiness_check_set(
        actor=cast.kapus,
        puskesmas=pilot,
        item=ReadinessItem.TARGETS_SK,
        done=True,
        done_on=decree.signed_on,
        evidence=f"SK Kepala Puskesmas No. {decree.number}",
    )
    setup.readiness_check_set(
        actor=cast.kapus,
        puskesmas=pilot,
        item=ReadinessItem.LOKMIN,
        done=True,
        done_on=held_on,
        evidence=f"Notulen lokakarya mini bulanan {held_on:%d-%m-%Y}",
    )
    svc.cycle_update(actor=cast.kapus, cycle=cycle, stage=CycleStage.MONITORING)
    backdate(cycle=cycle, story=story)
    return cycle


def _stage0(cast: Cast, story: Story):
    """The readiness checklist (ticked in 2024, when the rollout was prepared), this year's SK Target Kinerja
    and the RACI matrix, written by the kepala puskesmas."""
    pilot, kapus = cast.pilot, cast.kapus
    waiting = (
        Facility.objects.filter(kind=FacilityKind.PUSTU, parent=pilot)
        .exclude(health_workers__profession=Profession.PERAWAT)
        .order_by("code")
        .first()
    )
    checks = (
        (ReadinessItem.CLUSTER_SK, True, dt.date(2024, 7, 15), "SK Kepala Puskesmas No. 445/012/PKM-MNJ/2024"),
        (
            ReadinessItem.STAFF_IN_CLUSTERS,
            True,
            dt.date(2024, 7, 15),
            "Lampiran SK No. 445/012/PKM-MNJ/2024: pembagian staf dan PJ klaster",
        ),
        (
            ReadinessItem.PUSTU_STAFFED,
            False,
            None,
            f"{waiting.name if waiting else 'Satu pustu'} belum punya perawat; usulan tenaga ke Dinkes Agam "
            "No. 800/057/PKM-MNJ/2024",
        ),
        (
            ReadinessItem.POSYANDU_ALL_AGES,
            True,
            dt.date(2024, 9, 20),
            "SK Wali Nagari tentang Posyandu siklus hidup di 10 nagari (arsip Klaster 1)",
        ),
        (
            ReadinessItem.KADER_COMPETENT,
            False,
            None,
            "Penilaian 25 keterampilan dasar kader berjalan; pelatihan angkatan II menunggu jadwal Dinkes",
        ),
        (
            ReadinessItem.NETWORK_AGREEMENTS,
            True,
            dt.date(2024, 8, 12),
            "PKS/MoU jejaring No. 001-005/PKS/PKM-MNJ/VIII/2024",
        ),
        (
            ReadinessItem.SATUSEHAT,
            True,
            dt.date(2024, 10, 1),
            "Organization ID SATUSEHAT aktif; uji kirim Encounter berhasil (Surat Dinkes No. 440/1123/Dinkes/2024)",
        ),
    )
    for item, done, on, evidence in checks:
        setup.readiness_check_set(actor=kapus, puskesmas=pilot, item=item, done=done, done_on=on, evidence=evidence)
    decree = setup.target_decree_set(
        actor=kapus,
        puskesmas=pilot,
        year=story.year,
        number=f"445/031/PKM-MNJ/II/{story.year}",
        signed_on=story.on(2, 24),
        indicators={code: float(get(code).target_pct) for code in SK_INDICATORS},
    )
    for name, cells in RACI:
        setup.raci_activity_save(actor=kapus, puskesmas=pilot, name=name, cells=cells)
    return decree


def _usg(problem: Problem, rng: random.Random) -> tuple[int, int, int]:
    u, s, g = USG_BY_SOURCE.get(problem.source, (3, 3, 3))
    cluster = get(problem.indicator).cluster if problem.indicator else 0
    if cluster == 3 and problem.source == ProblemSource.BELOW_TARGET:
        u, s, g = 4, 4, 4  # PTM screening gaps weigh most after the two priorities
    bump = rng.randrange(3)
    if rng.random() < 0.5 and (u, s, g)[bump] > 1:
        return tuple(v - 1 if i == bump else v for i, v in enumerate((u, s, g)))
    return u, s, g


def _pick(problems: list[Problem], codes: tuple[str, ...]) -> Problem | None:
    """The generated problem of the first of `codes` that has one, a gap below target before a trend."""
    order = {ProblemSource.BELOW_TARGET: 0, ProblemSource.WORSENING: 1, ProblemSource.RED_DESA: 2}
    for code in codes:
        found = sorted(
            (p for p in problems if p.indicator == code and p.source in order), key=lambda p: order[p.source]
        )
        if found:
            return found[0]
    return None


def _problems(cast: Cast, cycle: Cycle, story: Story, rng: random.Random) -> tuple[Problem, Problem]:
    """Generated and hand-entered problems, scored; hypertension and stunting are the priorities."""
    kapus = cast.kapus
    period = monitoring_period(story.today)
    if period is not None:
        svc.problems_generate(actor=kapus, cycle=cycle, period=period)
    generated = list(cycle.problems.filter(source__in=GENERATED_SOURCES).order_by("id"))
    for source, title, description, indicator, _usg_scores in HAND_PROBLEMS:
        svc.problem_add(
            actor=kapus, cycle=cycle, title=title, source=source, description=description, indicator=indicator
        )
    hypertension = _pick(generated, HYPERTENSION_INDICATORS) or svc.problem_add(
        actor=kapus,
        cycle=cycle,
        title="Hipertensi pada penduduk dewasa belum terkendali",
        indicator="hypertension_served",
    )
    stunting = _pick(generated, STUNTING_INDICATORS) or svc.problem_add(
        actor=kapus, cycle=cycle, title="Stunting pada balita masih di atas target", indicator="stunting"
    )
    hand = {title: scores for _s, title, _d, _i, scores in HAND_PROBLEMS}
    for problem in cycle.problems.order_by("id"):
        if problem.pk in (hypertension.pk, stunting.pk):
            continue
        sasaran = (problem.evidence.get("puskesmas") or {}).get("denominator")
        if problem.source in GENERATED_SOURCES and sasaran is not None and sasaran < SMALL_SASARAN:
            svc.problem_update(
                actor=kapus,
                problem=problem,
                dismissed=True,
                description=f"Sasaran kecil ({sasaran} orang): perubahan persentase belum bermakna.",
            )
            continue
        u, s, g = hand.get(problem.title) or _usg(problem, rng)
        svc.problem_update(actor=kapus, problem=problem, usg_u=u, usg_s=s, usg_g=g)
    svc.problem_update(
        actor=kapus,
        problem=hypertension,
        usg_u=5,
        usg_s=5,
        usg_g=5,
        is_priority=True,
        description=(
            "Klaster 3: banyak penderita hipertensi hanya datang saat ada keluhan; dari register Prolanis "
            "baru sekitar 4 dari 10 pasien yang tekanan darahnya terkendali (<140/90) saat kontrol terakhir. "
            "Dua kasus stroke usia <50 tahun dirujuk ke RSUD Lubuk Basung tahun ini."
        ),
    )
    svc.problem_update(
        actor=kapus,
        problem=stunting,
        usg_u=5,
        usg_s=5,
        usg_g=4,
        is_priority=True,
        description=(
            "Hasil penimbangan dan pengukuran di posyandu; sebagian besar balita stunting di jorong tepi danau "
            "dengan keluarga petani keramba."
        ),
    )
    return hypertension, stunting


def planning_summary(cycle: Cycle, *, today: dt.date, created: bool) -> PlanningResult:
    """The counts `ilp demo` prints about the cycle."""
    problems = cycle.problems.all()
    steps = PathwayStep.objects.filter(problem__cycle=cycle)
    return PlanningResult(
        created=created,
        cycle=cycle.name,
        problems=problems.count(),
        generated=problems.filter(source__in=GENERATED_SOURCES).count(),
        priorities=problems.filter(is_priority=True).count(),
        steps=steps.count(),
        done=steps.filter(status=StepStatus.DONE).count(),
        overdue=steps.filter(due_on__lt=today, status__in=OPEN_STATUSES).count(),
        risks=cycle.risks.count(),
        workshops=cycle.workshops.count(),
        decisions=WorkshopDecision.objects.filter(workshop__cycle=cycle).count(),
    )
