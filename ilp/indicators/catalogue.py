"""`docs/indicators.md`, generated from the registry (`ilp indicators docs`); a test keeps the file current."""

from __future__ import annotations

from django.utils import translation

from ilp.indicators.registry import Kind, all_indicators
from ilp.indicators.sasaran import GROUPS

_KIND = {
    Kind.COVERAGE: "annual coverage (sasaran of the year; counted once, in the month first reached; cumulative)",
    Kind.RATE: "monthly rate (denominator and numerator per month; year to date = sum of the months)",
}


def catalogue_markdown() -> str:
    """The indicator catalogue in Markdown, English with the Indonesian names beside them."""
    lines = [
        "# Indicator catalogue (PWS)",
        "",
        "Generated from `ilp/indicators/definitions/` by `ilp indicators docs`; do not edit by hand.",
        "Targets are defaults: the Dinkes sets them per kabupaten and a puskesmas or desa may override them.",
        "Marks: ◐ secondary source, ❓ unconfirmed — a named default to be checked (ILP.md).",
        "",
        "| code | name | name (ID) | cluster | stage | kind | target % | SPM | sasaran projection |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    items = all_indicators()
    for ind in items:
        with translation.override("id"):
            name_id = str(ind.name)
        with translation.override("en"):
            name_en = str(ind.name)
        sasaran = ind.sasaran or "—"
        direction = "≤" if not ind.higher_is_better else "≥"
        lines.append(
            f"| `{ind.code}` | {name_en} | {name_id} | {ind.cluster} | {ind.stage} | {ind.kind} | "
            f"{direction} {ind.target_pct:g} | {ind.spm or ''} | {sasaran} |"
        )
    lines += ["", "## Definitions", ""]
    with translation.override("en"):
        for ind in items:
            lines += [
                f"### `{ind.code}` — {ind.name}",
                "",
                f"- **Kind:** {_KIND[ind.kind]}",
                f"- **Numerator:** {ind.numerator_text}",
                f"- **Denominator:** {ind.denominator_text}",
                f"- **Target:** {'at most' if not ind.higher_is_better else 'at least'} {ind.target_pct:g} %"
                f" (hampir within {ind.near_pp:g} points)",
                f"- **Disaggregation:** {'sex, ' if ind.sex_split else ''}age bands {', '.join(ind.band_labels())}"
                if ind.age_bands
                else f"- **Disaggregation:** {'sex' if ind.sex_split else 'none'}",
                f"- **Source:** {ind.source}",
                "",
                ind.doc,
                "",
            ]
        lines += ["## Projected sasaran (named defaults)", "", "| group | proportion | basis |", "| --- | --- | --- |"]
        for g in GROUPS.values():
            lines.append(f"| `{g.code}` ({g.label}) | {g.proportion:g} | {g.basis} |")
    return "\n".join(lines) + "\n"
