"""The indicator engine: one set-based aggregation per indicator and year, written as fact rows.

For each indicator the engine builds one statement from the definition's `Population` and `Events`
(`indicators.sql`): a window table of the year's months, the denominator units of each window, the
numerator units among them, and one GROUP BY over (month, region, posyandu, sex, age band). The
ancestors of each region are copied onto the facts, and the year-to-date pair is accumulated in
Python over the (small) grouped result. An indicator-year is replaced in one transaction, so a
refresh is idempotent and a crash leaves the previous facts in place (restart-safe).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ilp.indicators.models import FillState, IndicatorValue
from ilp.indicators.registry import Indicator, Kind
from ilp.indicators.sql import FIRST_DAY, LAST_DAY, Sql, in_windows, window_of
from ilp.regions.models import Region

_FAR_PAST = dt.date(1800, 1, 1)
_BATCH = 5000


def month_end(d: dt.date) -> dt.date:
    nxt = d.replace(day=28) + dt.timedelta(days=4)
    return nxt - dt.timedelta(days=nxt.day)


def minus_months(d: dt.date, months: int) -> dt.date:
    """The latest birth date that has completed `months` months on `d` (`people.life_stage.age_in_months`):
    the same day `months` months earlier, the last day of that month when it is shorter, and the last day
    of that month when `d` is a month's last day (born 29 February: twelve months on 28 February)."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    first = dt.date(y, m + 1, 1)
    if d == month_end(d):
        return month_end(first)
    return min(first + dt.timedelta(days=d.day - 1), month_end(first))


def _month_no(d: dt.date) -> int:
    return d.year * 12 + d.month


def _window_row(ind: Indicator, idx: int, start: dt.date, end: dt.date, ref: dt.date) -> tuple:
    ages = ind.population.age_months
    lo, hi = (minus_months(start, ages[1]), minus_months(end, ages[0])) if ages else (_FAR_PAST, end)
    # Turning t months during the window: born after (start - t months - 1 day), on or before end - t months.
    cohorts = [
        x for t in ind.population.turning for x in (minus_months(start, t) - dt.timedelta(days=1), minus_months(end, t))
    ]
    return (idx, start, end, lo, hi, ref, *(minus_months(ref, b) for b in ind.age_bands), *cohorts)


# The month number (year x 12 + month) of a date column, per database (no portable SQL function exists;
# `%%` because the statement runs with parameters): the months of a coverage year are hash-joined on it.
_NUMBERS = {
    "postgresql": "(EXTRACT(YEAR FROM {c})::int * 12 + EXTRACT(MONTH FROM {c})::int)",
    "sqlite": "(CAST(strftime('%%Y', {c}) AS INTEGER) * 12 + CAST(strftime('%%m', {c}) AS INTEGER))",
}


# A date written into a statement (the windows' first and last day, `sql.in_windows`): dates are stored as
# ISO text on SQLite.
_DATES = {"postgresql": "DATE '{}'", "sqlite": "'{}'"}


def _render(sql: Sql, ind: Indicator, year: int, first: dt.date, last: dt.date) -> Sql:
    """Replace the `@@MONTH(column)@@` tokens with this database's month-number expression, the
    `@@IDX(column)@@` tokens with the window index (the month 1-12 of `year` for a rate, 0 for a coverage),
    and the windows' first and last day (`sql.FIRST_DAY`, `sql.LAST_DAY`) with `first` and `last`."""
    month, date = _NUMBERS[connection.vendor], _DATES[connection.vendor]
    text = sql.text.replace(FIRST_DAY, date.format(first.isoformat())).replace(LAST_DAY, date.format(last.isoformat()))
    text = re.sub(r"@@MONTH\(([^)@]+)\)@@", lambda mt: month.format(c=mt.group(1)), text)
    if ind.kind == Kind.COVERAGE:
        text = re.sub(r"@@IDX\(([^)@]+)\)@@", "0", text)
    else:
        text = re.sub(r"@@IDX\(([^)@]+)\)@@", lambda mt: f"({month.format(c=mt.group(1))} - {year * 12})", text)
    return Sql(text, sql.params)


