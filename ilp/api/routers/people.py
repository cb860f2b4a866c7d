"""The family register: /api/families and /api/persons. Names and NIKs of people, so every endpoint is
scoped to your area and closed to roles without person-level access (lintas sektor: 403).

Writes go through `ilp.people.services`, like the web form and the import: the router holds no rule.
Corrections are PATCH requests carrying only the fields that change.
"""

from uuid import UUID

from ninja import Query, Router, Status

from ilp.api.auth import require_person_level
from ilp.api.errors import (
    ERR_FAMILY_NOT_FOUND,
    ERR_NOT_POSYANDU,
    ERR_PERSON_NOT_FOUND,
    ERR_REGION_NOT_FOUND,
    ApiError,
)
from ilp.api.pagination import paged, stable
from ilp.api.schemas.common import ERRORS, ErrorOut, ValidationErrorOut
from ilp.api.schemas.people import (
    FamilyCreateIn,
    FamilyDetailOut,
    FamilyFilters,
    FamilyListOut,
    FamilyUpdateIn,
    MemberCreateIn,
    PersonDetailOut,
    PersonFilters,
    PersonListOut,
    PersonUpdateIn,
    ServiceErrorOut,
)
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.facilities.selectors import facility_list
from ilp.people.models import Family, Person
from ilp.people.selectors import family_get, family_list, person_get, person_list
from ilp.people.services import family_member_add, family_register, family_update, person_update
from ilp.regions.models import Region
from ilp.regions.selectors import region_get

families = Router(tags=["people"])
persons = Router(tags=["people"])

READ = {**ERRORS, 403: ErrorOut}
# A write may also be refused as a body that is not JSON (400), by the register's rules (422, with warnings to
# confirm) or as a duplicate NIK (409); 403 covers lintas sektor and a session request without its CSRF token.
WRITE = {**READ, 400: ErrorOut, 409: ServiceErrorOut, 422: ValidationErrorOut | ServiceErrorOut}


def _scoped_family(scope: AreaScope, external_id: UUID, *, field: str | None = None) -> Family:
    try:
        return family_get(scope=scope, external_id=external_id)
    except Family.DoesNotExist:
        raise ApiError(404, ERR_FAMILY_NOT_FOUND, field=field) from None


def _scoped_region(scope: AreaScope, code: str) -> Region:
    try:
        return region_get(scope=scope, code=code)
    except Region.DoesNotExist:
        raise ApiError(422, ERR_REGION_NOT_FOUND, field="region") from None


def _scoped_posyandu(scope: AreaScope, external_id: UUID | None) -> Facility | None:
    if external_id is None:
        return None
    try:
        return facility_list(scope=scope, kind=FacilityKind.POSYANDU).get(external_id=external_id)
    except Facility.DoesNotExist:
        raise ApiError(422, ERR_NOT_POSYANDU, field="posyandu") from None


@families.get("", response={200: list[FamilyListOut], **READ}, summary="Families in your area")
@paged
def list_families(request, filters: Query[FamilyFilters]):
    """Families whose address lies in your area; `q` is a KK number or a member's NIK (16 digits), else part of
    the head's name or of the address."""
    scope = require_person_level(request)
    return stable(family_list(scope=scope, search=filters.q))


@families.get("/{external_id}", response={200: FamilyDetailOut, **READ}, summary="One family with its members")
def get_family(request, external_id: UUID):
    return _scoped_family(require_person_level(request), external_id)


@families.post("", response={201: FamilyDetailOut, **WRITE}, summary="Register a family")
def create_family(request, payload: FamilyCreateIn):
    """Register a family with its head and members in one go: all of it or nothing. A NIK or KK number whose
    date, sex or region disagrees is refused with `warnings` until sent again with `confirm_warnings: true`."""
    scope = require_person_level(request)
    family = family_register(
        scope=scope,
        region=_scoped_region(scope, payload.region),
        posyandu=_scoped_posyandu(scope, payload.posyandu),
        head=payload.head.service_kwargs(),
        members=[member.service_kwargs() for member in payload.members],
        kk_number=payload.kk_number,
        kk_missing_reason=payload.kk_missing_reason,
        address_text=payload.address_text,
        latitude=payload.latitude,
        longitude=payload.longitude,
        confirm_warnings=payload.confirm_warnings,
        actor=request.auth,
    )
    return Status(201, family)


@families.patch("/{external_id}", response={200: FamilyDetailOut, **WRITE}, summary="Correct a family")
def update_family(request, external_id: UUID, payload: FamilyUpdateIn):
    """Correct the KK number, address or posyandu; a new address or posyandu moves the current members with
    the family. Send only what changes."""
    scope = require_person_level(request)
    family = _scoped_family(scope, external_id)
    changes = payload.dict(exclude_unset=True)
    confirm = changes.pop("confirm_warnings", False)
    if "region" in changes:
        changes["region"] = _scoped_region(scope, changes["region"] or "")
    if "posyandu" in changes:
        changes["posyandu"] = _scoped_posyandu(scope, changes["posyandu"])
    changes = {
        k: ("" if v is None and k in ("kk_number", "kk_missing_reason", "address_text") else v)
        for k, v in changes.items()
    }
    return family_update(scope=scope, family=family, confirm_warnings=confirm, actor=request.auth, **changes)


@families.post("/{external_id}/members", response={201: PersonDetailOut, **WRITE}, summary="Add a member to a family")
def add_family_member(request, external_id: UUID, payload: MemberCreateIn):
    """Add a person (e.g. a newborn) to a family of your area, from `joined_on` (default today)."""
    scope = require_person_level(request)
    family = _scoped_family(scope, external_id)
    data = payload.service_kwargs()
    person = family_member_add(scope=scope, family=family, actor=request.auth, **data)
    return Status(201, person)


@persons.get("", response={200: list[PersonListOut], **READ}, summary="Persons in your area")
@paged
def list_persons(request, filters: Query[PersonFilters]):
    """Persons whose current address lies in your area, by name; `q` is part of a name or a NIK / KK number
    (16 digits); `family` keeps the current members of one family."""
    scope = require_person_level(request)
    family = _scoped_family(scope, filters.family, field="family") if filters.family else None
    return stable(person_list(scope=scope, search=filters.q, family=family))


@persons.get("/{external_id}", response={200: PersonDetailOut, **READ}, summary="One person")
def get_person(request, external_id: UUID):
    return person_get(scope=require_person_level(request), external_id=external_id)


@persons.patch("/{external_id}", response={200: PersonDetailOut, **WRITE}, summary="Correct a person")
def update_person(request, external_id: UUID, payload: PersonUpdateIn):
    """Correct a person's data; send only what changes. A changed NIK, sex or birth date re-checks the NIK
    (422 with `warnings` to confirm, 409 when another person has it)."""
    scope = require_person_level(request)
    try:
        person = person_get(scope=scope, external_id=external_id)
    except Person.DoesNotExist:
        raise ApiError(404, ERR_PERSON_NOT_FOUND) from None
    changes = payload.dict(exclude_unset=True)
    confirm = changes.pop("confirm_warnings", False)
    for key in ("name", "sex", "birth_date", "birth_date_estimated"):
        if key in changes and changes[key] is None:
            del changes[key]
    changes = {k: ("" if v is None else v) for k, v in changes.items()}
    return person_update(scope=scope, person=person, confirm_warnings=confirm, actor=request.auth, **changes)
