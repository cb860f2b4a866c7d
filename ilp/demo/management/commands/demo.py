from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ilp.core import progress
from ilp.core.db import ensure_migrated
from ilp.demo.seed import AGAM, DEMO_PASSWORD, seed_demo
from ilp.regions.loader import load_regions
from ilp.regions.models import Region


class Command(BaseCommand):
    help = "Seed the demo: Kabupaten Agam with Puskesmas Maninjau as ILP pilot (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed gives the same world.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, seed, no_progress, **opts):
        ensure_migrated()
        if not Region.objects.filter(code=AGAM).exists():
            self.stdout.write(_("Loading region master data first..."))
            pbar = progress.bar(desc=_("Loading regions"), disable=no_progress or None, file=self.stderr)
            try:
                load_regions(progress=progress.callback(pbar))
            finally:
                pbar.close()
        result = seed_demo(seed=seed)
        if result.created:
            self.stdout.write(self.style.SUCCESS(_("Demo seeded: Kabupaten Agam, pilot Puskesmas Maninjau.")))
        else:
            self.stdout.write(_("Demo already present; nothing changed."))
        self.stdout.write(_("Demo logins (password for all: %s):") % DEMO_PASSWORD)
        for login in result.logins:
            self.stdout.write(f"  {login.username:<22} {login.role} — {login.where}")