def _values(rows: list[tuple], columns: list[str], name: str) -> Sql:
    holes = "(" + ", ".join(["%s"] * len(columns)) + ")"
    text = f"{name}({', '.join(columns)}) AS (VALUES {', '.join([holes] * len(rows))})"
    return Sql(text, tuple(x for r in rows for x in r))


def _band_sql(ind: Indicator) -> str:
    if not ind.age_bands or ind.population.unit not in ("person", "referral"):
        return "0"
    cases = " ".join(f"WHEN pp.birth_date <= m.b{k} THEN {k}" for k in range(len(ind.age_bands), 0, -1))
    return f"CASE {cases} ELSE 0 END"


def _pop_cte(ind: Indicator, villages: list[int] | None, posyandu_ids: list[int] | None = None) -> Sql:
    sex = "pp.sex" if ind.sex_split else "''"
    sql = (
        Sql("pop AS MATERIALIZED (SELECT pp.unit_id, pp.idx, pp.region_id, pp.posyandu_id, ")
        + Sql(f"{sex} AS sex, {_band_sql(ind)} AS band FROM (")
        + ind.population.sql
        + Sql(") pp JOIN m ON m.idx = pp.idx")
    )
    if villages is not None:
        holes = ", ".join(["%s"] * len(villages))
        sql += Sql(
            f" WHERE pp.region_id IN (SELECT id FROM regions_region WHERE village_id IN ({holes}))", tuple(villages)
        )
    if posyandu_ids is not None:
        holes = ", ".join(["%s"] * len(posyandu_ids))
        glue = " AND" if villages is not None else " WHERE"
        sql += Sql(f"{glue} pp.posyandu_id IN ({holes})", tuple(posyandu_ids))
    return sql + Sql(")")


def _columns(ind: Indicator) -> list[str]:
    bands = [f"b{k}" for k in range(1, len(ind.age_bands) + 1)]
    cohorts = [f"t{k}{edge}" for k in range(1, len(ind.population.turning) + 1) for edge in ("lo", "hi")]
    return ["idx", "start_d", "end_d", "lo", "hi", "ref", *bands, *cohorts]


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _months(year: int, last: int) -> list[tuple[int, dt.date, dt.date]]:
    return [(k, dt.date(year, k, 1), month_end(dt.date(year, k, 1))) for k in range(1, last + 1)]


def _rate_sql(ind: Indicator, year: int, last: int, villages, since: int = 1) -> Sql:
    rows = [_window_row(ind, k, s, e, e) for k, s, e in _months(year, last) if k >= since]
    if ind.events.window == "month":
        ev = Sql(f") x WHERE {in_windows('x.d')}) ")
        pick = f"SELECT DISTINCT x.unit_id, {window_of('x.d')} AS idx FROM ("
    else:
        ev = Sql(") x JOIN m ON x.d <= m.end_d) ")
        pick = "SELECT DISTINCT x.unit_id, m.idx FROM ("
    return (
        Sql("WITH ")
        + _values(rows, _columns(ind), "m")
        + Sql(", ")
        + _pop_cte(ind, villages)
        + Sql(f", ev AS MATERIALIZED ({pick}")
        + ind.events.sql
        + ev
        + Sql(
            "SELECT pop.idx, pop.region_id, pop.posyandu_id, pop.sex, pop.band, COUNT(*), COUNT(ev.unit_id) "
            "FROM pop LEFT JOIN ev ON ev.unit_id = pop.unit_id AND ev.idx = pop.idx "
            "GROUP BY pop.idx, pop.region_id, pop.posyandu_id, pop.sex, pop.band"
        )
    )


