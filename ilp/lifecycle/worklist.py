"""The home-visit worklist (kunjungan rumah) of a posyandu or a pustu: which families to visit and why.

A family is on the list when a current member missed the posyandu this month, is overdue for
immunisation (DOFU), ANC, KF or KN, has a danger flag nobody referred yet, or has a referral waiting for
follow-up (ILP.md §1.5: sweeping, DOFU, pendampingan; Juknis `02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx`,
`02-balita-pra-sekolah/06-imunisasi-rutin.mdx`, `03-klaster-3/.../02-skrining-hipertensi.mdx`), or was asked
for from the PWS (an open `HomeVisitRequest`, ILP.md §3.2). A home visit this month that addressed a reason
closes it for the family; a request stays until a home visit closes the request row itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.lifecycle.labels import due_label, flag_label
from ilp.lifecycle.models import Encounter, EncounterStatus, HomeVisit, HomeVisitRequest, Referral, ReferralStatus
from ilp.lifecycle.rules.care import Severity
from ilp.lifecycle.selectors import care_for
from ilp.people.models import Family, FamilyMembership
from ilp.people.selectors import posyandu_members

# A referral sent this long ago and not yet received is chased at home.
REFERRAL_CHASE_DAYS = 14


class Reason(StrEnum):
    MISSED_POSYANDU = "missed_posyandu"
    IMMUNISATION = "immunisation_overdue"
    MATERNAL = "maternal_overdue"
    NEWBORN = "newborn_overdue"
    FLAG = "flag_unreferred"
    REFERRAL = "referral_follow_up"
    REQUESTED = "requested"


REASON_LABELS = {
    Reason.MISSED_POSYANDU: _("missed the posyandu this month"),
    Reason.IMMUNISATION: _("immunisation overdue (DOFU)"),
    Reason.MATERNAL: _("ANC or postpartum visit overdue"),
    Reason.NEWBORN: _("newborn visit overdue"),
    Reason.FLAG: _("danger sign not yet referred"),
    Reason.REFERRAL: _("referral waiting for follow-up"),
    Reason.REQUESTED: _("asked for from the PWS"),
}


@dataclass
class MemberItem:
    membership: FamilyMembership
    reasons: dict[str, list[str]] = field(default_factory=dict)  # reason -> details (labels)


@dataclass
class FamilyItem:
    family: Family
    members: list[MemberItem]
    closed: set[str]

    @property
    def open_reasons(self) -> list[str]:
        return sorted({r for m in self.members for r in m.reasons} - self.closed)


def _month_start(on: dt.date) -> dt.date:
    return on.replace(day=1)


def home_visit_worklist(*, scope: AreaScope, on: dt.date, posyandu: Facility | None = None) -> list[FamilyItem]:
    """Families of the scope (of one posyandu when given) to visit on `on`, with the reasons per member.

    Families whose every reason was addressed by a home visit this month are left out; an open
    `HomeVisitRequest` shows (its `reason` text as the detail) until a home visit closes the request.
    """
    rows = posyandu_members(scope=scope, on=on, posyandu=posyandu)
    memberships = list(rows.order_by("family__region__name", "family_id", "id"))
    persons = [m.person for m in memberships]
    care = care_for(persons=persons, on=on)
    month = _month_start(on)
    held = set(
        Encounter.objects.filter(date__gte=month, date__lte=on, place="posyandu")
        .exclude(status=EncounterStatus.VOIDED)
        .filter(facility_id__in={m.family.posyandu_id for m in memberships if m.family.posyandu_id})
        .values_list("facility_id", flat=True)
        .distinct()
    )
    referrals = defaultdict(list)
    for referral in Referral.objects.filter(person__in=persons).exclude(
        status__in=[ReferralStatus.FOLLOWED_UP, ReferralStatus.CANCELLED]
    ):
        referrals[referral.person_id].append(referral)
    requests = defaultdict(list)
    for request in HomeVisitRequest.objects.filter(
        person__in=persons, closed_on__isnull=True, requested_on__lte=on
    ).order_by("requested_on", "id"):
        requests[request.person_id].append(request.reason)
    closed = defaultdict(set)
    for visit in HomeVisit.objects.filter(family_id__in={m.family_id for m in memberships}, date__gte=month):
        # An open request is open by definition (the visit that addressed it closed the row): one made
        # after this month's visit must still show.
        closed[visit.family_id].update(r for r in visit.reasons if r != Reason.REQUESTED)
    by_family: dict[int, FamilyItem] = {}
    for membership in memberships:
        person = membership.person
        item = MemberItem(membership)
        person_care = care.get(person.pk)
        if person_care is not None:
            held_here = membership.family.posyandu_id in held
            _care_reasons(item, person_care, posyandu_held=held_here, referred=bool(referrals[person.pk]))
        for referral in referrals[person.pk]:
            waiting = referral.status == ReferralStatus.SENT and (on - referral.date).days >= REFERRAL_CHASE_DAYS
            if referral.status == ReferralStatus.REFERRED_BACK or waiting:
                item.reasons.setdefault(Reason.REFERRAL, []).append(referral.get_to_level_display())
        if requests[person.pk]:
            item.reasons[Reason.REQUESTED] = requests[person.pk]
        if item.reasons:
            family = membership.family
            entry = by_family.setdefault(family.pk, FamilyItem(family, [], closed[family.pk]))
            entry.members.append(item)
    return [f for f in by_family.values() if f.open_reasons]


def _care_reasons(item: MemberItem, care, *, posyandu_held: bool, referred: bool) -> None:
    for due in care.due:
        kind = due.code.partition(":")[0]
        if due.code == "weighing" and posyandu_held:
            item.reasons.setdefault(Reason.MISSED_POSYANDU, []).append(due_label(due.code))
        elif due.overdue and kind == "immunisation":
            item.reasons.setdefault(Reason.IMMUNISATION, []).append(due_label(due.code))
        elif due.overdue and kind in ("anc", "kf"):
            item.reasons.setdefault(Reason.MATERNAL, []).append(due_label(due.code))
        elif due.overdue and kind == "kn":
            item.reasons.setdefault(Reason.NEWBORN, []).append(due_label(due.code))
    for flag in care.flags if not referred else ():
        if flag.severity == Severity.DANGER and flag.refer_to:
            item.reasons.setdefault(Reason.FLAG, []).append(flag_label(flag.code))
