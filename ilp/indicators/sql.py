"""Portable SQL pieces the indicator definitions are made of (the same text runs on SQLite and PostgreSQL).

No date functions: every date boundary is computed in Python and passed as a parameter through the
window table `m(idx, start_d, end_d, lo, hi, ref, b1..bk)` the engine builds, so a comparison is all
the database does. `lo`/`hi` bound the birth dates of the indicator's age group (a person belongs to
the window when they are in the group on at least one of its days), `ref` is the day ages are read
on, `b1..bk` the birth-date limits of its age bands.

A `Population` selects the denominator units of each window as
`(unit_id, idx, region_id, posyandu_id, sex, birth_date)`; an `Events` selects `(unit_id, d)`: the
days a unit received what the numerator counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VOIDED = "voided"


def in_window(column: str) -> str:
    """`column` (a date) falls in window `m`. (An equality on a month number computed from the date was
    tried so the database could hash-join; PostgreSQL then misjudged the rows and ran 2x slower.)"""
    return f"{column} >= m.start_d AND {column} <= m.end_d"


# The first day of the first window and the last day of the last one, written into the statement as date
# literals by the engine (`engine._render`).
FIRST_DAY, LAST_DAY = "@@FIRST@@", "@@LAST@@"


def in_windows(column: str) -> str:
    """`column` falls in one of the windows of `m` (they are consecutive months, or one year).

    The bounds are dates in the statement, not `(SELECT MIN(start_d) FROM m)`: behind a subquery PostgreSQL
    cannot tell how many rows they hold, guessed about 4,000 of a year's 460,000 encounters and probed the
    observations once per encounter (the full refresh at 200,000 persons: 26.4 s, 21.3 s with the dates).
    """
    return f"{column} >= {FIRST_DAY} AND {column} <= {LAST_DAY}"


def window_of(column: str) -> str:
    """The `m.idx` of the window `column` falls in, computed instead of joined (a month number minus the
    year's, or 0 for a coverage year); the engine renders the `@@IDX(...)@@` token per database."""
    return f"@@IDX({column})@@"


_ACTIVE_ENCOUNTER = "e.status <> 'voided'"


@dataclass(frozen=True)
class Sql:
    text: str
    params: tuple = ()

    def __add__(self, other: Sql) -> Sql:
        return Sql(self.text + other.text, self.params + other.params)


@dataclass(frozen=True)
class Events:
    """Days a unit received what the numerator counts; `window` "month" counts an event in its own
    window, "upto" any event up to the window's end (e.g. a referral closed later than it was sent; for a
    coverage indicator, a series completed before the year counts in January)."""

    sql: Sql
    window: str = "month"
    topics: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Population:
    sql: Sql  # uses the window table `m`; yields unit_id, idx, region_id, posyandu_id, sex, birth_date
    unit: str = "person"  # person, family, facility or referral: what one count is
    age_months: tuple[int, int] | None = None  # [from, to) months of age, the group's age window
    # Or: the ages (in months) a person reaches during the window, one birth cohort each (e.g. turning 12
    # months this year); the engine gives window `m` the birth-date limits t1lo/t1hi, t2lo/t2hi, ...
    turning: tuple[int, ...] = ()
    topics: frozenset[str] = field(default_factory=frozenset)


# ------------------------------------------------------------------------------------------- events
def _in(column: str, values) -> Sql:
    values = tuple(values)
    return Sql(f" AND {column} IN ({', '.join(['%s'] * len(values))})", values)


def services(kind: str, *, codes=(), dose_min: int | None = None, doses=()) -> Events:
    """Services of `kind` given in a valid encounter (optionally only these codes or doses)."""
    sql = Sql(
        "SELECT e.person_id AS unit_id, e.date AS d FROM lifecycle_encounter e "
        "JOIN lifecycle_servicegiven s ON s.encounter_id = e.id "
        f"WHERE {_ACTIVE_ENCOUNTER} AND s.kind = %s",
        (kind,),
    )
    if codes:
        sql += _in("s.code", codes)
    if doses:
        sql += _in("s.dose", doses)
    if dose_min is not None:
        sql += Sql(" AND s.dose >= %s", (dose_min,))
    return Events(sql, topics=frozenset({f"service:{kind}"}))


def observations(kind: str, condition: str = "", params: tuple = (), *, kinds=()) -> Events:
    """Observations of `kind` (or any of `kinds`) in a valid encounter, optionally meeting `condition`
    on `o.value`/`o.code`."""
    all_kinds = tuple(kinds) or (kind,)
    sql = Sql(
        "SELECT e.person_id AS unit_id, e.date AS d FROM lifecycle_encounter e "
        "JOIN lifecycle_observation o ON o.encounter_id = e.id "
        f"WHERE {_ACTIVE_ENCOUNTER}"
    ) + _in("o.kind", all_kinds)
    if condition:
        sql += Sql(f" AND ({condition})", params)
    return Events(sql, topics=frozenset(f"obs:{k}" for k in all_kinds))


def encounters(*, places=()) -> Events:
    sql = Sql(f"SELECT e.person_id AS unit_id, e.date AS d FROM lifecycle_encounter e WHERE {_ACTIVE_ENCOUNTER}")
    if places:
        sql += _in("e.place", places)
    return Events(sql, topics=frozenset({"encounter"}))


def union(*parts: Events) -> Events:
    """Any of the events (e.g. a blood pressure OR a glucose measurement counts as PTM screening)."""
    sql = Sql(" UNION ALL ".join(p.sql.text for p in parts), tuple(x for p in parts for x in p.sql.params))
    return Events(sql, window=parts[0].window, topics=frozenset().union(*(p.topics for p in parts)))


def completed(keyed: Sql, *, required: tuple, topics: frozenset[str], upto: bool = False) -> Events:
    """Units that have every key in `required`; the day of completion is the last of their first days.

    `keyed` yields (unit_id, k, d).
    """
    sql = (
        Sql("SELECT unit_id, MAX(first_d) AS d FROM (SELECT unit_id, k, MIN(d) AS first_d FROM (")
        + keyed
        + Sql(") kx WHERE 1 = 1")
        + _in("k", required)
        + Sql(" GROUP BY unit_id, k) kf GROUP BY unit_id HAVING COUNT(*) = %s", (len(required),))
    )
    return Events(sql, window="upto" if upto else "month", topics=topics)


def nth_in_window(events: Events, n: int) -> Events:
    """Units with at least `n` event days from the start of the (yearly) window; the day is the n-th.

    Only for coverage indicators, whose window table holds the one year. Two events on one day are one day:
    the n-th distinct day is where DENSE_RANK reaches n (a unit can yield that day more than once; the
    engine takes each unit's first day). A `SELECT DISTINCT` before ROW_NUMBER gave the same days, but
    PostgreSQL could run it as a hash aggregate that took 161 s instead of 1 s at 200,000 persons.
    """
    sql = (
        Sql("SELECT unit_id, d FROM (SELECT unit_id, d, ")
        + Sql("DENSE_RANK() OVER (PARTITION BY unit_id ORDER BY d) AS rn FROM (")
        + events.sql
        + Sql(f") e0 WHERE d >= {FIRST_DAY}) e1 WHERE rn = %s", (n,))
    )
    return Events(sql, topics=events.topics)


def home_visits() -> Events:
    sql = Sql("SELECT hv.family_id AS unit_id, hv.date AS d FROM lifecycle_homevisit hv")
    return Events(sql, topics=frozenset({"home_visit"}))


def posyandu_days() -> Events:
    """Days a posyandu recorded at least one service (the posyandu was held)."""
    sql = Sql(
        f"SELECT e.facility_id AS unit_id, e.date AS d FROM lifecycle_encounter e WHERE {_ACTIVE_ENCOUNTER} "
        "AND e.place = 'posyandu' AND e.facility_id IS NOT NULL"
    )
    return Events(sql, topics=frozenset({"encounter"}))


def referral_events(statuses: tuple[str, ...]) -> Events:
    sql = Sql("SELECT re.referral_id AS unit_id, re.date AS d FROM lifecycle_referralevent re WHERE 1 = 1") + _in(
        "re.status", statuses
    )
    return Events(sql, window="upto", topics=frozenset({"referral"}))


# --------------------------------------------------------------------------------------- populations
_PERSON_COLUMNS = "p.id AS unit_id, m.idx, p.region_id, p.posyandu_id, p.sex, p.birth_date"
# Alive, resident and not merged away on at least one day of the window, and born by its end: not dead or
# moved out before it starts, not moved in (pindah datang) after it ends.
_RESIDENT = (
    "p.merged_into_id IS NULL AND p.birth_date <= m.end_d "
    "AND (p.death_date IS NULL OR p.death_date >= m.start_d) "
    "AND (p.moved_out_on IS NULL OR p.moved_out_on >= m.start_d) "
    "AND NOT EXISTS (SELECT 1 FROM people_migration mi WHERE mi.person_id = p.id AND mi.direction = 'in' "
    "AND mi.date > m.end_d)"
)


def persons(
    *,
    age_months: tuple[int, int] | None = None,
    turning: tuple[int, ...] = (),
    sex: str = "",
    where: Sql = Sql(""),
    driver: Sql | None = None,
) -> Population:
    """Residents of the register in an age group (in the group on at least one day of the window).

    `driver`, when given, yields the (unit_id, idx) candidates (e.g. the women with a pregnancy in the
    window), so the database starts from them instead of crossing every person with every window.
    """
    params: tuple = ()
    if driver is None:
        text = f"SELECT {_PERSON_COLUMNS} FROM people_person p JOIN m ON 1 = 1 WHERE {_RESIDENT}"
    else:
        text = (
            f"SELECT {_PERSON_COLUMNS} FROM ({driver.text}) pd JOIN people_person p ON p.id = pd.unit_id "
            f"JOIN m ON m.idx = pd.idx WHERE {_RESIDENT}"
        )
        params = driver.params
    if age_months is not None:
        text += " AND p.birth_date > m.lo AND p.birth_date <= m.hi"
    if turning:
        cohorts = " OR ".join(
            f"(p.birth_date > m.t{k}lo AND p.birth_date <= m.t{k}hi)" for k in range(1, len(turning) + 1)
        )
        text += f" AND ({cohorts})"
    if sex:
        text += " AND p.sex = %s"
        params += (sex,)
    return Population(Sql(text, params) + where, age_months=age_months, turning=turning, topics=frozenset({"register"}))


PREGNANT_WHERE = Sql(
    " AND EXISTS (SELECT 1 FROM people_pregnancy pg WHERE pg.person_id = p.id AND pg.lmp_date <= m.end_d "
    "AND COALESCE(pg.ended_on, pg.edd) >= m.start_d)"
)


_PREGNANT_DRIVER = Sql(
    "SELECT DISTINCT pg.person_id AS unit_id, m.idx FROM people_pregnancy pg JOIN m ON pg.lmp_date <= m.end_d "
    "AND COALESCE(pg.ended_on, pg.edd) >= m.start_d"
)


def pregnant() -> Population:
    """Women with a pregnancy running on at least one day of the window (HPHT to end or HPL)."""
    pop = persons(driver=_PREGNANT_DRIVER)
    return Population(pop.sql, topics=frozenset({"register", "pregnancy"}))


def delivering(outcomes: tuple[str, ...]) -> Population:
    """Women who gave birth in the window, or whose HPL falls in it while the pregnancy is still open."""
    driver = (
        Sql(
            "SELECT DISTINCT pg.person_id AS unit_id, m.idx FROM people_pregnancy pg JOIN m ON "
            "(pg.ended_on IS NULL AND pg.edd >= m.start_d AND pg.edd <= m.end_d) "
            "OR (pg.ended_on >= m.start_d AND pg.ended_on <= m.end_d"
        )
        + _in("pg.outcome", outcomes)
        + Sql(")")
    )
    pop = persons(driver=driver)
    return Population(pop.sql, topics=frozenset({"register", "pregnancy"}))


def born_in_window() -> Population:
    """Babies born in the window (the register's newborns)."""
    pop = persons(where=Sql(" AND p.birth_date >= m.start_d"))
    return Population(pop.sql, age_months=None, topics=frozenset({"register"}))


def with_events(
    events: Events,
    *,
    age_months: tuple[int, int] | None = None,
    sex: str = "",
    upto: bool = False,
    where: Sql = Sql(""),
    topics: frozenset[str] = frozenset(),
) -> Population:
    """Residents with one of `events` in the window (or, with `upto`, on any day up to its end)."""
    if upto:
        driver = Sql("SELECT DISTINCT x.unit_id, m.idx FROM (") + events.sql + Sql(") x JOIN m ON x.d <= m.end_d")
    else:
        driver = (
            Sql(f"SELECT DISTINCT x.unit_id, {window_of('x.d')} AS idx FROM (")
            + events.sql
            + Sql(f") x WHERE {in_windows('x.d')}")
        )
    pop = persons(age_months=age_months, sex=sex, where=where, driver=driver)
    return Population(pop.sql, age_months=age_months, topics=pop.topics | events.topics | topics)


def any_of(*pops: Population) -> Population:
    """Units in any of the populations (each counted once)."""
    sql = Sql(" UNION ".join(p.sql.text for p in pops), tuple(x for p in pops for x in p.sql.params))
    return Population(sql, unit=pops[0].unit, topics=frozenset().union(*(p.topics for p in pops)))


def families() -> Population:
    """Families of the register with at least one resident member in the window."""
    sql = Sql(
        "SELECT f.id AS unit_id, m.idx, f.region_id, f.posyandu_id, '' AS sex, NULL AS birth_date "
        "FROM people_family f JOIN m ON 1 = 1 WHERE EXISTS (SELECT 1 FROM people_familymembership fm "
        "JOIN people_person p ON p.id = fm.person_id WHERE fm.family_id = f.id AND fm.start_date <= m.end_d "
        f"AND (fm.end_date IS NULL OR fm.end_date >= m.start_d) AND {_RESIDENT})"
    )
    return Population(sql, unit="family", topics=frozenset({"register"}))


def posyandu() -> Population:
    """Active posyandu (each is its own posyandu)."""
    sql = Sql(
        "SELECT fa.id AS unit_id, m.idx, fa.region_id, fa.id AS posyandu_id, '' AS sex, NULL AS birth_date "
        "FROM facilities_facility fa JOIN m ON 1 = 1 WHERE fa.kind = 'posyandu' AND fa.is_active = %s",
        (True,),
    )
    return Population(sql, unit="facility", topics=frozenset({"facility"}))


def referrals_sent() -> Population:
    """Referrals sent in the window, counted where the referred person lives."""
    sql = Sql(
        f"SELECT r.id AS unit_id, {window_of('r.date')} AS idx, p.region_id, p.posyandu_id, p.sex, p.birth_date "
        f"FROM lifecycle_referral r JOIN people_person p ON p.id = r.person_id WHERE {in_windows('r.date')} "
        "AND r.status <> 'cancelled'"
    )
    # Counted where the person lives: a move in the register moves the referral too.
    return Population(sql, unit="referral", topics=frozenset({"referral", "register"}))
