"""Reads on the family register, always through an `AreaScope`."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Length, Substr

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.people.identity import SEX_FEMALE, normalise, search_key
from ilp.people.life_stage import NIFAS_DAYS
from ilp.people.models import (
    Family,
    FamilyMembership,
    Person,
    PersonMerge,
    Pregnancy,
    PregnancyOutcome,
    Relationship,
)

_DIGITS16 = re.compile(r"^\d{16}$")
# Outcomes after which a mother is ibu nifas (ILP.md §2.1).
DELIVERY_OUTCOMES = (PregnancyOutcome.LIVE_BIRTH, PregnancyOutcome.STILLBIRTH)


def _identity_term(search: str) -> str | None:
    """The search term as a NIK/KK number when it is one (16 digits, separators allowed)."""
    digits = normalise(search)
    return digits if _DIGITS16.match(digits) else None


def _successor(prefix: str) -> str:
    """The first string after every string starting with `prefix`, in code-point order ("nur" -> "nus"):
    `prefix <= key < successor` is the prefix as an index range, and the planner estimates it well."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def name_search(qs: QuerySet[Person], search: str) -> QuerySet[Person]:
    """Persons whose name matches the words typed: the first starts a word of the name, each other one
    starts a word after it ("siti nur" finds "Siti Nurhaliza" and "Rahmi Siti Nuraini", "nur" finds
    "Siti Nurhaliza" too), case- and accent-insensitive (`search_key`).

    Answered from the name keys alone (`PersonNameKey`: the name read from each of its words on): the
    first word is one range of the key index, the later words are tested on the same index entries, and
    the range is already in list order, so a page costs about the same however common the name. Results
    come ordered by the name read from the matched word; a person with two words starting with the first
    typed word is listed once.
    """
    words = search_key(search).split()
    if not words:
        return qs.order_by("name", "id")
    first, later = words[0], words[1:]
    # One filter() call, so every condition (and the alias and order below) reads the same key row;
    # an inner join, which SQLite, unlike a filtered LEFT JOIN, drives from the key index.
    matched = Q(name_keys__key__gte=first, name_keys__key__lt=_successor(first))
    for word in later:
        matched &= Q(name_keys__key__contains=f" {word}")
    return (
        qs.filter(matched)
        .alias(
            matched_key=F("name_keys__key"),
            # = the person's id, read from the key row so the (key, person) index gives the whole order.
            matched_person=F("name_keys__person_id"),
            # The words before the matched one: when one of them matches too, that row lists the person.
            before=Substr("name_search", 1, Length("name_search") - Length("matched_key")),
        )
        .filter(~Q(before__startswith=first) & ~Q(before__contains=f" {first}"))
        .order_by("matched_key", "matched_person")
    )


def person_list(*, scope: AreaScope, search: str = "", family: Family | None = None) -> QuerySet[Person]:
    """Persons of the households inside the scope; none for aggregate-only roles.

    Records merged into another person (`person_merge`) are left out: their survivor stands for them.

    `search` matches the name (`name_search`: one index range in list order, so the database stops at
    the page) or, when it is 16 digits, the exact NIK or the KK number of the person's current
    family (looked up first through their unique indexes: an OR of the two would scan the register).
    """
    if not scope.person_level:
        return Person.objects.none()
    qs = Person.objects.filter(scope.household_q(), merged_into__isnull=True).select_related("region")
    if family is not None:
        qs = qs.filter(id__in=_current(family=family).values("person_id"))
    search = search.strip()
    if search:
        number = _identity_term(search)
        if number:
            ids = set(Person.objects.filter(nik=number).values_list("id", flat=True))
            families = list(Family.objects.filter(kk_number=number).values_list("id", flat=True))
            if families:
                ids.update(_current().filter(family_id__in=families).values_list("person_id", flat=True))
            return qs.filter(id__in=sorted(ids)).order_by("name", "id")
        return name_search(qs, search)
    return qs.order_by("name", "id")


def person_get(*, scope: AreaScope, external_id: uuid.UUID | str) -> Person:
    """One person by external id; `Person.DoesNotExist` when outside the scope."""
    return person_list(scope=scope).get(external_id=external_id)


