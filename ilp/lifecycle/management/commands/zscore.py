"""``ilp zscore --in FILE.csv --out FILE.csv``: WHO z-scores for a CSV of children (WHO Anthro style).

The file format is the public contract of ``ilp.lifecycle.rules.growth.batch`` (read its docstring).
Rows that cannot be computed get empty z-scores; their count and reasons go to stderr in the user's
language (Bahasa Indonesia by default).
"""

import sys
from contextlib import ExitStack

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ilp.lifecycle.rules.growth import BatchReport, Problem, zscore_csv

BAD_ROWS_MESSAGE = _("{count} rows could not be computed: {reasons}")
DONE_MESSAGE = _("{rows} rows computed, results in {path}")
CANNOT_OPEN_MESSAGE = _("The file cannot be opened: {path} ({error})")
PROBLEM_TEXT = {
    Problem.UNKNOWN_SEX: _("unknown sex in column {column}"),
    Problem.NEGATIVE_AGE: _("negative age in column {column}"),
    Problem.NEGATIVE_VALUE: _("negative value in column {column}"),
    Problem.NOT_A_NUMBER: _("not a number in column {column}"),
    Problem.UNKNOWN_CODE: _("unknown code in column {column}"),
}
REASON_TEXT = _("{problem} ({count} rows, e.g. row {rows})")


def bad_rows_message(report: BatchReport) -> str:
    """The stderr line for rows that could not be computed, naming each problem, column and example rows."""
    reasons = [
        str(REASON_TEXT).format(
            problem=str(PROBLEM_TEXT[problem]).format(column=column),
            count=count,
            rows=", ".join(str(r) for r in report.examples[problem, column]),
        )
        for (problem, column), count in report.problems.most_common()
    ]
    return str(BAD_ROWS_MESSAGE).format(count=report.bad_rows, reasons="; ".join(reasons))


class Command(BaseCommand):
    help = (
        "WHO z-scores (zlen, zwei, zwfl, zbmi, zhc, zac) and implausibility flags for a CSV of children: "
        "columns sex, age_days, weight_kg, lenhei_cm, measure, headc_cm, muac_cm, oedema."
    )

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="src", required=True, help="input CSV ('-' reads stdin)")
        parser.add_argument("--out", dest="dst", required=True, help="output CSV ('-' writes stdout)")

    def handle(self, *args, src, dst, **options):
        # A command speaks the installation's language, whatever a previous call in this process activated.
        with translation.override(settings.LANGUAGE_CODE):
            self._run(src, dst)

    def _run(self, src, dst):
        with ExitStack() as stack:
            try:
                fin = sys.stdin if src == "-" else stack.enter_context(open(src, encoding="utf-8-sig", newline=""))
                fout = sys.stdout if dst == "-" else stack.enter_context(open(dst, "w", encoding="utf-8", newline=""))
            except OSError as exc:
                raise CommandError(str(CANNOT_OPEN_MESSAGE).format(path=exc.filename, error=exc.strerror)) from exc
            report = zscore_csv(fin, fout)
        if report.bad_rows:
            self.stderr.write(bad_rows_message(report))
        if dst != "-":
            self.stdout.write(str(DONE_MESSAGE).format(rows=report.rows, path=dst))