def _coverage_sql(ind: Indicator, year: int, last: int, villages) -> Sql:
    start, end = _year(year)
    months = _months(year, last)
    return (
        Sql("WITH ")
        + _values([_window_row(ind, 0, start, end, end)], _columns(ind), "m")
        + Sql(", ")
        + _values([(k, s, e, _month_no(s)) for k, s, e in months], ["idx", "start_d", "end_d", "bucket"], "mm")
        + Sql(", ")
        + _pop_cte(ind, villages)
        + Sql(", ev AS MATERIALIZED (SELECT x.unit_id, MIN(x.d) AS first_d FROM (")
        + ind.events.sql
        + Sql(
            ") x WHERE x.d >= %s AND x.d <= %s GROUP BY x.unit_id) ",
            (_FAR_PAST if ind.events.window == "upto" else start, months[-1][2]),
        )
        + Sql(
            "SELECT mm.idx, pop.region_id, pop.posyandu_id, pop.sex, pop.band, COUNT(*), COUNT(mm.idx) "
            "FROM pop LEFT JOIN ev ON ev.unit_id = pop.unit_id "
            "LEFT JOIN mm ON mm.bucket = CASE WHEN ev.first_d < %s THEN %s ELSE @@MONTH(ev.first_d)@@ END "
            "GROUP BY mm.idx, pop.region_id, pop.posyandu_id, pop.sex, pop.band",
            (start, _month_no(start)),  # reached before the year (an "upto" series): counted in January
        )
    )


def missing(
    ind: Indicator,
    *,
    period: dt.date,
    villages: list[int] | None,
    posyandu_ids: list[int] | None = None,
    in_numerator: bool = False,
) -> list[int]:
    """Units of the denominator of `period` that are not in the numerator (or, with `in_numerator`, that
    are: the cases of a prevalence). A coverage indicator reads the year up to the end of `period` (who
    has not been reached yet this year); a rate reads the month."""
    year, month = period.year, period.month
    start, end = dt.date(year, month, 1), month_end(period)
    if ind.kind == Kind.COVERAGE:
        first, last = _year(year)
        window = [_window_row(ind, 0, first, last, last)]
        since = _FAR_PAST if ind.events.window == "upto" else first
        ev = Sql(") x WHERE x.d >= %s AND x.d <= %s)", (since, end))
    else:
        window = [_window_row(ind, month, start, end, end)]
        ev = Sql(f") x WHERE {in_windows('x.d')})" if ind.events.window == "month" else ") x JOIN m ON x.d <= m.end_d)")
    test = "IN" if in_numerator else "NOT IN"
    sql = (
        Sql("WITH ")
        + _values(window, _columns(ind), "m")
        + Sql(", ")
        + _pop_cte(ind, villages, posyandu_ids)
        + Sql(", ev AS (SELECT x.unit_id FROM (")
        + ind.events.sql
        + ev
        + Sql(f" SELECT DISTINCT pop.unit_id FROM pop WHERE pop.unit_id {test} (SELECT unit_id FROM ev)")
    )
    bounds = _year(year) if ind.kind == Kind.COVERAGE else (start, end)
    return [r[0] for r in _fetch(_render(sql, ind, year, *bounds))]


# How an indicator statement runs on PostgreSQL (`_fetch`): (setting, value), for that statement only.
_PG_SETTINGS = (
    # Aggregate by sorting, never by hashing: with parallel workers PostgreSQL may feed the partial hash
    # aggregates of its workers into a final hash aggregate that crawls (one DISTINCT took 162 s instead of 1 s
    # at 200,000 persons, on some table statistics and not others). Sorted aggregates keep the workers.
    ("enable_hashagg", "off"),
    # A statement runs once: compiling it took about 0.5 s of each at 1,000,000 persons.
    ("jit", "off"),
    # The year's events of one kind are sorted and hashed in memory, not in temporary files, and their bitmap
    # scans stay exact (with the default 4 MB, 6.9 million rows were re-checked for one observation kind).
    ("work_mem", "128MB"),
)


def _fetch(sql: Sql) -> list[tuple]:
    """The rows of an indicator statement; on PostgreSQL with `_PG_SETTINGS`, which end with it.

    Measured with `bench/indicators.py`'s world of 1,000,000 persons (this 2-core machine, same database and
    process): the full refresh took 165.5 s without parallel workers (the previous guard against the crawl)
    and 110.8 s with these settings; the incremental refresh after 1,000 encounters 17.8 s and 9.9 s.
    The settings are local to the transaction; inside a caller's transaction they would outlive the
    statement, so the values found are put back (a failed statement rolls its savepoint back, and them).
    """
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor != "postgresql":
            cur.execute(sql.text, sql.params)
            return cur.fetchall()
        names = [name for name, _value in _PG_SETTINGS]
        cur.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
        found = cur.fetchone()
        _set(cur, _PG_SETTINGS)
        cur.execute(sql.text, sql.params)
        rows = cur.fetchall()
        _set(cur, zip(names, found, strict=True))
        return rows


