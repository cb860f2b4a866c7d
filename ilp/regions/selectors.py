"""Reads on regions, always through an `AreaScope`."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from ilp.core.scoping import AreaScope
from ilp.regions.models import LEVEL_FIELD, Level, LevelLabel, Region


def _root_ancestor_ids(scope: AreaScope) -> set[int]:
    """Ancestors of the scope's roots: shown for navigation (name and code only), never their subtree."""
    root_ids = [i for ids in scope.roots.values() for i in ids]
    ids: set[int] = set()
    cols = [f"{c}_id" for c in LEVEL_FIELD.values()]
    for rec in Region.objects.filter(id__in=root_ids).values_list(*cols):
        ids.update(i for i in rec if i)
    return ids - set(root_ids)


def region_list(
    *,
    scope: AreaScope,
    level: int | None = None,
    parent: Region | None = None,
    search: str = "",
    include_ancestors: bool = True,
) -> QuerySet[Region]:
    """Regions inside the scope (and, for navigation, the ancestors of its roots)."""
    qs = Region.objects.select_related("parent")
    if not scope.everything:
        allowed = scope.region_q()
        if include_ancestors:
            allowed |= Q(id__in=_root_ancestor_ids(scope))
        qs = qs.filter(allowed)
    if level is not None:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if search:
        search = search.strip()
        qs = qs.filter(code__startswith=search) if search[:1].isdigit() else qs.filter(name__icontains=search)
    return qs.order_by("code")  # codes are unique: a stable order for pagination


def region_get(*, scope: AreaScope, code: str) -> Region:
    """One region by code; `Region.DoesNotExist` when outside the scope."""
    return region_list(scope=scope).select_related("parent").get(code=code)


def region_in_scope(*, scope: AreaScope, region: Region) -> bool:
    """Whether the region lies inside the scope's roots (not merely an ancestor shown for navigation)."""
    return scope.everything or Region.objects.filter(scope.region_q(), pk=region.pk).exists()


def region_breadcrumb(region: Region) -> list[Region]:
    """The region's ancestors, top first, then the region itself."""
    ids = region.ancestor_ids()
    by_id = {r.id: r for r in Region.objects.filter(id__in=ids)}
    return [by_id[i] for i in ids if i in by_id] + [region]


def level_labels() -> dict[tuple[str, int], str]:
    return {(lbl.area_code, lbl.level): lbl.label for lbl in LevelLabel.objects.all()}


def level_label(region_code: str, level: int, labels: dict[tuple[str, int], str] | None = None) -> str:
    """The local name of a level at a place: the longest matching area-code prefix wins.

    Kelurahan (village code part starting with 1, ILP.md §4 ❓) keep the name "Kelurahan".
    """
    if level == Level.VILLAGE and region_code.count(".") >= 3 and region_code.split(".")[3].startswith("1"):
        return gettext("Kelurahan")
    labels = level_labels() if labels is None else labels
    best, best_len = None, -1
    for (area, lvl), label in labels.items():
        if lvl == level and region_code.startswith(area) and len(area) > best_len:
            best, best_len = label, len(area)
    return best if best is not None else str(Level(level).label)


def scope_root_regions(*, scope: AreaScope) -> list[Region]:
    """The regions a scope starts from (the provinces for a superuser), for "my area" and the browser."""
    if scope.everything:
        return list(region_list(scope=scope, level=Level.PROVINCE))
    ids = sorted({i for ids in scope.roots.values() for i in ids})
    if not ids:
        return []
    return list(region_list(scope=scope, include_ancestors=False).filter(id__in=ids))


def region_visible(*, scope: AreaScope, region: Region) -> bool:
    """Whether the region page would open for this scope (inside it, or an ancestor of a root)."""
    return region_list(scope=scope).filter(pk=region.pk).exists()
