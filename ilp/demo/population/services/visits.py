"""Kunjungan rumah by the kader: the routine visits of the year, and writing every planned home visit at once.

Besides the sweeping of children who missed a session or a dose (`children`, `immunisation`), each posyandu's
kader visit families at home for education and accompaniment (ILP.md §1.5: PHBS, jentik checks, ibu hamil
(P4K), balita nutrition, lansia): about 30 % of the families in a year, more where the posyandu works well.

The visits are written as `home_visit_record` leaves them (the visit and its audit entry), set-based: a home
visit of the demo answers no open home-visit request (none exists while the demo is seeded), so nothing else
changes. The kader's account records them where the demo has one (Posyandu Lavender Bayua), else no user.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.models import Role, User
from ilp.core import context
from ilp.core.audit import _plain
from ilp.core.models import AuditAction, AuditEntry
from ilp.core.rows import RowWriter
from ilp.demo.population.services.area import day_in_window, share
from ilp.demo.population.services.plan import Facilities, HomeVisitPlan, Pregnancies, Resident
from ilp.facilities.models import FacilityKind
from ilp.lifecycle.models import HomeVisit, RecorderKind
from ilp.people.models import Family

ROUTINE = (0.28, 0.10)  # families visited in the year (base, spread by posyandu quality)
SECOND_VISIT = 0.2
# The note a kader writes, by whom the visit was about (a visit's reasons are worklist codes; these are routine).
NOTES = {
    "pregnant": "Pendampingan ibu hamil (P4K), tanda bahaya kehamilan",
    "balita": "Edukasi gizi seimbang dan stimulasi balita",
    "elderly": "Kunjungan lansia, ajakan ke posyandu",
    "family": "Penyuluhan PHBS dan pemeriksaan jentik nyamuk",
}
_LOGGED = ("id", "external_id", "family", "person", "date", "recorder_kind", "reasons", "note")


def plan_routine_visits(seed: int, residents: list[Resident], facilities: Facilities, pregnancies: Pregnancies,
                        today: dt.date) -> list[HomeVisitPlan]:  # fmt: skip
    """Routine visits to about 30 % of the families, each about its pregnant woman, a balita or a lansia."""
    rng = random.Random(f"{seed}:home-visits")
    members: dict[int, list[Resident]] = defaultdict(list)
    for p in residents:
        if p.family_id is not None and p.present(today):
            members[p.family_id].append(p)
    plans = []
    for family_id in sorted(members):
        people = members[family_id]
        posyandu = next((p.posyandu_id for p in people if p.posyandu_id), None)
        if rng.random() >= share(*ROUTINE, facilities.posyandu_quality.get(posyandu, 0.0)):
            continue
        for _visit in range(2 if rng.random() < SECOND_VISIT else 1):
            on = day_in_window(rng, today)
            present = [p for p in people if p.present(on)]
            if not present:
                continue
            pregnant = [p for p in present if p.id in pregnancies.ongoing and pregnancies.ongoing[p.id] <= on]
            balita = [p for p in present if (on - p.birth_date).days < 1826]
            elderly = [p for p in present if p.age(on) >= 60]
            about, note = None, NOTES["family"]
            for group, key in ((pregnant, "pregnant"), (balita, "balita"), (elderly, "elderly")):
                if group:
                    about, note = rng.choice(group), NOTES[key]
                    break
            plans.append(HomeVisitPlan(about.id if about else 0, family_id, posyandu, on, (), note))
    return plans


def record_home_visits(plans: list[HomeVisitPlan]) -> int:
    """Write the planned home visits with their audit entries; returns how many."""
    if not plans:
        return 0
    kader = dict(
        User.objects.filter(role=Role.KADER, facility__kind=FacilityKind.POSYANDU).values_list("facility_id", "id")
    )
    usernames = dict(User.objects.filter(pk__in=kader.values()).values_list("id", "username"))
    families = {
        pk: kk or f"{_('family')} {external_id}"
        for pk, kk, external_id in Family.objects.filter(pk__in={p.family_id for p in plans}).values_list(
            "id", "kk_number", "external_id"
        )
    }
    visits, audit = RowWriter(HomeVisit), RowWriter(AuditEntry)
    now, who = timezone.now(), context.current()
    rows, entries = [], []
    for plan, pk in zip(plans, visits.reserve_ids(len(plans)), strict=True):
        actor = kader.get(plan.posyandu_id)
        row = visits.values(
            now,
            id=pk,
            family_id=plan.family_id,
            person_id=plan.person_id or None,
            date=plan.date,
            recorder_kind=RecorderKind.KADER,
            reasons=sorted(set(plan.reasons)),
            note=plan.note,
            created_by_id=actor,
            updated_by_id=actor,
        )
        rows.append(row)
        changes = {}
        for name in _LOGGED:
            value = row[name if name in row else f"{name}_id"]
            if value is not None:
                changes[name] = [None, _plain(value)]
        entries.append(
            audit.values(
                now,
                actor_id=actor if actor is not None else who.user_id,
                actor_username=usernames[actor] if actor is not None else who.username,
                action=AuditAction.CREATE,
                object_type=HomeVisit._meta.label_lower,
                object_id=str(row["external_id"]),
                object_repr=f"{families[plan.family_id]} {plan.date:%Y-%m-%d}"[:255],
                changes=changes,
                ip_address=who.ip_address,
            )
        )
    for entry, pk in zip(entries, audit.reserve_ids(len(entries)), strict=True):
        entry["id"] = pk
    visits.insert(rows)
    audit.insert(entries)
    return len(rows)
