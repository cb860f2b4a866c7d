"""The "Laporan Monitoring ILP" as titled tables, built once from `planning.report.report_data` and drawn by
the PDF, the .xlsx and the printable page alike, so the three always show the same columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext_lazy as _

PROGRESS_LABELS = {
    "achieved": _("Achieved"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "": _("No data"),
}
YES, NO = _("yes"), _("no")
EMPTY = "-"


@dataclass
class Table:
    key: str  # stable name (sheet order, CSS class)
    title: str
    sheet: str  # a short title for an Excel sheet (at most 31 characters)
    headers: list[str]
    widths: list[float]  # relative column widths (PDF)
    rows: list[list] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # one per row: a hint for the page's colours


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _yes(value: bool) -> str:
    return str(YES if value else NO)


def text(value) -> str:
    """A cell as the page and the PDF print it: dates as dd-mm-yyyy, numbers with one decimal, empty as -."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1)
    return str(value)


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_columns(table: Table) -> list[bool]:
    """Per column: whether it holds numbers only (empty cells aside), so it is aligned right."""
    columns = list(zip(*table.rows, strict=True)) if table.rows else [() for _h in table.headers]
    return [any(is_number(v) for v in col) and all(v is None or is_number(v) for v in col) for col in columns]


def info_rows(data: dict) -> list[tuple[str, str]]:
    """The report's heading facts as (label, value) pairs."""
    period = data["period"]
    return [
        (str(_("Area")), f"{data['area']['name']} ({data['area']['code']})"),
        (str(_("Period")), f"{period['quarter']}: {text(_date(period['start']))} - {text(_date(period['end']))}"),
        (str(_("Situation as of")), text(_date(period["as_of"]))),
        (str(_("Indicator month read")), period["monitoring_month"] or EMPTY),
        (str(_("Generated at")), data["generated_at"].replace("T", " ")[:16]),
    ]


def summary_table(data: dict) -> Table:
    table = Table(
        "summary",
        str(_("Puskesmas summary")),
        str(_("Summary")),
        [str(h) for h in (_("Puskesmas"), _("ILP status"), _("Pilot"), _("Cycle"), _("Stage"), _("Steps"),
                          _("Achieved"), _("On track"), _("At risk"), _("No data"))],
        [22, 10, 9, 20, 16, 6, 7, 7, 7, 7],
    )  # fmt: skip
    for r in data["summary"]:
        table.rows.append(
            [r["name"], r["ilp_status_label"], _yes(r["pilot"]), r["cycle"], r["stage_label"], r["steps"],
             r["achieved"], r["on_track"], r["at_risk"], r["no_data"]]
        )  # fmt: skip
        table.classes.append("attention" if r["at_risk"] else "")
    return table


def cycle_line(section: dict) -> str:
    """`Cycle: <name> · stage · method`, or that the puskesmas has no cycle yet."""
    cycle = section["cycle"]
    if cycle is None:
        return str(_("No ILP cycle started by the end of the period."))
    return str(_("Cycle: %(name)s; stage: %(stage)s; method: %(method)s")) % {
        "name": cycle["name"],
        "stage": cycle["stage_label"],
        "method": cycle["method_label"],
    }


def _network(section: dict) -> Table:
    table = Table(
        "network",
        str(_("Functional network (jejaring)")),
        str(_("Network")),
        [str(h) for h in (_("Facility"), _("Kind"), _("Role"), _("Agreement"), _("Number"), _("Date"),
                          _("Valid until"), _("Services"), _("Reporting duty"), _("Reported on time"), _("Active"))],
        [24, 14, 13, 12, 18, 9, 9, 30, 12, 9, 7],
    )  # fmt: skip
    for m in section["network"]:
        reporting = m["reporting_on_time"]
        on_time = f"{reporting['on_time']}/{reporting['due']}" if reporting else None
        table.rows.append(
            [m["facility"], m["kind_label"], m["role_label"], m["agreement_type_label"], m["agreement_number"],
             _date(m["agreement_date"]), _date(m["agreement_end"]), m["services"], m["reporting_duty_label"],
             on_time, _yes(m["active"])]
        )  # fmt: skip
        table.classes.append("" if m["active"] else "inactive")
    return table


