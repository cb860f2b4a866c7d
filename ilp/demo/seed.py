"""Seed the demo: Kabupaten Agam with Puskesmas Maninjau (Kecamatan Tanjung Raya) as the ILP pilot.

Regions are the real Kemendagri data; facilities, workforce and users are synthetic but shaped like
the real thing: one puskesmas per kecamatan (Maninjau for Tanjung Raya, working area = its 10
nagari), a pustu and two posyandu per nagari in the pilot, health workers in every cluster, five
kader per posyandu, and a functional network of a klinik pratama, a praktik mandiri bidan, a lab
and the referral hospitals. Facility codes and people are invented; names are Minangkabau names.
The same `seed` always gives the same world.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.accounts.services import user_create
from ilp.demo import names
from ilp.demo.population.load import PopulationSummary, seed_population
from ilp.demo.pws import PwsSummary, seed_pws
from ilp.facilities.models import (
    AgreementType,
    Cluster,
    CompetencyGroup,
    Facility,
    FacilityKind,
    HealthWorker,
    IlpStatus,
    Kader,
    KaderCompetency,
    KaderTier,
    NetworkMember,
    NetworkRole,
    Profession,
    ReportingDuty,
    WorkingAreaVillage,
)
from ilp.regions.models import Level, Region

AGAM = "13.06"
TANJUNG_RAYA = "13.06.03"
MANINJAU = "13.06.03.2003"
PILOT_CODE = "P1306030101"
DEMO_PASSWORD = "ilp-demo-2026"  # noqa: S105 (printed on purpose: demo logins)
TODAY = dt.date(2026, 11, 1)


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str


@dataclass
class DemoResult:
    created: bool
    logins: list[DemoLogin] = field(default_factory=list)
    # The synthetic population step (None when not asked for: `persons=0`).
    population: PopulationSummary | None = None
    # The desa populations and indicator facts, computed when the population step recorded something.
    pws: PwsSummary | None = None
    # The pilot's running ILP cycle (`demo.planning`), seeded once the PWS facts exist.
    planning: object | None = None


def _facility(**kw) -> Facility:
    f = Facility(**kw)
    f.full_clean()
    f.save()
    return f


def demo_logins() -> list[DemoLogin]:
    """The demo users, one per role, as printed after seeding."""
    users = User.objects.filter(username__in=DEMO_USERNAMES).select_related("facility", "region")
    by_name = {u.username: u for u in users}
    out = []
    for username in DEMO_USERNAMES:
        u = by_name.get(username)
        if u:
            where = u.facility.name if u.facility else (u.region.name if u.region else "")
            out.append(DemoLogin(username=username, role=str(Role(u.role).label), where=where))
    return out


DEMO_USERNAMES = (
    "dinkes.agam",
    "kapus.maninjau",
    "klaster2.maninjau",
    "pustu.bayua",
    "kader.bayua",
    "walinagari.maninjau",
    "camat.tanjungraya",
    "klinik.maninjau",
)


def is_seeded() -> bool:
    return Facility.objects.filter(code=PILOT_CODE).exists()


class _Namer:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def female(self) -> str:
        return self.rng.choice(names.FEMALE)

    def male(self) -> str:
        return self.rng.choice(names.MALE)

    def any(self) -> str:
        return self.female() if self.rng.random() < 0.6 else self.male()


def seed_demo(
    *, seed: int = 2026, persons: int = 0, bulk_progress=None, events_progress=None, services_progress=None
) -> DemoResult:
    """Create the demo world once, then `persons` synthetic persons in the pilot's working area once.

    A second call changes nothing and returns the logins. `persons=0` (the default, used by the test session)
    skips the population; the population is also skipped when the working area already has persons.
    When the population step recorded persons or services, the desa populations of the pilot's kecamatan
    are set and the PWS indicators computed (`demo.pws`), and the pilot's ILP cycle is seeded on them once
    (`demo.planning`). The progress callbacks are `seed_population`'s.
    """
    result = _seed_world(seed=seed)
    if persons > 0:
        result.population = seed_population(
            persons=persons,
            seed=seed,
            puskesmas_code=PILOT_CODE,
            bulk_progress=bulk_progress,
            events_progress=events_progress,
            services_progress=services_progress,
        )
        if result.population.created or result.population.services is not None:
            result.pws = seed_pws(seed=seed, district_code=TANJUNG_RAYA, today=timezone.localdate())
        from ilp.demo.planning import seed_planning  # it reads this module's demo constants

        # Once (a second call changes nothing and reports the cycle): needs the PWS facts seeded above.
        result.planning = seed_planning(seed=seed, today=timezone.localdate())
        result.logins = demo_logins()  # the cycle may have added the klinik's user to an older demo
    return result


@transaction.atomic
def _seed_world(*, seed: int) -> DemoResult:
    if is_seeded():
        return DemoResult(created=False, logins=demo_logins())
    rng = random.Random(seed)
    namer = _Namer(rng)
    agam = Region.objects.get(code=AGAM)
    districts = list(Region.objects.filter(parent=agam, level=Level.DISTRICT).order_by("code"))
    villages_by_district: dict[int, list[Region]] = {}
    for v in Region.objects.filter(regency=agam, level=Level.VILLAGE).order_by("code"):
        villages_by_district.setdefault(v.district_id, []).append(v)

    # Puskesmas: the pilot for Tanjung Raya, one per other kecamatan; each serves its kecamatan.
    puskesmas_by_district = {}
    for i, district in enumerate(districts, start=1):
        villages = villages_by_district.get(district.id, [])
        if not villages:
            continue
        pilot = district.code == TANJUNG_RAYA
        home = next((v for v in villages if v.code == MANINJAU), villages[0]) if pilot else villages[0]
        status = IlpStatus.RUNNING if pilot else rng.choice([IlpStatus.NOT_STARTED, IlpStatus.PREPARING])
        pkm = _facility(
            kind=FacilityKind.PUSKESMAS,
            code=PILOT_CODE if pilot else f"P{district.code.replace('.', '')}{i:02d}01",
            name="Puskesmas Maninjau" if pilot else f"Puskesmas {district.name}",
            region=home,
            inpatient=(not pilot and rng.random() < 0.3),
            ilp_status=status,
            ilp_start_date=dt.date(2024, 8, 1) if pilot else None,
            ilp_pilot=pilot,
            address=f"Jl. Raya {home.name}",
        )
        WorkingAreaVillage.objects.bulk_create([WorkingAreaVillage(puskesmas=pkm, village=v) for v in villages])
        puskesmas_by_district[district.id] = pkm

    tanjung_raya = Region.objects.get(code=TANJUNG_RAYA)
    pilot = puskesmas_by_district[tanjung_raya.id]
    nagari = villages_by_district[tanjung_raya.id]

    # Pustu per nagari, two posyandu per nagari, all serving every life stage.
    flowers = list(names.POSYANDU)
    rng.shuffle(flowers)
    pustu_by_village, posyandu_by_village = {}, {}
    for n, village in enumerate(nagari, start=1):
        pustu = _facility(
            kind=FacilityKind.PUSTU,
            code=f"{PILOT_CODE}-PT{n:02d}",
            name=f"Pustu {village.name}",
            region=village,
            parent=pilot,
        )
        pustu_by_village[village.id] = pustu
        for k in range(2):
            flower = flowers[(2 * n + k) % len(flowers)]
            posyandu_by_village.setdefault(village.id, []).append(
                _facility(
                    kind=FacilityKind.POSYANDU,
                    code=f"{PILOT_CODE}-PY{n:02d}{k + 1}",
                    name=f"Posyandu {flower} {village.name}",
                    region=village,
                    parent=pustu,
                    schedule_day=rng.randint(3, 25),
                )
            )

    # Referral hospitals and the functional network of the pilot.
    lubuk_basung = Region.objects.get(code="13.06.02.2001")
    bukittinggi = Region.objects.filter(code__startswith="13.75.01.").order_by("code").first()
    rsud = _facility(kind=FacilityKind.RUMAH_SAKIT, code="RS1306001", name="RSUD Lubuk Basung", region=lubuk_basung)
    rsam = _facility(
        kind=FacilityKind.RUMAH_SAKIT,
        code="RS1375001",
        name="RSUD Dr. Achmad Mochtar Bukittinggi",
        region=bukittinggi,
    )
    maninjau = next(v for v in nagari if v.code == MANINJAU)
    bayua = next(v for v in nagari if v.name == "Bayua")
    klinik = _facility(
        kind=FacilityKind.KLINIK_PRATAMA,
        code="KP1306031",
        name="Klinik Pratama Danau Maninjau",
        region=maninjau,
    )
    pmb = _facility(
        kind=FacilityKind.PRAKTIK_BIDAN, code="PMB1306031", name="PMB Bidan Yusnimar, S.Tr.Keb", region=bayua
    )
    lab = _facility(
        kind=FacilityKind.LABORATORIUM,
        code="LAB1306031",
        name="Laboratorium Klinik Tanjung Raya",
        region=maninjau,
    )
    network = [
        (
            klinik,
            NetworkRole.SERVICE,
            "ANC, KB, pengobatan umum, skrining PTM",
            AgreementType.PKS,
            ReportingDuty.MONTHLY,
        ),
        (
            pmb,
            NetworkRole.SERVICE,
            "ANC, persalinan normal, nifas, imunisasi",
            AgreementType.PKS,
            ReportingDuty.MONTHLY,
        ),
        (
            lab,
            NetworkRole.LAB,
            "Hb, gula darah, profil lipid, urinalisis",
            AgreementType.MOU,
            ReportingDuty.MONTHLY,
        ),
        (
            rsud,
            NetworkRole.REFERRAL,
            "Rujukan spesialistik dan gawat darurat",
            AgreementType.SK,
            ReportingDuty.PER_CASE,
        ),
        (
            rsam,
            NetworkRole.REFERRAL,
            "Rujukan spesialistik lanjutan",
            AgreementType.SK,
            ReportingDuty.PER_CASE,
        ),
    ]
    for n, (member, role, services, agreement, duty) in enumerate(network, start=1):
        nm = NetworkMember(
            puskesmas=pilot,
            member=member,
            role=role,
            services=services,
            agreement_type=agreement,
            agreement_number=f"{n:03d}/PKS/PKM-MNJ/VIII/2024",
            agreement_date=dt.date(2024, 8, 12),
            agreement_end=dt.date(2027, 8, 11),
            document_ref=f"Arsip Klaster 1, map jejaring no. {n}",
            reporting_duty=duty,
        )
        nm.full_clean()
        nm.save()

    # Workforce of the pilot, every staff member in a cluster with one PJ per cluster.
    staff = [
        ("dr. Rahmi Yulianti", Profession.DOKTER, "", False),  # the kepala puskesmas, above the clusters
        ("Syafrizal, S.KM", Profession.ADMIN, Cluster.MANAGEMENT, True),
        ("Nurlela, A.Md.RMIK", Profession.RM, Cluster.MANAGEMENT, False),
        ("Desmawati, S.Tr.Keb", Profession.BIDAN, Cluster.MOTHER_CHILD, True),
        ("dr. Silvia Rahmi", Profession.DOKTER, Cluster.MOTHER_CHILD, False),
        ("Yulia Fitri, S.Gz", Profession.GIZI, Cluster.MOTHER_CHILD, False),
        ("Rosnida, A.Md.Keb", Profession.BIDAN, Cluster.MOTHER_CHILD, False),
        ("dr. Hendra Saputra", Profession.DOKTER, Cluster.ADULT_ELDERLY, True),
        ("Ns. Afrizal, S.Kep", Profession.PERAWAT, Cluster.ADULT_ELDERLY, False),
        ("drg. Meri Andriani", Profession.DOKTER_GIGI, Cluster.ADULT_ELDERLY, False),
        ("Zulhendri, S.KM", Profession.KESLING, Cluster.COMMUNICABLE, True),
        ("Ns. Irwandi, S.Kep", Profession.PERAWAT, Cluster.COMMUNICABLE, False),
        ("Elfi Sahara, A.Md.AK", Profession.ANALIS, Cluster.CROSS, True),
        ("apt. Lisa Oktavia, S.Farm", Profession.APOTEKER, Cluster.CROSS, False),
    ]
    HealthWorker.objects.bulk_create(
        [
            HealthWorker(
                name=name, profession=prof, facility=pilot, cluster=cluster, is_cluster_lead=lead, is_head=not n
            )
            for n, (name, prof, cluster, lead) in enumerate(staff)
        ]
    )
    pustu_workers = []
    for n, village in enumerate(nagari):
        pustu = pustu_by_village[village.id]
        pustu_workers.append(
            HealthWorker(
                name=f"{namer.female()}, A.Md.Keb",
                profession=Profession.BIDAN,
                facility=pustu,
                cluster=Cluster.MOTHER_CHILD,
            )
        )
        # One pustu still waits for its nurse: the ILP minimum (1 nurse + 1 midwife) is not met everywhere.
        if n != 7:
            pustu_workers.append(
                HealthWorker(
                    name=f"Ns. {namer.any()}, S.Kep",
                    profession=Profession.PERAWAT,
                    facility=pustu,
                    cluster=Cluster.ADULT_ELDERLY,
                )
            )
    HealthWorker.objects.bulk_create(pustu_workers)

    # Five kader per posyandu, with tiers and the five basic competencies assessed.
    kaders = []
    for village in nagari:
        for posyandu in posyandu_by_village[village.id]:
            # Five different people per posyandu; most kader are women.
            team = rng.sample(names.FEMALE, 4)
            fifth = names.MALE if rng.random() < 0.4 else [n for n in names.FEMALE if n not in team]
            team.append(rng.choice(fifth))
            for name in team:
                trained = rng.random() < 0.8
                kaders.append(
                    Kader(
                        name=name,
                        posyandu=posyandu,
                        trained_on=dt.date(2024, rng.randint(6, 12), rng.randint(1, 28)) if trained else None,
                        tier=rng.choice([KaderTier.PURWA, KaderTier.PURWA, KaderTier.MADYA, KaderTier.UTAMA])
                        if trained
                        else KaderTier.NONE,
                    )
                )
    Kader.objects.bulk_create(kaders)
    assessments = []
    for kader in Kader.objects.filter(posyandu__parent__parent=pilot).exclude(trained_on=None):
        for group in CompetencyGroup:
            got = rng.choice([3, 4, 5, 5, 5])
            assessments.append(
                KaderCompetency(
                    kader=kader,
                    group=group,
                    skills_attained=got,
                    skills_total=5,
                    attained=got == 5,
                    assessed_on=kader.trained_on + dt.timedelta(days=rng.randint(30, 300)),
                    assessor="Desmawati, S.Tr.Keb",
                )
            )
    KaderCompetency.objects.bulk_create(assessments)

    # One user per role.
    bayua_pustu = pustu_by_village[bayua.id]
    first_posyandu_bayua = posyandu_by_village[bayua.id][0]
    dinkes = user_create(
        username="dinkes.agam",
        password=DEMO_PASSWORD,
        role=Role.DINKES_ADMIN,
        full_name="Yusrizal Hamid",
        region=agam,
        is_staff=True,
        validate=False,
    )
    dinkes.groups.add(_dinkes_group())
    user_create(
        username="kapus.maninjau",
        password=DEMO_PASSWORD,
        role=Role.KEPALA_PUSKESMAS,
        full_name="Rahmi Yulianti",
        facility=pilot,
        validate=False,
    )
    user_create(
        username="klaster2.maninjau",
        password=DEMO_PASSWORD,
        role=Role.CLUSTER_STAFF,
        full_name="Desmawati Syafril",
        facility=pilot,
        cluster=Cluster.MOTHER_CHILD,
        validate=False,
    )
    user_create(
        username="pustu.bayua",
        password=DEMO_PASSWORD,
        role=Role.PUSTU_STAFF,
        full_name="Rosmawati Anwar",
        facility=bayua_pustu,
        validate=False,
    )
    user_create(
        username="kader.bayua",
        password=DEMO_PASSWORD,
        role=Role.KADER,
        full_name="Asmaniar Jusuf",
        facility=first_posyandu_bayua,
        validate=False,
    )
    user_create(
        username="walinagari.maninjau",
        password=DEMO_PASSWORD,
        role=Role.PEMDES,
        full_name="Masrul Dt. Rajo Mudo",
        region=maninjau,
        validate=False,
    )
    user_create(
        username="camat.tanjungraya",
        password=DEMO_PASSWORD,
        role=Role.LINTAS_SEKTOR,
        full_name="Darmawan Syafri",
        region=tanjung_raya,
        validate=False,
    )
    user_create(
        username="klinik.maninjau",
        password=DEMO_PASSWORD,
        role=Role.NETWORK_STAFF,
        full_name="Rizki Fauzan Chaniago",
        facility=klinik,
        validate=False,
    )
    return DemoResult(created=True, logins=demo_logins())


def _dinkes_group() -> Group:
    """Admin Dinkes manage master data (facilities, network, workforce, users, sub-village units)."""
    group, _created = Group.objects.get_or_create(name="Admin Dinkes")
    perms = Permission.objects.filter(
        content_type__app_label__in=["facilities", "regions", "accounts"]
    ) | Permission.objects.filter(content_type__app_label="core", codename="view_auditentry")
    group.permissions.set(perms)
    return group
