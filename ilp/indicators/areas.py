"""The areas the PWS reports on: a region (kabupaten, kecamatan, desa, dusun/RW/RT), a puskesmas working
area, or a posyandu, each with the filter that selects its facts and its direct sub-areas.

Sub-areas follow the issue's report rule: kabupaten -> kecamatan -> desa -> dusun; a puskesmas -> the desa
of its working area; a desa without dusun -> its posyandu.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind, WorkingAreaVillage
from ilp.regions.models import LEVEL_FIELD, Level, Region

ERR_UNKNOWN_AREA = _("Area: no region or puskesmas has the code %(code)s.")
ERR_AREA_OUT_OF_SCOPE = _("Area: %(name)s is outside your working area.")

KIND_REGION = "region"
KIND_PUSKESMAS = "puskesmas"
KIND_POSYANDU = "posyandu"


@dataclass(frozen=True)
class Area:
    kind: str  # region, puskesmas or posyandu
    pk: int
    code: str
    name: str
    level: int | None = None  # the region's level
    village_ids: tuple[int, ...] = ()  # desa the area covers (all of them for a puskesmas or a desa)
    regency_id: int | None = None
    district_id: int | None = None

    def fact_q(self) -> Q:
        """The IndicatorValue rows of the area."""
        if self.kind == KIND_POSYANDU:
            return Q(posyandu_id=self.pk)
        if self.kind == KIND_PUSKESMAS:
            return Q(village_id__in=self.village_ids)
        if self.level in (Level.DUSUN, Level.RW):
            return Q(region_id=self.pk) | Q(**{f"region__{LEVEL_FIELD[Level(self.level)]}_id": self.pk})
        if self.level == Level.RT:
            return Q(region_id=self.pk)
        return Q(**{f"{LEVEL_FIELD[Level(self.level)]}_id": self.pk})

    @property
    def has_projection(self) -> bool:
        """Populations are entered per desa, so only whole desa (and what they make up) have a projection."""
        return self.kind == KIND_PUSKESMAS or (self.level is not None and self.level <= Level.VILLAGE)


def _region_area(region: Region) -> Area:
    if region.level == Level.VILLAGE:
        villages = (region.id,)
    elif region.level < Level.VILLAGE:
        column = LEVEL_FIELD[Level(region.level)]
        villages = tuple(
            Region.objects.filter(level=Level.VILLAGE, **{f"{column}_id": region.id}).values_list("id", flat=True)
        )
    else:
        villages = (region.village_id,) if region.village_id else ()
    return Area(
        KIND_REGION, region.id, region.code, region.name, region.level, villages, region.regency_id, region.district_id
    )


def _puskesmas_area(pkm: Facility) -> Area:
    villages = tuple(
        WorkingAreaVillage.objects.filter(puskesmas=pkm).order_by("village__code").values_list("village_id", flat=True)
    )
    return Area(
        KIND_PUSKESMAS, pkm.id, pkm.code, pkm.name, None, villages, pkm.region.regency_id, pkm.region.district_id
    )


def _posyandu_area(pos: Facility) -> Area:
    village = pos.region.village_id or pos.region_id
    return Area(
        KIND_POSYANDU, pos.id, pos.code, pos.name, None, (village,), pos.region.regency_id, pos.region.district_id
    )


def area_for(code: str) -> Area:
    """The area with this region or facility code (a puskesmas or a posyandu)."""
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return _region_area(region)
    facility = Facility.objects.select_related("region").filter(code=code).first()
    if facility is not None and facility.kind == FacilityKind.PUSKESMAS:
        return _puskesmas_area(facility)
    if facility is not None and facility.kind == FacilityKind.POSYANDU:
        return _posyandu_area(facility)
    raise LookupError(str(ERR_UNKNOWN_AREA) % {"code": code})


def area_visible(*, scope: AreaScope, area: Area) -> bool:
    """Whether the scope reads the whole area (a kader reads their posyandu, a pemdes their desa)."""
    if scope.everything:
        return True
    if area.kind == KIND_REGION:
        if scope.posyandu_ids is not None:
            return False
        return Region.objects.filter(scope.region_q(), pk=area.pk).exists()
    if area.kind == KIND_POSYANDU and scope.posyandu_ids is not None:
        return area.pk in scope.posyandu_ids
    if scope.posyandu_ids is not None:
        return False
    if area.kind == KIND_PUSKESMAS and scope.facility_ids is not None:
        return area.pk in scope.facility_ids
    return Facility.objects.filter(scope.facility_q(), pk=area.pk).exists()


def require_area(*, scope: AreaScope, code: str) -> Area:
    """The area by code, refused when the user does not read all of it."""
    area = area_for(code)
    if not area_visible(scope=scope, area=area):
        raise PermissionDenied(str(ERR_AREA_OUT_OF_SCOPE) % {"name": area.name})
    return area


def sub_areas(area: Area) -> list[Area]:
    """The direct sub-areas of an area, in code order."""
    if area.kind == KIND_POSYANDU:
        return []
    if area.kind == KIND_PUSKESMAS:
        regions = Region.objects.filter(id__in=area.village_ids).order_by("code")
        return [_region_area(r) for r in regions]
    if area.level in (Level.PROVINCE, Level.REGENCY, Level.DISTRICT):
        regions = Region.objects.filter(parent_id=area.pk, is_active=True).order_by("code")
        return [_region_area(r) for r in regions]
    children = list(Region.objects.filter(parent_id=area.pk).order_by("code"))
    if children:
        return [_region_area(r) for r in children]
    if area.level == Level.VILLAGE:
        return posyandu_of(area)
    return []


def posyandu_of(area: Area) -> list[Area]:
    """The posyandu inside a desa or a puskesmas working area."""
    qs = Facility.objects.select_related("region").filter(
        kind=FacilityKind.POSYANDU, is_active=True, region__village_id__in=area.village_ids
    )
    return [_posyandu_area(f) for f in qs.order_by("name", "id")]


def default_area(*, scope: AreaScope, user) -> Area | None:
    """The area a user's PWS opens on: their posyandu, desa, puskesmas, kecamatan or kabupaten."""
    facility = getattr(user, "facility", None)
    if scope.posyandu_ids is not None and scope.posyandu_ids:
        pos = Facility.objects.select_related("region").get(pk=min(scope.posyandu_ids))
        return _posyandu_area(pos)
    if facility is not None and facility.kind == FacilityKind.PUSKESMAS:
        return _puskesmas_area(facility)
    if facility is not None and facility.kind == FacilityKind.PUSTU:
        return _region_area(facility.region)
    region = getattr(user, "region", None)
    if region is not None:
        return _region_area(region)
    if scope.everything:
        top = Region.objects.filter(level=Level.REGENCY).order_by("code").first()
        return _region_area(top) if top else None
    return None