def _problems(section: dict) -> Table:
    table = Table(
        "problems",
        str(_("Problems ranked by score")),
        str(_("Problems")),
        [str(h) for h in (_("Rank"), _("Problem"), _("Source"), _("Indicator"), _("Priority"), "U", "S", "G",
                          "USG", "A", "B", "C", "NPD", "PEARL", "NPT")],
        [9, 44, 16, 26, 8, 4, 4, 4, 6, 5, 5, 5, 7, 7, 7],
    )  # fmt: skip
    for p in section["problems"]:
        usg, hanlon = p["usg"], p["hanlon"]
        table.rows.append(
            [p["rank"], p["title"], p["source_label"], p["indicator_name"] or p["indicator"], _yes(p["priority"]),
             usg["u"], usg["s"], usg["g"], usg["total"], hanlon["a"], hanlon["b"], hanlon["c"], hanlon["npd"],
             hanlon["pearl"], hanlon["npt"]]
        )  # fmt: skip
        table.classes.append("priority" if p["priority"] else "")
    return table


def _rtl(section: dict) -> Table:
    table = Table(
        "rtl",
        str(_("RTL steps of the priority problems")),
        "RTL",
        [str(h) for h in (_("Problem"), _("Phase"), _("Step"), _("Done by"), _("Facility"), _("Desa"),
                          _("Person in charge"), _("Indicator"), _("Baseline (%)"), _("Current (%)"),
                          _("Target (%)"), _("Target date"), _("Status"), _("Progress"))],
        [21, 11, 24, 12, 14, 10, 13, 21, 8, 8, 8, 11, 9, 9],
    )  # fmt: skip
    for s in section["rtl"]:
        table.rows.append(
            [s["problem"], s["phase_label"], s["step"], s["party_label"], s["facility"], s["desa"],
             s["person_in_charge"], s["indicator_name"] or s["indicator"], s["baseline"], s["current"], s["target"],
             _date(s["due_on"]), s["status_label"], str(PROGRESS_LABELS.get(s["progress"], s["progress"]))]
        )  # fmt: skip
        table.classes.append(s["progress"] or "no_data")
    return table


def _risks(section: dict) -> Table:
    table = Table(
        "risks",
        str(_("Risk register")),
        str(_("Risks")),
        [str(h) for h in (_("Challenge or risk"), _("Likelihood"), _("Impact"), _("Score"), _("Mitigation"),
                          _("Owner"), _("Status"))],
        [40, 9, 9, 7, 40, 16, 12],
    )  # fmt: skip
    for r in section["risks"]:
        table.rows.append(
            [r["challenge"], r["likelihood"], r["impact"], r["score"], r["mitigation"], r["owner_label"],
             r["status_label"]]
        )  # fmt: skip
        table.classes.append("high" if r["score"] >= 15 else "")
    return table


def _workshops(section: dict) -> Table:
    table = Table(
        "workshops",
        str(_("Lokakarya mini held in the period")),
        "Lokakarya mini",
        [str(h) for h in (_("Date"), _("Kind"), _("Place"), _("Attendees"), _("Decisions"))],
        [10, 22, 16, 9, 60],
    )
    for w in section["workshops"]:
        decisions = "; ".join(d["text"] for d in w["decisions"])
        table.rows.append([_date(w["held_on"]), w["kind_label"], w["place"], w["attendees"], decisions])
        table.classes.append("")
    return table


def _evaluations(section: dict) -> Table:
    table = Table(
        "evaluations",
        str(_("Evaluations in the period")),
        str(_("Evaluations")),
        [str(h) for h in (_("Date"), _("Months"), _("Notes"), _("Network decisions"))],
        [10, 8, 45, 50],
    )
    for e in section["evaluations"]:
        decisions = "; ".join(
            f"{d['member']}: {d['decision_label']}" + (f" ({d['note']})" if d["note"] else "") for d in e["decisions"]
        )
        table.rows.append([_date(e["evaluated_on"]), e["months"], e["notes"], decisions])
        table.classes.append("")
    return table


SECTION_BUILDERS = (_network, _problems, _rtl, _risks, _workshops, _evaluations)


def section_tables(section: dict) -> list[Table]:
    """The tables of one puskesmas, in report order: network, problems, RTL, risks, lokakarya mini,
    evaluations."""
    return [build(section) for build in SECTION_BUILDERS]
