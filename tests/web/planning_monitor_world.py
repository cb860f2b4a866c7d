"""A small ILP cycle of Puskesmas Maninjau built through the planning services, for the stages 4-5 page tests.

K1 (anc_k1) facts of this month in Nagari Maninjau: 3 of 10 pregnant women (30 %), so every step measured
there starts from a 30 % baseline; `set_k1` changes the facts the monitoring reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.accounts.services import user_create
from ilp.facilities.models import Facility, NetworkMember
from ilp.indicators.models import FillState, IndicatorValue
from ilp.planning.models import Cycle, PathwayStep, Problem
from ilp.planning.services import cycle_start, problem_add, problem_update, step_save
from ilp.regions.models import Region
from tests.web.conftest import BAYUA, MANINJAU

TODAY = timezone.localdate()
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last month that has ended
K1 = "anc_k1"
# Made here (not the demo's klinik.maninjau) so the tests hold whatever the demo seeds.
NETWORK_USER = "uji.jejaring"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    kapus: User
    network_user: User
    cycle: Cycle
    problem: Problem
    pemdes_step: PathwayStep  # the pemdes of Maninjau's own task
    pustu_step: PathwayStep  # in Maninjau, done by the pustu: the pemdes reads it, does not update it
    bayua_step: PathwayStep  # the pemdes of Bayua's task: another desa
    network_step: PathwayStep  # done by Klinik Pratama Danau Maninjau
    overdue_step: PathwayStep  # done by the puskesmas' cluster 2, its target date passed
    klinik: Facility
    member: NetworkMember


def set_k1(numerator: int, denominator: int = 10, *, village_code: str = MANINJAU) -> None:
    """This month's year-to-date K1 facts of a desa (one row), and the month marked computed."""
    village = Region.objects.get(code=village_code)
    IndicatorValue.objects.filter(indicator=K1, period=MONTH, village=village).delete()
    IndicatorValue.objects.create(
        indicator=K1, period=MONTH, region=village, village=village, district_id=village.district_id,
        regency_id=village.regency_id, numerator=numerator, denominator=denominator,
        numerator_ytd=numerator, denominator_ytd=denominator,
    )  # fmt: skip
    FillState.objects.update_or_create(indicator=K1, period=MONTH, defaults={"computed_at": timezone.now()})


def build_world(users: dict) -> World:
    kapus = users["kapus.maninjau"]
    pilot = kapus.facility
    maninjau, bayua = Region.objects.get(code=MANINJAU), Region.objects.get(code=BAYUA)
    klinik = Facility.objects.get(name="Klinik Pratama Danau Maninjau")
    member = NetworkMember.objects.get(puskesmas=pilot, member=klinik)
    network_user = user_create(
        username=NETWORK_USER, password="x", role=Role.NETWORK_STAFF, facility=klinik,
        full_name="Dokter Klinik", validate=False,
    )  # fmt: skip
    set_k1(3)
    cycle = cycle_start(
        actor=kapus, puskesmas=pilot, name="Siklus ILP Maninjau", year=TODAY.year,
        started_on=TODAY - dt.timedelta(days=200), method="usg",
    )  # fmt: skip
    problem = problem_add(actor=kapus, cycle=cycle, title="Cakupan K1 rendah", indicator=K1)
    problem_update(actor=kapus, problem=problem, is_priority=True)

    def step(title, party, *, village=None, facility=None, due=TODAY + dt.timedelta(days=90)):
        return step_save(
            actor=kapus, problem=problem, phase="promotive", title=title, party=party, village=village,
            facility=facility, person_in_charge="PJ " + title[:20], indicator=K1, target_pct=Decimal("80"),
            due_on=due,
        )  # fmt: skip

    return World(
        kapus=kapus,
        network_user=network_user,
        cycle=cycle,
        problem=problem,
        pemdes_step=step("Sosialisasi ANC di nagari", "pemdes", village=maninjau),
        pustu_step=step("Kunjungan rumah bumil", "pustu", village=maninjau),
        bayua_step=step("Sosialisasi ANC di Bayua", "pemdes", village=bayua),
        network_step=step("Rujukan balik bumil ke puskesmas", "jejaring", facility=klinik),
        overdue_step=step("Kelas ibu hamil", "k2", due=TODAY - dt.timedelta(days=10)),
        klinik=klinik,
        member=member,
    )


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def login(client, username: str):
    """The client logged in as `username` (a demo user or one the world made), reading the pages in English."""
    client.force_login(User.objects.get(username=username))
    return english(client)
