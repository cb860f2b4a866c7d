"""What the life-cycle pages share: a person's care (flags, due services, growth) labelled for display, the
posyandu groups of sasaran, and the defaults that follow from the user's role (where they record, from
which level they refer)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Role
from ilp.facilities.models import Facility, FacilityKind
from ilp.facilities.selectors import facility_list
from ilp.lifecycle.labels import GROWTH_INDICES, due_label, flag_label, growth_label, weighing_label
from ilp.lifecycle.models import Place, ReferralLevel
from ilp.lifecycle.rules.care import Care
from ilp.lifecycle.services.common import NETWORK_KINDS
from ilp.people import life_stage as ls

LEVEL_LABELS = dict(ReferralLevel.choices)
SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}

# The posyandu groups of sasaran (ILP.md §2: the life-cycle clusters), in the order of the posyandu table.
GROUP_BALITA = "balita"
GROUP_PREGNANT = "ibu_hamil"
GROUP_SCHOOL = "usia_sekolah_remaja"
GROUP_ADULT = "dewasa"
GROUP_ELDERLY = "lansia"
GROUP_LABELS = {
    GROUP_BALITA: _("Infants and young children (balita, 0-5 years)"),
    GROUP_PREGNANT: _("Pregnant women (ibu hamil)"),
    GROUP_SCHOOL: _("School age and adolescents (6-17 years)"),
    GROUP_ADULT: _("Adults (dewasa, 18-59 years)"),
    GROUP_ELDERLY: _("Elderly (lansia, 60+ years)"),
}
_CHILD_STAGES = frozenset({ls.BBL, ls.BAYI, ls.BALITA, ls.PRASEKOLAH})


def group_of(stage: ls.LifeStage) -> str:
    """A pregnant woman is in the ibu hamil group whatever her age; the others by life stage."""
    if stage.ibu_hamil:
        return GROUP_PREGNANT
    if stage.code in _CHILD_STAGES:
        return GROUP_BALITA
    if stage.code == ls.USIA_SEKOLAH_REMAJA:
        return GROUP_SCHOOL
    return GROUP_ELDERLY if stage.code == ls.LANSIA else GROUP_ADULT


def profile_of(group: str) -> str:
    """Which quick-entry form a group gets (`forms_lifecycle.PROFILES`)."""
    return {GROUP_BALITA: "child", GROUP_PREGNANT: "pregnant", GROUP_SCHOOL: "school"}.get(group, "adult")


@dataclass
class FlagView:
    code: str
    label: str
    severity: str
    refer_to: str = ""  # the level's label
    refer_code: str = ""


@dataclass
class DueView:
    code: str
    label: str
    overdue: bool
    due_by: dt.date | None = None
    kind: str = ""  # `Due.kind`: "immunisation", "vitamin_a", "anc", ...
    which: str = ""  # `Due.which`: the dose or visit ("dpt_hb_hib2"), empty without one


@dataclass
class GrowthView:
    index: str
    label: str
    code: str
    result: str
    tone: str  # "ok", "warning", "danger", "info"


@dataclass
class CareView:
    """A person's `Care` as the pages show it: labelled, the most severe flag first."""

    flags: list[FlagView] = field(default_factory=list)
    due: list[DueView] = field(default_factory=list)
    growth: list[GrowthView] = field(default_factory=list)
    weighing_code: str = ""
    weighing: str = ""

    @property
    def empty(self) -> bool:
        return not (self.flags or self.due or self.growth or self.weighing)

    @property
    def referable(self) -> list[FlagView]:
        return [f for f in self.flags if f.refer_to]

    @property
    def due_codes(self) -> set[str]:
        return {d.code for d in self.due}


def care_view(care: Care | None) -> CareView:
    """Label a `Care` (None for the dead and the moved-out: nothing is due)."""
    if care is None:
        return CareView()
    severities = {f.code: str(f.severity) for f in care.flags}
    flags = [
        FlagView(
            f.code,
            flag_label(f.code),
            str(f.severity),
            str(LEVEL_LABELS.get(f.refer_to, f.refer_to or "")),
            f.refer_to or "",
        )
        for f in care.flags
    ]
    flags.sort(key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    due = [DueView(d.code, due_label(d.code), d.overdue, d.due_by, d.kind, d.which) for d in care.due]
    due.sort(key=lambda d: not d.overdue)
    growth = [
        GrowthView(
            index,
            str(GROWTH_INDICES.get(index, index)),
            code,
            growth_label(code),
            severities.get(code, "ok" if code == "normal" else "info"),
        )
        for index, code in care.growth.items()
    ]
    weighing_code = care.weighing or ""
    return CareView(flags, due, growth, weighing_code, weighing_label(weighing_code))


def care_views(care: dict[int, Care], persons) -> dict[int, CareView]:
    return {p.pk: care_view(care.get(p.pk)) for p in persons}


def posyandu_list(scope):
    """The posyandu the user may open a posyandu day at (a kader: their own)."""
    return facility_list(scope=scope, kind=FacilityKind.POSYANDU)


def posyandu_get(scope, external_id) -> Facility:
    try:
        return posyandu_list(scope).get(external_id=external_id)
    except Facility.DoesNotExist as exc:
        raise Http404 from exc


# Where each role records a visit and from which level of the chain it refers.
_ROLE_PLACE = {
    Role.KADER: Place.POSYANDU,
    Role.PUSTU_STAFF: Place.PUSTU,
    Role.KEPALA_PUSKESMAS: Place.PUSKESMAS,
    Role.CLUSTER_STAFF: Place.PUSKESMAS,
    Role.DINKES_ADMIN: Place.PUSKESMAS,
}


def default_place(user) -> str:
    return _ROLE_PLACE.get(user.role, Place.PUSKESMAS)


def default_level(user) -> str:
    """The level a user refers from: the posyandu for a kader, the pustu, else the puskesmas."""
    return {Place.POSYANDU: ReferralLevel.POSYANDU, Place.PUSTU: ReferralLevel.PUSTU}.get(
        default_place(user), ReferralLevel.PUSKESMAS
    )


def place_choices(user) -> list[tuple[str, str]]:
    """A kader records at their posyandu or on a home visit (the service refuses the rest)."""
    if user.role == Role.KADER:
        return [(Place.POSYANDU.value, Place.POSYANDU.label), (Place.HOME.value, Place.HOME.label)]
    return list(Place.choices)


RECORDING_KINDS = (FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS, *NETWORK_KINDS)
REFERRAL_KINDS = (FacilityKind.PUSTU, FacilityKind.PUSKESMAS, FacilityKind.RUMAH_SAKIT)


def facility_choices(scope, kinds) -> list[tuple[int, str]]:
    """Facilities of the scope of these kinds, as (id, "name (kind)") choices."""
    rows = facility_list(scope=scope).select_related(None).filter(kind__in=list(kinds)).only("id", "name", "kind")
    return [(f.pk, f"{f.name} ({f.get_kind_display()})") for f in rows]


def scoped_facility(scope, pk: int | None) -> Facility | None:
    """The chosen facility, read back through the scope (the service checks the scope too)."""
    if pk is None:
        return None
    return facility_list(scope=scope).filter(pk=pk).first()
