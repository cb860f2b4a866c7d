"""Messages, refusals and checks shared by the life-cycle services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Role
from ilp.core import changes
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.lifecycle.models import Place, RecorderKind
from ilp.people.models import Person
from ilp.people.services import require_person_in_scope
from ilp.regions.models import Region

ERR_DATE_FUTURE = _("Date: cannot be in the future.")
ERR_DATE_BEFORE_BIRTH = _("Date: before the person's birth date (%(birth)s).")
ERR_DATE_AFTER_DEATH = _("Date: after the person's recorded death (%(death)s).")
ERR_FACILITY_REQUIRED = _("Facility: choose the %(kind)s where the service was given.")
ERR_FACILITY_KIND = _("Facility: a service at a %(place)s is recorded at a facility of that kind.")
ERR_FACILITY_OUT_OF_SCOPE = _("Facility: this facility is outside your working area.")
ERR_KADER_PLACE = _("Place: a kader records services at their posyandu or on a home visit.")
ERR_NOT_WRITER = _("Your role reads services but does not record them.")

# Which facility kind a place needs; school and home visits are recorded without one.
PLACE_FACILITY_KIND = {
    Place.POSYANDU: FacilityKind.POSYANDU,
    Place.PUSTU: FacilityKind.PUSTU,
    Place.PUSKESMAS: FacilityKind.PUSKESMAS,
}
NETWORK_KINDS = frozenset(
    {
        FacilityKind.KLINIK_PRATAMA,
        FacilityKind.PRAKTIK_DOKTER,
        FacilityKind.PRAKTIK_BIDAN,
        FacilityKind.LABORATORIUM,
        FacilityKind.RUMAH_SAKIT,
    }
)


class ConfirmationNeeded(ValidationError):
    """Values that are possible but unusual: the save goes through once the user confirms them."""

    def __init__(self, warnings: Iterable[tuple[str, str]]):
        self.warnings = list(warnings)
        errors: dict[str, list[str]] = {}
        for field, message in self.warnings:
            errors.setdefault(field, []).append(message)
        super().__init__(errors)


def today() -> dt.date:
    return timezone.localdate()


def recorder_kind(actor) -> str:
    """A kader or a health worker, from the recording user's role (the CLI and superusers count as nakes)."""
    role = getattr(actor, "role", "")
    return RecorderKind.KADER if role == Role.KADER else RecorderKind.HEALTH_WORKER


def user_or_none(actor):
    """The actor to store on an event row: a logged-in user, or None for the CLI and the demo."""
    return actor if getattr(actor, "is_authenticated", False) else None


def require_writer(scope: AreaScope, person: Person) -> None:
    """The person is in the scope and the role records services (the roles that write the register)."""
    require_person_in_scope(scope, person)
    if not scope.may_write_people:
        raise PermissionDenied(ERR_NOT_WRITER)


def check_date(person: Person, on: dt.date, field: str = "date") -> None:
    """A service date is not in the future, not before birth, not after a recorded death."""
    if on > today():
        raise ValidationError({field: ERR_DATE_FUTURE})
    if on < person.birth_date:
        raise ValidationError({field: str(ERR_DATE_BEFORE_BIRTH) % {"birth": person.birth_date.isoformat()}})
    if person.death_date is not None and on > person.death_date:
        raise ValidationError({field: str(ERR_DATE_AFTER_DEATH) % {"death": person.death_date.isoformat()}})


def check_place(scope: AreaScope, place: str, facility: Facility | None, kader: bool) -> None:
    """The facility fits the place and lies in the scope; a kader records at their posyandu or at home."""
    if kader and place not in (Place.POSYANDU, Place.HOME):
        raise ValidationError({"place": ERR_KADER_PLACE})
    kind = PLACE_FACILITY_KIND.get(place)
    if kind is not None and facility is None:
        raise ValidationError({"facility": str(ERR_FACILITY_REQUIRED) % {"kind": FacilityKind(kind).label}})
    if facility is None:
        return
    fits = facility.kind == kind if kind is not None else place == Place.NETWORK and facility.kind in NETWORK_KINDS
    if not fits:
        raise ValidationError({"facility": str(ERR_FACILITY_KIND) % {"place": Place(place).label}})
    if not scope.everything and not Facility.objects.filter(scope.facility_q(), pk=facility.pk).exists():
        raise ValidationError({"facility": ERR_FACILITY_OUT_OF_SCOPE})
    if kader and scope.posyandu_ids is not None and facility.pk not in scope.posyandu_ids:
        raise ValidationError({"facility": ERR_FACILITY_OUT_OF_SCOPE})


def mark_changed(*, region_ids: Iterable[int | None], topics: Iterable[str], dates: Iterable[dt.date]) -> None:
    """Tell the indicators what changed in these regions' desa on these dates (`ilp.core.changes`)."""
    ids = {r for r in region_ids if r}
    villages = {village or pk for pk, village in Region.objects.filter(id__in=ids).values_list("id", "village_id")}
    changes.mark_changed(topics=topics, village_ids=villages, dates=dates)
