"""`ilp people import FILE [--json] [--user NAME]` and `ilp people export --area CODE --out FILE [--user NAME]`."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ilp.accounts.models import User
from ilp.accounts.scope import scope_for
from ilp.core import progress as progress_bar
from ilp.core.scoping import AreaScope
from ilp.interop.excel.export import people_export
from ilp.interop.excel.people_import import people_import
from ilp.regions.selectors import region_list


class Command(BaseCommand):
    help = "Import families and persons from a CSV/.xlsx file, or export an area's register."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a people file (CSV or .xlsx)")
        imp.add_argument("file")
        imp.add_argument("--json", action="store_true", help="print the summary as JSON")
        imp.add_argument("--user", help="import as this user (their scope, audited as them)")
        exp = sub.add_parser("export", help="export the current members of the families of an area")
        exp.add_argument("--area", required=True, help="region code, e.g. 13.06.03.2004")
        exp.add_argument("--out", required=True, help="output file (.xlsx or .csv)")
        exp.add_argument("--user", help="export as this user (their scope; NIK masked unless they may see it)")

    def _actor(self, username):
        if not username:
            return None, AreaScope.all()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(_("No user %(name)s.") % {"name": username}) from exc
        return user, scope_for(user)

    def handle(self, *args, action, **opts):
        actor, scope = self._actor(opts.get("user"))
        if action == "import":
            return self._import(Path(opts["file"]), actor, scope, as_json=opts["json"])
        return self._export(opts["area"], Path(opts["out"]), actor, scope)

    def _import(self, path: Path, actor, scope, *, as_json: bool):
        if not path.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": path})
        with progress_bar.bar(desc=_("Import"), file=sys.stderr) as pbar, path.open("rb") as data:
            try:
                summary = people_import(path.name, data, scope=scope, actor=actor, progress=progress_bar.callback(pbar))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(
                _("%(accepted)s accepted, %(rejected)s rejected, %(unchanged)s unchanged.") % summary.as_dict()
            )
            for error in summary.errors:
                self.stdout.write(error["message"])
        if summary.rejected:
            sys.exit(1)

    def _export(self, code: str, out: Path, actor, scope):
        region = region_list(scope=scope, include_ancestors=False).filter(code=code).first()
        if region is None:
            raise CommandError(_("No region %(code)s in your working area.") % {"code": code})
        fmt = "csv" if out.suffix.lower() == ".csv" else "xlsx"
        with out.open("wb") as handle:
            count = people_export(scope=scope, area=region, fmt=fmt, out=handle, user=actor)
        self.stdout.write(_("%(count)s persons written to %(path)s.") % {"count": count, "path": out})
