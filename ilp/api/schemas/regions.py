"""Region schemas: identified by their Kemendagri code, with the local name of their level."""

from __future__ import annotations

from ninja import Field, Schema

from ilp.api.auth import request_scope
from ilp.api.schemas.common import Text
from ilp.regions.models import Level
from ilp.regions.selectors import level_label, level_labels, region_breadcrumb, region_in_scope


def _request_level_labels(context) -> dict[tuple[str, int], str]:
    """The LevelLabel table, read once per request however many rows are shown."""
    request = (context or {}).get("request")
    if request is None:
        return level_labels()
    labels = getattr(request, "_ilp_level_labels", None)
    if labels is None:
        labels = level_labels()
        request._ilp_level_labels = labels
    return labels


class RegionRefOut(Schema):
    code: str
    name: str
    level: int


class RegionListOut(Schema):
    code: str
    name: str
    level: int
    level_name: str
    # The name of the level at this place, e.g. "Nagari" for a desa in Sumatera Barat.
    local_label: str
    parent_code: str | None
    is_active: bool

    @staticmethod
    def resolve_level_name(obj) -> str:
        return str(Level(obj.level).label)

    @staticmethod
    def resolve_local_label(obj, context) -> str:
        return level_label(obj.code, obj.level, _request_level_labels(context))

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class RegionDetailOut(RegionListOut):
    parent_name: str | None
    # Top first, without the region itself.
    ancestors: list[RegionRefOut]
    # False for an ancestor of the caller's area, shown for navigation only (its other children stay hidden).
    in_scope: bool

    @staticmethod
    def resolve_parent_name(obj) -> str | None:
        return obj.parent.name if obj.parent_id else None

    @staticmethod
    def resolve_ancestors(obj) -> list:
        return region_breadcrumb(obj)[:-1]

    @staticmethod
    def resolve_in_scope(obj, context) -> bool:
        return region_in_scope(scope=request_scope(context["request"]), region=obj)


class RegionFilters(Schema):
    level: int | None = Field(None, ge=1, le=7, description="1 provinsi … 4 desa/kelurahan, 5-7 dusun/RW/RT")
    parent: Text | None = Field(None, description="Code of the parent region")
    q: Text = Field("", description="Name contains, or code starts with (when it starts with a digit)")
