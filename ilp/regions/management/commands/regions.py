import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ilp.core import progress
from ilp.core.db import ensure_migrated
from ilp.regions.loader import RegionSourceError, format_report, load_regions


class Command(BaseCommand):
    help = "Region master data: `ilp regions load` loads or updates the Kemendagri hierarchy (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load or update provinsi, kabupaten/kota, kecamatan and desa.")
        load.add_argument(
            "--province",
            action="append",
            default=None,
            help="Only these province codes (repeatable), e.g. --province 13.",
        )
        load.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args, action, **opts):
        ensure_migrated()
        started = time.monotonic()
        pbar = progress.bar(desc=_("Loading regions"), disable=opts["no_progress"] or None, file=self.stderr)
        try:
            report = load_regions(provinces=opts["province"], progress=progress.callback(pbar))
        except RegionSourceError as exc:
            raise CommandError(_("Region load stopped, nothing was written: %s") % exc) from exc
        finally:
            pbar.close()
        src = report.source
        self.stdout.write(_("Source: %(name)s %(version)s (%(licence)s)") % src)
        for line in format_report(report):
            self.stdout.write(line)
        self.stdout.write(
            _("Done in %(seconds).1f s; %(changed)d rows changed.")
            % {"seconds": time.monotonic() - started, "changed": report.changed}
        )
