"""`ilp planning report --area CODE --period YYYY-Qn [--format pdf|xlsx|json] [--out FILE]`: the "Laporan
Monitoring ILP" of a puskesmas or a kabupaten/kota for a quarter."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ilp.interop.planning import report_json, report_pdf, report_xlsx
from ilp.planning.report import report_data


class Command(BaseCommand):
    help = "Write the ILP monitoring report (Laporan Monitoring ILP) of a puskesmas or kabupaten/kota."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rep = sub.add_parser("report", help="the ILP monitoring report of an area for a quarter")
        rep.add_argument("--area", required=True, help="puskesmas code or kabupaten/kota region code")
        rep.add_argument("--period", required=True, help="YYYY-Qn, e.g. 2026-Q3")
        rep.add_argument("--format", choices=("pdf", "xlsx", "json"), default="json")
        rep.add_argument("--out", help="output file (default: standard output)")

    def handle(self, *args, action, **opts):
        # Messages in the installation's language, whatever the calling thread had activated.
        with translation.override(settings.LANGUAGE_CODE):
            return getattr(self, f"_{action}")(**opts)

    def _report(self, *, area, period, format, out=None, **_opts):
        try:
            data = report_data(area_code=area, quarter=period)
        except (ValueError, LookupError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            body = report_json(data) + "\n"
            if not out:
                self.stdout.write(body, ending="")
                return
            Path(out).write_text(body, encoding="utf-8")
        else:
            content = report_pdf(data) if format == "pdf" else report_xlsx(data)
            if not out:
                buffer = getattr(self.stdout, "buffer", None)
                if buffer is None:
                    raise CommandError(_("A PDF or .xlsx report needs --out FILE."))
                self.stdout.flush()
                buffer.write(content)
                buffer.flush()
                return
            Path(out).write_bytes(content)
        self.stdout.write(
            _("Report of %(area)s for %(period)s written to %(path)s.")
            % {"area": data["area"]["name"], "period": data["period"]["quarter"], "path": out}
        )