def _set(cur, settings: Iterable[tuple[str, str]]) -> None:
    pairs = list(settings)
    cur.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(pairs)), [x for pair in pairs for x in pair])


Key = tuple  # (region_id, posyandu_id, sex, band)


@dataclass
class Computed:
    """The facts of one indicator-year: key -> month -> (numerator, denominator, numerator_ytd, denominator_ytd),
    for the months `since`..`last_month` (a rate recomputed from a later month keeps its earlier facts)."""

    indicator: Indicator
    year: int
    last_month: int
    cells: dict[Key, dict[int, tuple[int, int, int, int]]]
    since: int = 1


def first_month(ind: Indicator, touched: int) -> int:
    """The first month of an indicator-year that a change dated in month `touched` can move.

    A rate's month reads the population of that month and the events of that month or up to its end
    ("upto"), and a population reads records up to the window's end, never after it: a change dated in
    month M moves months M..12 only. A coverage indicator's denominator is the population of the whole
    year and its numerator the month of each unit's first event, so it is recomputed from January.
    """
    return 1 if ind.kind == Kind.COVERAGE else touched


def _last_month_by_desa(code: str, year: int, since: int, villages: list[int] | None) -> dict[int | None, dt.date]:
    rows = IndicatorValue.objects.filter(
        indicator=code, period__gte=dt.date(year, 1, 1), period__lt=dt.date(year, since, 1)
    )
    if villages is not None:
        rows = rows.filter(village_id__in=villages)
    return dict(rows.values("village_id").annotate(last=Max("period")).values_list("village_id", "last"))


def resumable(code: str, year: int, since: int, villages: list[int]) -> list[int]:
    """The desa whose facts of the indicator-year reach the month before `since`, so that month's running
    sums can be gone on from. A desa without them (never computed, or last computed before another desa's
    change moved the refresh on, or with nothing to count) is recomputed from January."""
    last = _last_month_by_desa(code, year, since, villages)
    return [v for v in villages if last.get(v) == dt.date(year, since - 1, 1)]


def _facts_reach(code: str, year: int, since: int, villages: list[int] | None) -> bool:
    """`resumable` for all of these desa (for every desa with facts, and some, when none are given)."""
    if villages is not None:
        return len(resumable(code, year, since, villages)) == len(villages)
    last = _last_month_by_desa(code, year, since, None)
    return bool(last) and all(month == dt.date(year, since - 1, 1) for month in last.values())


def _ytd_before(code: str, year: int, since: int, villages: list[int] | None) -> dict[Key, tuple[int, int]]:
    """The stored year-to-date pair of each key in the month before `since` (the running sums to go on from)."""
    if since <= 1:
        return {}
    rows = IndicatorValue.objects.filter(indicator=code, period=dt.date(year, since - 1, 1))
    if villages is not None:
        rows = rows.filter(village_id__in=villages)
    return {
        (region, posyandu, sex, band): (num, den)
        for region, posyandu, sex, band, num, den in rows.values_list(
            "region_id", "posyandu_id", "sex", "age_band", "numerator_ytd", "denominator_ytd"
        )
    }


