"""Exports of indicator cells (`ilp.indicators.cells.Cell`) in the formats health offices use.

- `report_rows` / `report_csv` / `report_json` / `report_xlsx`: one flat row per cell;
- `pws_workbook`: the classic PWS workbook, one sheet per indicator, areas by months, coloured by status;
- `load_dhis2_mapping` / `data_value_sets`: the DHIS2 `dataValueSets` payload of the monthly cells.
"""

from ilp.interop.pws.dhis2 import DataElementPair, Dhis2Mapping, data_value_sets, load_dhis2_mapping
from ilp.interop.pws.report import REPORT_COLUMNS, report_csv, report_json, report_rows, report_xlsx
from ilp.interop.pws.workbook import pws_workbook

__all__ = [
    "REPORT_COLUMNS",
    "DataElementPair",
    "Dhis2Mapping",
    "data_value_sets",
    "load_dhis2_mapping",
    "pws_workbook",
    "report_csv",
    "report_json",
    "report_rows",
    "report_xlsx",
]