def family_list(*, scope: AreaScope, search: str = "") -> QuerySet[Family]:
    """Families inside the scope (a kader: their posyandu's); none for aggregate-only roles.

    `search` matches the exact KK number or a member's NIK (16 digits), else a member's name
    (`name_search`), the address text or the name of the dusun/RW/RT or desa.
    """
    if not scope.person_level:
        return Family.objects.none()
    qs = Family.objects.filter(scope.household_q()).select_related("region", "head", "posyandu")
    search = search.strip()
    if search:
        number = _identity_term(search)
        if number:
            with_nik = _current().filter(person__nik=number).values("family_id")
            qs = qs.filter(Q(kk_number=number) | Q(id__in=with_nik))
        else:
            named = name_search(Person.objects.all(), search).values("id")
            members = _current().filter(person_id__in=named).values("family_id")
            qs = qs.filter(
                Q(id__in=members)
                | Q(address_text__icontains=search)
                | Q(region__name__icontains=search)
                | Q(region__village__name__icontains=search)
            )
    return qs.order_by("id")


def posyandu_members(
    *, scope: AreaScope, on: dt.date, posyandu: Facility | None = None, search: str = ""
) -> QuerySet[FamilyMembership]:
    """The sasaran of a posyandu (or of the whole scope): current members of its families who are alive,
    live here, are not merged duplicates and were born by `on`; `search` matches their name (`name_search`).
    """
    families = family_list(scope=scope)
    if posyandu is not None:
        families = families.filter(posyandu=posyandu)
    rows = _current().filter(
        family__in=families.values("id"),
        person__death_date__isnull=True,
        person__moved_out_on__isnull=True,
        person__merged_into__isnull=True,
        person__birth_date__lte=on,
    )
    if search.strip():
        rows = rows.filter(person__in=name_search(Person.objects.all(), search).values("id"))
    return rows.select_related("person", "family", "family__head", "family__region", "family__posyandu")


def family_get(*, scope: AreaScope, external_id: uuid.UUID | str) -> Family:
    """One family by external id; `Family.DoesNotExist` when outside the scope."""
    return family_list(scope=scope).get(external_id=external_id)


def family_members(*, family: Family) -> list[FamilyMembership]:
    """Current members of a family (reached through `family_get`), the head first, then by age."""
    order = {code: i for i, code in enumerate(Relationship.values)}
    rows = list(_current(family=family).select_related("person", "person__region"))
    return sorted(rows, key=lambda m: (order.get(m.relationship, len(order)), m.person.birth_date, m.pk))


def person_merge_list(*, scope: AreaScope) -> QuerySet[PersonMerge]:
    """Merges whose survivor lives inside the scope, newest first, for review; none for aggregate-only roles."""
    if not scope.person_level:
        return PersonMerge.objects.none()
    return (
        PersonMerge.objects.filter(scope.household_q("survivor__"))
        .select_related("survivor", "merged", "merged_by")
        .order_by("-merged_at", "-id")
    )


def _current(**filters) -> QuerySet[FamilyMembership]:
    return FamilyMembership.objects.filter(end_date__isnull=True, **filters)


def current_memberships(*, persons) -> dict[int, FamilyMembership]:
    """The current membership (with its family) of each of these persons (read through a scoped selector),
    in one query."""
    ids = [p.pk for p in persons]
    return {m.person_id: m for m in _current(person_id__in=ids).select_related("family")}


def maternal_status(*, persons, on: dt.date) -> tuple[dict[int, Pregnancy], dict[int, dt.date]]:
    """Open pregnancies, and deliveries within the nifas window (`life_stage.NIFAS_DAYS`) before `on`, of
    these persons (read through a scoped selector), in one query: (person id -> open pregnancy,
    person id -> latest delivery date)."""
    ids = [p.pk for p in persons if p.sex == SEX_FEMALE]
    if not ids:
        return {}, {}
    since = on - dt.timedelta(days=NIFAS_DAYS)
    rows = Pregnancy.objects.filter(person_id__in=ids).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=since, outcome__in=DELIVERY_OUTCOMES)
    )
    open_, delivered = {}, {}
    for row in rows:
        if row.ended_on is None:
            open_[row.person_id] = row
        else:
            delivered[row.person_id] = max(row.ended_on, delivered.get(row.person_id, row.ended_on))
    return open_, delivered


def open_pregnancy(*, person: Person) -> Pregnancy | None:
    """The ongoing pregnancy of a person read through a scoped selector, if any."""
    return Pregnancy.objects.filter(person=person, ended_on__isnull=True).first()
