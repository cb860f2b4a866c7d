"""How a region is named on a page: its local level name (Nagari, Jorong, Kecamatan...) before its own name."""

from django.utils.text import capfirst

from ilp.regions.models import Level
from ilp.regions.selectors import level_label


def region_prefix(code: str, level: int, labels: dict) -> str:
    """The local level name to print before a region's name; none for a kabupaten/kota, whose
    official name already starts with "Kabupaten" or "Kota"."""
    if level == Level.REGENCY:
        return ""
    return capfirst(level_label(code, level, labels))


def labelled(regions, labels: dict) -> list[tuple]:
    """(region, prefix) pairs for templates."""
    return [(r, region_prefix(r.code, r.level, labels)) for r in regions]
