"""`ilp indicators refresh [--area CODE] [--period YYYY-MM] [--stale]`, `ilp indicators report --area CODE
--period YYYY-MM [--format csv|xlsx|json] [--out FILE] [--monthly]` and `ilp indicators docs [--out FILE]`."""

import datetime as dt
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ilp.core import progress as progress_bar
from ilp.core.periods import parse_month
from ilp.core.scoping import AreaScope
from ilp.indicators.areas import area_for, require_area, sub_areas
from ilp.indicators.catalogue import catalogue_markdown
from ilp.indicators.refresh import refresh_all, refresh_stale
from ilp.indicators.registry import all_indicators
from ilp.indicators.selectors import series
from ilp.interop.pws import report_csv, report_json, report_xlsx


def _period(text: str | None) -> dt.date | None:
    if not text:
        return None
    month = parse_month(text)
    if month is None:
        raise CommandError(_("Period: write it as YYYY-MM, e.g. 2026-10."))
    return month


class Command(BaseCommand):
    help = "Compute the PWS indicator facts, report an area's indicators, or write the catalogue."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ref = sub.add_parser("refresh", help="recompute indicator facts")
        ref.add_argument("--area", help="region or puskesmas code: only the desa it covers")
        ref.add_argument("--period", help="YYYY-MM: the year of this month (default: the last 12 months)")
        ref.add_argument("--stale", action="store_true", help="only what changed since the last refresh")
        rep = sub.add_parser("report", help="one row per indicator for an area and its direct sub-areas")
        rep.add_argument("--area", required=True, help="region code (kabupaten, kecamatan, desa) or puskesmas code")
        rep.add_argument("--period", required=True, help="YYYY-MM")
        rep.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
        rep.add_argument("--out", help="output file (default: standard output; required for xlsx)")
        rep.add_argument("--monthly", action="store_true", help="the month alone instead of January to the month")
        docs = sub.add_parser("docs", help="write the indicator catalogue (Markdown)")
        docs.add_argument("--out", default="docs/indicators.md")

    def handle(self, *args, action, **opts):
        # Messages in the installation's language, whatever the calling thread had activated.
        with translation.override(settings.LANGUAGE_CODE):
            return getattr(self, f"_{action}")(**opts)

    def _refresh(self, *, area=None, period=None, stale=False, **_opts):
        month = _period(period)
        with progress_bar.bar(desc=_("Indicators"), file=sys.stderr) as pbar:
            callback = progress_bar.callback(pbar)
            if stale:
                report = refresh_stale(progress=callback)
            else:
                villages = None
                if area:
                    try:
                        villages = list(area_for(area).village_ids)
                    except LookupError as exc:
                        raise CommandError(str(exc)) from exc
                report = refresh_all(villages=villages, year=month.year if month else None, progress=callback)
        self.stdout.write(
            _("%(rows)s fact rows written for %(indicators)s indicators.")
            % {"rows": report.rows, "indicators": report.indicators}
        )

    def _report(self, *, area, period, format, out=None, monthly=False, **_opts):
        month = _period(period)
        if month > timezone.localdate():
            raise CommandError(_("Period: %(period)s is in the future.") % {"period": period})
        try:
            top = require_area(scope=AreaScope.all(), code=area)
        except (LookupError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        areas = [top, *sub_areas(top)]
        cells = series(indicators=all_indicators(), areas=areas, periods=[month], cumulative=not monthly)
        cells.sort(key=lambda c: (c.indicator, c.area_code != top.code, c.area_code))
        if format == "xlsx":
            if not out:
                raise CommandError(_("An .xlsx report needs --out FILE."))
            Path(out).write_bytes(report_xlsx(cells))
        else:
            text = report_csv(cells) if format == "csv" else report_json(cells)
            if out:
                Path(out).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
        if out:
            self.stdout.write(_("%(count)s rows written to %(path)s.") % {"count": len(cells), "path": out})

    def _docs(self, *, out, **_opts):
        Path(out).write_text(catalogue_markdown(), encoding="utf-8")
        self.stdout.write(_("Catalogue written to %(path)s.") % {"path": out})
