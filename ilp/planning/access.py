"""Who may do what in the ILP cycle of a puskesmas (the services check it; the pages use it to show buttons).

- plan (cycle, problems, scores, risks, lokakarya mini): the kepala puskesmas of that puskesmas and the
  Dinkes of its kabupaten (the Dinkes forms and guides the network: Juknis ILP `06-integrasi-fasker/index.mdx`);
- edit the RTL and record progress of any step: the planners and the puskesmas' cluster staff;
- approve the RTL: the kepala puskesmas (and the Dinkes);
- evaluate the network every 6/12 months: the Dinkes (same Juknis step 5);
- a step's own party records its progress: the pemdes of the step's desa, the network facility doing it,
  the pustu of its desa, the kader of its posyandu.
"""

from __future__ import annotations

from ilp.accounts.models import Role
from ilp.facilities.models import Facility
from ilp.planning.models import Party, PathwayStep


def _dinkes_of(user, puskesmas: Facility) -> bool:
    return (
        user.role == Role.DINKES_ADMIN and user.region_id is not None and puskesmas.region.regency_id == user.region_id
    )


def may_plan(user, puskesmas: Facility) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (user.role == Role.KEPALA_PUSKESMAS and user.facility_id == puskesmas.pk) or _dinkes_of(user, puskesmas)


def may_edit_rtl(user, puskesmas: Facility) -> bool:
    if may_plan(user, puskesmas):
        return True
    return user.is_authenticated and user.role == Role.CLUSTER_STAFF and user.facility_id == puskesmas.pk


def may_approve(user, puskesmas: Facility) -> bool:
    return may_plan(user, puskesmas)


def may_evaluate(user, puskesmas: Facility) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _dinkes_of(user, puskesmas)


# Roles that read whole plans and the Laporan Monitoring ILP; the pemdes, pustu, kader and network staff read
# the steps of their desa or facility and their own tasks (`planning.selectors.cycle_steps`).
WHOLE_PLAN_ROLES = frozenset({Role.DINKES_ADMIN, Role.KEPALA_PUSKESMAS, Role.CLUSTER_STAFF, Role.LINTAS_SEKTOR})


def reads_whole_plans(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in WHOLE_PLAN_ROLES


def owns_step(user, step: PathwayStep) -> bool:
    """Whether the step is the user's own task (their party, their desa or facility)."""
    if not user.is_authenticated or not user.is_active or not user.role:
        return False
    role = user.role
    if role == Role.PEMDES:
        return step.party == Party.PEMDES and step.village_id == user.region_id
    if role == Role.NETWORK_STAFF:
        return step.facility_id is not None and step.facility_id == user.facility_id
    if role == Role.PUSTU_STAFF:
        if step.facility_id is not None:
            return step.facility_id == user.facility_id
        return step.party == Party.PUSTU and step.village_id == user.facility.region.village_id
    if role == Role.KADER:
        if step.facility_id is not None:
            return step.facility_id == user.facility_id
        return step.party == Party.KADER and step.village_id == user.facility.region.village_id
    return False


def may_update_step(user, step: PathwayStep, puskesmas: Facility) -> bool:
    return may_edit_rtl(user, puskesmas) or owns_step(user, step)
