"""The "Laporan Monitoring ILP" of a puskesmas, or of every puskesmas of a kabupaten/kota, for a quarter:
JSON-ready data that the printable page, the PDF, the .xlsx and `ilp planning report` all render.

Per puskesmas it reads the most recent cycle started on or before the quarter's last day: the functional
network (with each member's reporting on time, `planning.network`), the ranked problems with their scores,
the RTL steps of the priority problems with baseline -> current -> target and the monitoring status as of
the quarter's end (or today, inside the current quarter), the risk register, and the lokakarya mini and
evaluations held in the quarter (Juknis ILP `06-integrasi-fasker/index.mdx`: monthly monitoring per care
pathway step, evaluation every 6/12 months; ILP.md §1.7, §1.8, §5).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.indicators.areas import ERR_AREA_OUT_OF_SCOPE, ERR_UNKNOWN_AREA
from ilp.planning.models import Cycle
from ilp.planning.monitoring import Progress
from ilp.planning.report_sections import puskesmas_section
from ilp.planning.selectors import monitoring_period
from ilp.regions.models import LEVEL_FIELD, Level, Region

# The report's name as the issue gives it: the name of the document, so it is not translated.
REPORT_TITLE = "Laporan Monitoring ILP"

ERR_PERIOD = _("Period: write it as YYYY-Qn, e.g. 2026-Q3.")
ERR_FUTURE = _("Period: %(period)s is in the future.")
ERR_AREA_KIND = _("Area: %(code)s is neither a puskesmas nor a kabupaten/kota.")

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
# Region levels whose puskesmas a report lists (a kecamatan works the same way as a kabupaten).
_REGION_LEVELS = (Level.REGENCY, Level.DISTRICT)


def parse_quarter(text: str | None) -> tuple[dt.date, dt.date]:
    """`2026-Q3` -> (1 July 2026, 30 September 2026); `ValueError` with the user's message otherwise."""
    match = _QUARTER.match(text or "")
    if match is None or not 1900 < int(match.group(1)) < 3000:
        raise ValueError(str(ERR_PERIOD))
    year, quarter = int(match.group(1)), int(match.group(2))
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> str:
    """The quarter holding a day, written `YYYY-Qn`."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def recent_quarters(today: dt.date, count: int = 8) -> list[str]:
    """The quarter of `today` and the `count - 1` before it, newest first."""
    index = today.year * 4 + (today.month - 1) // 3
    return [f"{(index - k) // 4}-Q{(index - k) % 4 + 1}" for k in range(count)]


def _area(code: str, scope: AreaScope | None) -> tuple[dict, list[Facility], bool]:
    """The report's area, its puskesmas, and whether it is a region (a kabupaten/kota or kecamatan)."""
    facility = Facility.objects.select_related("region").filter(code=code).first()
    if facility is not None and facility.kind == FacilityKind.PUSKESMAS:
        if scope is not None and not Facility.objects.filter(scope.facility_q(), pk=facility.pk).exists():
            raise PermissionDenied(str(ERR_AREA_OUT_OF_SCOPE) % {"name": facility.name})
        area = {"kind": "puskesmas", "code": facility.code, "name": facility.name, "level": None}
        return area, [facility], False
    region = Region.objects.filter(code=code).first()
    if region is None and facility is None:
        raise LookupError(str(ERR_UNKNOWN_AREA) % {"code": code})
    if region is None or region.level not in _REGION_LEVELS:
        raise LookupError(str(ERR_AREA_KIND) % {"code": code})
    if scope is not None and not Region.objects.filter(scope.region_q(), pk=region.pk).exists():
        raise PermissionDenied(str(ERR_AREA_OUT_OF_SCOPE) % {"name": region.name})
    column = LEVEL_FIELD[Level(region.level)]
    puskesmas = list(
        Facility.objects.select_related("region")
        .filter(kind=FacilityKind.PUSKESMAS, is_active=True, **{f"region__{column}_id": region.pk})
        .order_by("name", "id")
    )
    area = {"kind": "region", "code": region.code, "name": region.name, "level": int(region.level)}
    return area, puskesmas, True


def _latest_cycles(puskesmas: list[Facility], last_day: dt.date) -> dict[int, Cycle]:
    """Puskesmas id -> its most recent cycle started on or before `last_day`, in one query."""
    out: dict[int, Cycle] = {}
    rows = Cycle.objects.filter(puskesmas__in=puskesmas, started_on__lte=last_day).order_by(
        "puskesmas_id", "-started_on", "-id"
    )
    for cycle in rows:
        out.setdefault(cycle.puskesmas_id, cycle)
    return out


def _summary_row(facility: Facility, section: dict | None) -> dict:
    counts = {p.value or "no_data": 0 for p in Progress}
    cycle = section["cycle"] if section else None
    for item in section["rtl"] if section else []:
        counts[item["progress"] or "no_data"] += 1
    return {
        "code": facility.code,
        "name": facility.name,
        "ilp_status": facility.ilp_status,
        "ilp_status_label": str(facility.get_ilp_status_display()),
        "pilot": facility.ilp_pilot,
        "cycle": cycle["name"] if cycle else None,
        "stage": cycle["stage"] if cycle else None,
        "stage_label": cycle["stage_label"] if cycle else None,
        "steps": len(section["rtl"]) if section else 0,
        "achieved": counts[Progress.ACHIEVED],
        "on_track": counts[Progress.ON_TRACK],
        "at_risk": counts[Progress.AT_RISK],
        "no_data": counts["no_data"],
    }


def report_data(*, area_code: str, quarter: str, scope: AreaScope | None = None, today: dt.date | None = None) -> dict:
    """The report of a puskesmas (Facility code) or of a kabupaten/kota (Region code) for `quarter`
    ("YYYY-Qn"), JSON-ready (dates as ISO text, numbers as floats).

    A kabupaten lists every puskesmas in `summary` (ILP status, pilot, cycle stage, steps achieved / on track /
    at risk) and gives a section in `puskesmas` to each that has a cycle; a puskesmas report always has its
    one section (`cycle` null without a cycle). Raises `ValueError` for a malformed or future quarter,
    `LookupError` for an unknown area, `PermissionDenied` for an area the scope does not read.
    """
    first, last = parse_quarter(quarter)
    today = today or timezone.localdate()
    if first > today:
        raise ValueError(str(ERR_FUTURE) % {"period": quarter.strip()})
    # The facts as they stood once the quarter was over (its last month then counts as ended), or today.
    as_of = min(last + dt.timedelta(days=1), today)
    area, puskesmas, is_region = _area(area_code.strip(), scope)
    cycles = _latest_cycles(puskesmas, last)
    sections: dict[int, dict] = {}
    for facility in puskesmas:
        cycle = cycles.get(facility.pk)
        if cycle is not None or not is_region:
            sections[facility.pk] = puskesmas_section(facility, cycle, first=first, last=last, as_of=as_of)
    month = monitoring_period(as_of)
    return {
        "report": REPORT_TITLE,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "area": area,
        "period": {
            "quarter": quarter_of(first),
            "start": first.isoformat(),
            "end": last.isoformat(),
            "as_of": as_of.isoformat(),
            "monitoring_month": month.strftime("%Y-%m") if month else None,
        },
        "summary": [_summary_row(f, sections.get(f.pk)) for f in puskesmas],
        "puskesmas": list(sections.values()),
    }
