"""Build the `AreaScope` of a user from their role (issue #2, "Accounts, area scope, audit").

| role                | regions seen                           | facilities seen                                  |
|---------------------|----------------------------------------|--------------------------------------------------|
| superuser           | everything                             | everything                                       |
| Dinkes admin        | their kabupaten/kota                   | every facility in it                             |
| kepala puskesmas,   | the desa of the working area           | the puskesmas, its pustu and posyandu, the       |
| cluster staff       |                                        | facilities in the area, its network members      |
| pustu staff         | the desa of the pustu                  | the pustu and the posyandu of that desa          |
| kader               | the desa of the posyandu; of its       | their posyandu only                              |
|                     | households, those of their posyandu    |                                                  |
| pemdes              | their desa                             | the facilities in the desa                       |
| lintas sektor       | their region (no person-level data)    | the facilities in it                             |
| network staff       | nothing (no person-level data)         | their own facility (their RTL steps come from    |
|                     |                                        | `ilp.planning.selectors`)                        |
"""

from __future__ import annotations

from dataclasses import replace

from ilp.accounts.models import AGGREGATE_ONLY_ROLES, PEOPLE_WRITER_ROLES, REGION_EDITOR_ROLES, Role, User
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind, NetworkMember, WorkingAreaVillage
from ilp.regions.models import LEVEL_FIELD, Level


def _region_root(region) -> dict[str, frozenset[int]]:
    return {LEVEL_FIELD[Level(region.level)]: frozenset({region.id})}


def scope_for(user: User) -> AreaScope:
    """The scope of an authenticated user; an anonymous or unbound user gets an empty scope."""
    scope = _area_scope(user)
    if not scope.everything and user.is_authenticated and user.role in REGION_EDITOR_ROLES:
        scope = replace(scope, may_edit_regions=True)
    if not scope.everything and user.is_authenticated and scope.person_level and user.role in PEOPLE_WRITER_ROLES:
        scope = replace(scope, may_write_people=True)
    return scope


def _area_scope(user: User) -> AreaScope:
    if not user.is_authenticated or not user.is_active:
        return AreaScope.nothing()
    if user.is_superuser:
        return AreaScope.all()
    if not user.role:
        return AreaScope.nothing()
    role = Role(user.role)
    person_level = role not in AGGREGATE_ONLY_ROLES
    facility = user.facility
    if role in (Role.DINKES_ADMIN, Role.PEMDES, Role.LINTAS_SEKTOR):
        if user.region is None:
            return AreaScope.nothing()
        roots = _region_root(user.region)
        extra: frozenset[int] = frozenset()
        if role == Role.DINKES_ADMIN:
            # The Dinkes forms the networks of its puskesmas, members outside the kabupaten included.
            area = AreaScope(roots=roots)
            extra = frozenset(
                NetworkMember.objects.filter(area.facility_q("puskesmas__")).values_list("member_id", flat=True)
            )
        return AreaScope(roots=roots, facility_ids=None, extra_facility_ids=extra, person_level=person_level)
    if facility is None:
        return AreaScope.nothing()
    if role in (Role.KEPALA_PUSKESMAS, Role.CLUSTER_STAFF):
        villages = frozenset(WorkingAreaVillage.objects.filter(puskesmas=facility).values_list("village_id", flat=True))
        network = frozenset(NetworkMember.objects.filter(puskesmas=facility).values_list("member_id", flat=True))
        return AreaScope(
            roots={"village": villages},
            facility_ids=None,
            extra_facility_ids=network | {facility.id},
            person_level=person_level,
        )
    if role == Role.PUSTU_STAFF:
        posyandu = Facility.objects.filter(parent=facility, kind=FacilityKind.POSYANDU).values_list("id", flat=True)
        return AreaScope(
            roots={"village": frozenset({facility.region.village_id})},
            facility_ids=frozenset({facility.id, *posyandu}),
            person_level=person_level,
        )
    if role == Role.NETWORK_STAFF:
        return AreaScope(roots={}, facility_ids=frozenset({facility.id}), person_level=False)
    if role == Role.KADER:
        return AreaScope(
            roots={"village": frozenset({facility.region.village_id})},
            facility_ids=frozenset({facility.id}),
            posyandu_ids=frozenset({facility.id}),
            person_level=person_level,
        )
    return AreaScope.nothing()
