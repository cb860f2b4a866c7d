"""The area scope a user reads through. Built by `ilp.accounts.scope`, applied by every selector.

A scope is a set of region roots (any level of the Kemendagri hierarchy) plus, for roles bound to
facilities, an explicit set of facility ids. Selectors turn it into a `Q` over the flattened region
columns, so a check is one indexed comparison, never a walk of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

LEVEL_COLUMNS = ("province", "regency", "district", "village")


@dataclass(frozen=True)
class AreaScope:
    # Roots by level name ("province", "regency", "district", "village") -> region ids.
    roots: dict[str, frozenset[int]] = field(default_factory=dict)
    # None: every facility inside the roots; otherwise only these (plus `extra_facility_ids`).
    facility_ids: frozenset[int] | None = None
    # Facilities outside the area that the role still sees (e.g. network members, referral hospitals).
    extra_facility_ids: frozenset[int] = frozenset()
    # None: every household inside the roots; otherwise only families (and their members) attending these
    # posyandu: a kader's register is their posyandu's families.
    posyandu_ids: frozenset[int] | None = None
    # Whether person-level data (families, persons, services) may be read at all.
    person_level: bool = True
    # Whether the role registers and corrects families and persons (the pemdes reads its desa's register only).
    may_write_people: bool = False
    # Whether the role registers sub-village units (dusun/jorong, RW, RT) inside its roots.
    may_edit_regions: bool = False
    everything: bool = False

    @classmethod
    def nothing(cls) -> AreaScope:
        return cls(roots={}, facility_ids=frozenset(), person_level=False)

    @classmethod
    def all(cls) -> AreaScope:
        return cls(everything=True, may_edit_regions=True, may_write_people=True)

    def region_q(self, prefix: str = "") -> Q:
        """Rows whose region (reached through `prefix`, e.g. "region__") lies inside a root."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for level, ids in self.roots.items():
            if ids:
                q |= Q(**{f"{prefix}{level}_id__in": sorted(ids)})
        return q

    def household_q(self, prefix: str = "") -> Q:
        """Families or persons (reached through `prefix`, e.g. "person__") the scope may read."""
        q = self.region_q(f"{prefix}region__")
        if not self.everything and self.posyandu_ids is not None:
            q &= Q(**{f"{prefix}posyandu_id__in": sorted(self.posyandu_ids)})
        return q

    def facility_q(self, prefix: str = "") -> Q:
        """Facilities (reached through `prefix`, e.g. "facility__") the scope may read."""
        if self.everything:
            return Q()
        id_lookup = f"{prefix}id__in" if prefix else "pk__in"
        if self.facility_ids is None:
            q = self.region_q(f"{prefix}region__")
        else:
            q = Q(**{id_lookup: sorted(self.facility_ids)})
        if self.extra_facility_ids:
            q |= Q(**{id_lookup: sorted(self.extra_facility_ids)})
        return q
