"""Likely duplicate persons, shown before a person without NIK (or with a new NIK) is saved (issue #3).

The rule: a registered person is a candidate when
  - they are inside the caller's scope, not already merged into another record, of the same sex (when
    given), and
  - born within `BIRTH_DATE_TOLERANCE_DAYS` of the given date, or within
    `ESTIMATED_BIRTH_DATE_TOLERANCE_DAYS` when either date is only estimated (common for older adults), and
  - living in the same desa/kelurahan as `region`, or a current member of `family` (when either is given),
and, after that narrowing in SQL, their name scores at least `NAME_SCORE_THRESHOLD` (0-100) against the
given name. Names are compared accent-stripped and lower-cased, as the better of rapidfuzz's
`token_sort_ratio` (word order: "Hayati Nur" vs "Nur Hayati") and a plain ratio with the spaces removed
(word splits: "Nurhayati" vs "Nur Hayati"). The thresholds are configurable defaults, not clinical rules:
pass other values to tune recall against the noise a kader has to read through.
Deceased persons are candidates too (flagged), since a death recorded on a duplicate is still history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from ilp.core.scoping import AreaScope
from ilp.people.identity import search_key
from ilp.people.models import Family, FamilyMembership, Person
from ilp.regions.models import Region

BIRTH_DATE_TOLERANCE_DAYS = 31
ESTIMATED_BIRTH_DATE_TOLERANCE_DAYS = 365
NAME_SCORE_THRESHOLD = 85
# Upper bound on rows scored in Python; the SQL window keeps real cases far below it.
MAX_SCORED_ROWS = 5000

REASON_SIMILAR_NAME = _("similar name")
REASON_SAME_NAME = _("same name")
REASON_SAME_BIRTH_DATE = _("same birth date")
REASON_NEAR_BIRTH_DATE = _("birth date within tolerance")
REASON_SAME_DESA = _("same desa/kelurahan")
REASON_SAME_FAMILY = _("same family")
REASON_DECEASED = _("recorded as deceased")


@dataclass(frozen=True)
class DuplicateCandidate:
    score: float
    person: Person
    reasons: list = field(default_factory=list)

    @property
    def deceased(self) -> bool:
        return self.person.death_date is not None


def key_score(a: str, b: str) -> float:
    """Similarity 0-100 of two folded names (`search_key`, as stored in `Person.name_search`)."""
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


def name_score(a: str, b: str) -> float:
    """Similarity 0-100 of two names, insensitive to case, accents, word order and word splits."""
    return key_score(search_key(a), search_key(b))


def likely_duplicates(
    *,
    scope: AreaScope,
    name: str,
    birth_date: dt.date,
    birth_date_estimated: bool = False,
    sex: str | None = None,
    region: Region | None = None,
    family: Family | None = None,
    exclude: Person | Iterable[Person] | None = None,
    limit: int = 10,
    tolerance_days: int = BIRTH_DATE_TOLERANCE_DAYS,
    estimated_tolerance_days: int = ESTIMATED_BIRTH_DATE_TOLERANCE_DAYS,
    threshold: float = NAME_SCORE_THRESHOLD,
) -> list[DuplicateCandidate]:
    """Persons in scope who are probably the person described, best score first (see the module rule)."""
    if not scope.person_level:
        return []
    near = dt.timedelta(days=tolerance_days)
    wide = dt.timedelta(days=estimated_tolerance_days)
    if birth_date_estimated:
        window = Q(birth_date__range=(birth_date - wide, birth_date + wide))
    else:
        window = Q(birth_date__range=(birth_date - near, birth_date + near)) | Q(
            birth_date_estimated=True, birth_date__range=(birth_date - wide, birth_date + wide)
        )
    qs = Person.objects.filter(scope.household_q(), window, merged_into__isnull=True)
    if sex:
        qs = qs.filter(sex=sex)
    village_id = region.village_id if region is not None else None
    family_members = (
        FamilyMembership.objects.filter(family=family, end_date__isnull=True).values("person_id")
        if family is not None
        else None
    )
    place = Q(pk__in=[])
    if village_id is not None:
        place |= Q(region__village_id=village_id)
    if family_members is not None:
        place |= Q(pk__in=family_members)
    if village_id is not None or family_members is not None:
        qs = qs.filter(place)
    if exclude is not None:
        excluded = [exclude] if isinstance(exclude, Person) else list(exclude)
        qs = qs.exclude(pk__in=[p.pk for p in excluded])
    rows = list(qs.select_related("region")[:MAX_SCORED_ROWS])
    in_family = (
        set(FamilyMembership.objects.filter(family=family, end_date__isnull=True).values_list("person_id", flat=True))
        if family is not None
        else set()
    )
    wanted = search_key(name)
    candidates = []
    for person in rows:
        score = key_score(wanted, person.name_search)
        if score < threshold:
            continue
        reasons = [REASON_SAME_NAME if person.name_search == wanted else REASON_SIMILAR_NAME]
        reasons.append(REASON_SAME_BIRTH_DATE if person.birth_date == birth_date else REASON_NEAR_BIRTH_DATE)
        if village_id is not None and person.region.village_id == village_id:
            reasons.append(REASON_SAME_DESA)
        if person.pk in in_family:
            reasons.append(REASON_SAME_FAMILY)
        if person.death_date is not None:
            reasons.append(REASON_DECEASED)
        candidates.append(DuplicateCandidate(score=score, person=person, reasons=reasons))
    candidates.sort(key=lambda c: (-c.score, abs((c.person.birth_date - birth_date).days), c.person.pk))
    return candidates[:limit]


@dataclass(frozen=True)
class DuplicatePair:
    score: float
    first: Person
    second: Person


def duplicate_pairs(
    *,
    scope: AreaScope,
    limit: int = 50,
    tolerance_days: int = BIRTH_DATE_TOLERANCE_DAYS,
    threshold: float = NAME_SCORE_THRESHOLD,
) -> list[DuplicatePair]:
    """Pairs of records in the scope that are probably one person: the duplicate review's worklist.

    The rule of `likely_duplicates`, run over the whole area: same desa/kelurahan and sex, birth dates
    within `tolerance_days` (the wider estimated tolerance is left to the per-person search, where a user
    looks at one record), a name score of at least `threshold`, and at most one of the two with a NIK (two
    different NIKs are two identities). Records are compared only inside a sliding birth-date window of
    their desa and sex, so an area of 10,000 persons costs a few thousand name comparisons. Best first.
    """
    if not scope.person_level:
        return []
    rows = (
        Person.objects.filter(scope.household_q(), merged_into__isnull=True)
        .values_list("id", "name_search", "sex", "birth_date", "nik", "region__village_id")
        .order_by("region__village_id", "sex", "birth_date", "id")
    )
    window = dt.timedelta(days=tolerance_days)
    found: list[tuple[float, int, int]] = []
    group_key, group = None, []
    for pk, key, sex, born, nik, village in rows.iterator(chunk_size=5000):
        if (village, sex) != group_key:
            group_key, group = (village, sex), []
        group = [g for g in group if born - g[2] <= window]
        for other_pk, other_key, _born, other_nik in group:
            if nik and other_nik:
                continue
            score = key_score(key, other_key)
            if score >= threshold:
                found.append((score, other_pk, pk))
        group.append((pk, key, born, nik))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    found = found[:limit]
    persons = Person.objects.select_related("region").in_bulk({pk for _s, a, b in found for pk in (a, b)})
    return [DuplicatePair(score=s, first=persons[a], second=persons[b]) for s, a, b in found]
