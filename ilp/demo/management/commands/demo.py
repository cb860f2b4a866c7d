from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ilp.core import progress
from ilp.core.db import ensure_migrated
from ilp.demo.seed import AGAM, DEMO_PASSWORD, seed_demo
from ilp.regions.loader import load_regions
from ilp.regions.models import Region

DEFAULT_PERSONS = 10_000


class Command(BaseCommand):
    help = (
        "Seed the demo: Kabupaten Agam with Puskesmas Maninjau as ILP pilot and a synthetic population of its "
        "working area (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed gives the same world.")
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help="Synthetic persons in the pilot's working area (0: none). Dates are relative to today.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, seed, persons, no_progress, **opts):
        ensure_migrated()
        disable = no_progress or None
        if not Region.objects.filter(code=AGAM).exists():
            self.stdout.write(_("Loading region master data first..."))
            pbar = progress.bar(desc=_("Loading regions"), disable=disable, file=self.stderr)
            try:
                load_regions(progress=progress.callback(pbar))
            finally:
                pbar.close()
        people_bar = progress.bar(desc=_("Registering families"), total=persons, disable=disable, file=self.stderr)
        events_bar = progress.bar(desc=_("Recording events"), disable=disable, file=self.stderr)
        services_bar = progress.bar(desc=_("Recording services"), disable=disable, file=self.stderr)
        try:
            result = seed_demo(
                seed=seed,
                persons=persons,
                bulk_progress=lambda n: people_bar.update(n - people_bar.n),
                events_progress=progress.callback(events_bar),
                services_progress=lambda n: services_bar.update(n - services_bar.n),
            )
        finally:
            people_bar.close()
            events_bar.close()
            services_bar.close()
        if result.created:
            self.stdout.write(self.style.SUCCESS(_("Demo seeded: Kabupaten Agam, pilot Puskesmas Maninjau.")))
        else:
            self.stdout.write(_("Demo already present; nothing changed."))
        self._population(result.population)
        self._services(result.population.services if result.population else None)
        if result.pws is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    _("PWS indicators computed: %(facts)s fact rows in %(t).1f s (desa populations set: %(p)s).")
                    % {"facts": result.pws.facts, "t": result.pws.seconds, "p": result.pws.populations}
                )
            )
        self._planning(result.planning)
        self.stdout.write(_("Demo logins (password for all: %s):") % DEMO_PASSWORD)
        for login in result.logins:
            self.stdout.write(f"  {login.username:<22} {login.role} — {login.where}")

    def _planning(self, p) -> None:
        if p is None:
            return
        self.stdout.write(
            _(
                "ILP cycle: %(cycle)s — %(problems)s problems (%(generated)s from the PWS, %(priorities)s priority), "
                "%(steps)s RTL steps (%(done)s done, %(overdue)s overdue), %(risks)s risks, %(workshops)s lokakarya "
                "mini with %(decisions)s decisions."
            )
            % vars(p)
        )

    def _population(self, summary) -> None:
        if summary is None:
            return
        if summary.created:
            self.stdout.write(self.style.SUCCESS(_("Synthetic population of the working area registered:")))
        elif summary.persons:
            self.stdout.write(_("The working area already has persons; no population added. The register holds:"))
        else:
            return
        s = summary
        lines = [
            _("persons (alive, living here): %(n)s in %(f)s families, mean family size %(m).2f")
            % {"n": s.persons, "f": s.families, "m": s.mean_family_size},
            _("bayi (< 1 year): %(bayi)s · balita (1-4 years): %(balita)s · lansia (60+): %(lansia)s")
            % {"bayi": s.bayi, "balita": s.balita, "lansia": s.lansia},
            _("ibu hamil: %(hamil)s · ibu nifas: %(nifas)s") % {"hamil": s.ibu_hamil, "nifas": s.ibu_nifas},
            _("deaths (last 2 years): %(deaths)s · moved in: %(moved_in)s · moved out: %(moved_out)s")
            % {"deaths": s.deaths, "moved_in": s.moved_in, "moved_out": s.moved_out},
        ]
        if s.duplicates is not None:
            lines.append(_("deliberate duplicate registrations (for the duplicate review): %s") % s.duplicates)
        for line in lines:
            self.stdout.write(f"  {line}")

    def _services(self, s) -> None:
        if s is None:
            return
        self.stdout.write(
            self.style.SUCCESS(_("Services of the last 12 months recorded in %(t).1f s:") % {"t": s.seconds})
        )
        lines = [
            _("encounters: %(e)s · observations: %(o)s · services given: %(s)s · referrals: %(r)s · home visits: %(h)s")
            % {"e": s.encounters, "o": s.observations, "s": s.services, "r": s.referrals, "h": s.home_visits},
            _("balita weighed (D/S): %(d)s %% · stunted: %(st)s %% of those measured")
            % {"d": s.weighed_share, "st": s.stunted_share},
            _("screened adults: hypertension %(ht)s %% (18+) · random glucose >= 200 mg/dL %(dm)s %% (40+)")
            % {"ht": s.hypertension_share, "dm": s.diabetes_share},
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
