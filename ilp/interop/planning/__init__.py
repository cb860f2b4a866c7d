"""The "Laporan Monitoring ILP" (`ilp.planning.report.report_data`) in the formats a Dinkes uses: PDF, .xlsx
and JSON. The three and the printable page draw the same tables (`tables`)."""

from __future__ import annotations

import json

from ilp.interop.planning.pdf import report_pdf
from ilp.interop.planning.xlsx import report_xlsx


def report_json(data: dict) -> str:
    """The report as JSON text, names kept as written (not `\\u` escaped)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


__all__ = ["report_json", "report_pdf", "report_xlsx"]