def compute(
    ind: Indicator, *, year: int, last_month: int = 12, villages: list[int] | None = None, since: int = 1
) -> Computed:
    """Run the indicator's aggregation for January..`last_month` of `year` (of these desa only, when given).

    With `since` > 1 a rate is computed for the months `since`..`last_month` only, its year-to-date sums going
    on from the stored facts of the month before (`first_month` says which months a change can move).
    """
    since = min(first_month(ind, since), last_month)
    if since > 1 and not _facts_reach(ind.code, year, since, villages):
        since = 1
    if ind.kind == Kind.COVERAGE:
        sql = _render(_coverage_sql(ind, year, last_month, villages), ind, year, *_year(year))
    else:
        first, last = dt.date(year, since, 1), month_end(dt.date(year, last_month, 1))
        sql = _render(_rate_sql(ind, year, last_month, villages, since), ind, year, first, last)
    rows = _fetch(sql)
    cells: dict[Key, dict[int, tuple[int, int, int, int]]] = {}
    if ind.kind == Kind.COVERAGE:
        den: dict[Key, int] = defaultdict(int)
        new: dict[Key, dict[int, int]] = defaultdict(dict)
        for idx, region, posyandu, sex, band, count, _served in rows:
            key = (region, posyandu, sex or "", band)
            den[key] += count
            if idx is not None:
                new[key][idx] = count
        for key, total in den.items():
            running, months = 0, {}
            for month in range(1, last_month + 1):
                num = new[key].get(month, 0)
                running += num
                months[month] = (num, total, running, total)
            cells[key] = months
    else:
        by_key: dict[Key, dict[int, tuple[int, int]]] = defaultdict(dict)
        for idx, region, posyandu, sex, band, count, served in rows:
            by_key[(region, posyandu, sex or "", band)][idx] = (served, count)
        # A key with facts before `since` has a row in every later month (zeros included), like a full run.
        before = _ytd_before(ind.code, year, since, villages)
        for key in before:
            by_key.setdefault(key, {})
        for key, per_month in by_key.items():
            num_ytd, den_ytd = before.get(key, (0, 0))
            months = {}
            for month in range(since if key in before else min(per_month), last_month + 1):
                num, den_m = per_month.get(month, (0, 0))
                num_ytd, den_ytd = num_ytd + num, den_ytd + den_m
                months[month] = (num, den_m, num_ytd, den_ytd)
            cells[key] = months
    return Computed(ind, year, last_month, cells, since)


def _ancestors(region_ids: Iterable[int]) -> dict[int, tuple[int | None, int | None, int | None]]:
    out = {}
    ids = sorted(set(region_ids))
    for k in range(0, len(ids), 900):
        for rid, village, district, regency in Region.objects.filter(id__in=ids[k : k + 900]).values_list(
            "id", "village_id", "district_id", "regency_id"
        ):
            out[rid] = (village, district, regency)
    return out


def store(result: Computed, *, villages: list[int] | None = None, mark_id: int = 0) -> int:
    """Replace the facts of the indicator-year (of these desa only, when given) with `result`; one transaction."""
    code, year = result.indicator.code, result.year
    ancestors = _ancestors(key[0] for key in result.cells)
    objs = []
    for (region, posyandu, sex, band), months in result.cells.items():
        village, district, regency = ancestors.get(region, (None, None, None))
        for month, (num, den, num_ytd, den_ytd) in months.items():
            objs.append(
                IndicatorValue(
                    indicator=code,
                    period=dt.date(year, month, 1),
                    region_id=region,
                    village_id=village,
                    district_id=district,
                    regency_id=regency,
                    posyandu_id=posyandu,
                    sex=sex,
                    age_band=band,
                    numerator=num,
                    denominator=den,
                    numerator_ytd=num_ytd,
                    denominator_ytd=den_ytd,
                )
            )
    old = IndicatorValue.objects.filter(indicator=code, period__year=year)
    if result.since > 1:
        old = old.filter(period__gte=dt.date(year, result.since, 1))
    if villages is not None:
        old = old.filter(village_id__in=villages)
    now = timezone.now()
    with transaction.atomic():
        old.delete()
        IndicatorValue.objects.bulk_create(objs, batch_size=_BATCH)
        for month in range(result.since, result.last_month + 1):
            FillState.objects.update_or_create(
                indicator=code,
                period=dt.date(year, month, 1),
                defaults={"computed_at": now, "mark_id": mark_id},
            )
    return len(objs)


def years_to_refresh(today: dt.date) -> list[tuple[int, int]]:
    """(year, last month) pairs covering the 12 months before today and the current month."""
    first = minus_months(today.replace(day=1), 12)
    if first.year == today.year:
        return [(today.year, today.month)]
    return [(first.year, 12), (today.year, today.month)]


def refresh(
    indicators: list[Indicator],
    *,
    periods: list[tuple[int, int]],
    villages: list[int] | None = None,
    mark_id: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every (indicator, year) given; returns the number of fact rows written."""
    total, done, written = len(indicators) * len(periods), 0, 0
    for ind in indicators:
        for year, last in periods:
            written += store(
                compute(ind, year=year, last_month=last, villages=villages), villages=villages, mark_id=mark_id
            )
            done += 1
            if progress:
                progress(done, total)
    return written
