"""The "Laporan Monitoring ILP" as a PDF (fpdf2): A4 landscape, the title, area and period, a summary for a
kabupaten, then per puskesmas its tables; page numbers in the footer; text in the active language.

fpdf2's core fonts (Helvetica) only hold latin-1: every text passes through `latin1`, which spells out the
few symbols our data uses (≥, →, curly quotes, dashes) and replaces anything else it cannot write.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext_lazy as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from ilp.interop.planning.tables import (
    Table,
    cycle_line,
    info_rows,
    numeric_columns,
    section_tables,
    summary_table,
    text,
)

FONT = "Helvetica"
# A cell longer than this is cut: one table row must fit on a page.
CELL_MAX_CHARS = 600
_TRANSLITERATION = str.maketrans(
    {
        "≥": ">=",
        "≤": "<=",
        "≠": "!=",
        "≈": "~",
        "→": "->",
        "←": "<-",
        "↑": "^",
        "↓": "v",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "…": "...",
        "•": "-",
        "€": "EUR",
        "✓": "v",
        "✔": "v",
        "✗": "x",
        "❓": "?",
        "\u00a0": " ",
        "\u200b": "",
    }
)
_HEAD = FontFace(emphasis="BOLD", fill_color=(221, 228, 236))


def latin1(value: str) -> str:
    """Text the core fonts can write: known symbols spelled out, accents kept when latin-1 has them,
    otherwise dropped, and anything left replaced by `?`."""
    out = str(value).translate(_TRANSLITERATION)
    try:
        out.encode("latin-1")
        return out
    except UnicodeEncodeError:
        pass
    chars = []
    for ch in out:
        try:
            ch.encode("latin-1")
            chars.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            chars.append(base or "?")
    return "".join(chars)


class _Pdf(FPDF):
    def __init__(self, footer: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self._footer = latin1(footer)
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(auto=True, margin=14)

    def footer(self):
        self.set_y(-10)
        self.set_font(FONT, size=7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self._footer, align="L")
        self.set_x(self.l_margin)
        page = str(_("Page %(page)s of %(pages)s")) % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, latin1(page), align="R")
        self.set_text_color(0, 0, 0)


def _heading(pdf: _Pdf, label: str, size: int) -> None:
    pdf.set_font(FONT, style="B", size=size)
    pdf.multi_cell(0, size * 0.5, latin1(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _line(pdf: _Pdf, label: str, *, size: int = 9, style: str = "") -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.multi_cell(0, size * 0.5, latin1(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _cell_text(value) -> str:
    out = text(value)
    return latin1(out if len(out) <= CELL_MAX_CHARS else out[: CELL_MAX_CHARS - 3] + "...")


def _table(pdf: _Pdf, table: Table) -> None:
    _heading(pdf, table.title, 10)
    if not table.rows:
        _line(pdf, str(_("None recorded.")), size=8, style="I")
        pdf.ln(3)
        return
    pdf.set_font(FONT, size=7)
    with pdf.table(
        col_widths=table.widths,
        width=pdf.epw,
        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric_columns(table)),
        v_align="TOP",
        line_height=pdf.font_size * 1.35,
        headings_style=_HEAD,
        padding=0.8,
    ) as grid:
        head = grid.row()
        for label in table.headers:
            head.cell(latin1(label))
        for values in table.rows:
            row = grid.row()
            for value in values:
                row.cell(_cell_text(value))
    pdf.ln(4)


def report_pdf(data: dict) -> bytes:
    """The report (`planning.report.report_data`) as PDF bytes."""
    area, period = data["area"], data["period"]
    pdf = _Pdf(f"{data['report']} - {area['name']} - {period['quarter']}")
    pdf.set_title(latin1(f"{data['report']} {area['name']} {period['quarter']}"))
    pdf.set_creator("ILP")
    pdf.add_page()
    _heading(pdf, data["report"], 16)
    for label, value in info_rows(data):
        _line(pdf, f"{label}: {value}")
    pdf.ln(3)
    if area["kind"] == "region":
        _table(pdf, summary_table(data))
        if not data["puskesmas"]:
            _line(pdf, str(_("No puskesmas of this area has started an ILP cycle.")), style="I")
    for section in data["puskesmas"]:
        if area["kind"] == "region" or section is not data["puskesmas"][0]:
            pdf.add_page()
        _heading(pdf, section["name"], 13)
        _line(pdf, f"{section['ilp_status_label']}" + (f" - {_('ILP pilot')}" if section["pilot"] else ""))
        _line(pdf, cycle_line(section), style="B")
        pdf.ln(3)
        for table in section_tables(section):
            _table(pdf, table)
    return bytes(pdf.output())