def puskesmas_areas(area: Area) -> list[tuple[Area, Facility]]:
    """The puskesmas working areas inside a kabupaten or kecamatan, with their facility (for the rollout
    status), in name order."""
    column = LEVEL_FIELD[Level(area.level)] if area.kind == KIND_REGION and area.level in LEVEL_FIELD else None
    qs = Facility.objects.select_related("region").filter(kind=FacilityKind.PUSKESMAS, is_active=True)
    facilities = list((qs.filter(**{f"region__{column}_id": area.pk}) if column else qs.none()).order_by("name", "id"))
    villages: dict[int, list[int]] = {f.id: [] for f in facilities}
    rows = WorkingAreaVillage.objects.filter(puskesmas__in=facilities).order_by("village__code")
    for pkm_id, village_id in rows.values_list("puskesmas_id", "village_id"):
        villages[pkm_id].append(village_id)
    return [
        (
            Area(
                KIND_PUSKESMAS,
                f.id,
                f.code,
                f.name,
                None,
                tuple(villages[f.id]),
                f.region.regency_id,
                f.region.district_id,
            ),
            f,
        )
        for f in facilities
    ]


def puskesmas_peers(area: Area) -> tuple[str, list[Area]]:
    """For a desa: the name of the puskesmas whose working area holds it, and that area's desa (for the
    desa's rank among them); empty for any other area."""
    if area.kind != KIND_REGION or area.level != Level.VILLAGE:
        return "", []
    code = WorkingAreaVillage.objects.filter(village_id=area.pk).values_list("puskesmas__code", flat=True).first()
    if code is None:
        return "", []
    puskesmas = area_for(code)
    return puskesmas.name, sub_areas(puskesmas)
