"""Golden test: the exact 2025 PWS numbers of every registered indicator in the tiny world of `conftest.py`.

The world (two desa of Kecamatan Matur, one posyandu each, 29 people) is built through the real services,
then `refresh_all(today=2025-12-31, year=2025)` computes the facts. Each desa's facts are summed over
posyandu, sex and age band (`village_id`, as the dashboards read them) and compared for all twelve months
with a table written by hand from the indicator's definition:

- a COVERAGE indicator (registry docstring) has the year's sasaran as its denominator in every month and
  counts a person once, in the month of their first qualifying event of the year; its table gives the
  sasaran (`den`) and the people newly reached per month (`new`). Month m is
  (new[m], den, new[1] + ... + new[m], den).
- a RATE indicator has its own numerator and denominator per month; its table gives (numerator,
  denominator) per month and the year to date is the sum of the months.

Every table also spells out December's (numerator, denominator, numerator_ytd, denominator_ytd).
Ages are in completed months (`people.life_stage.age_in_months`); "in the group" means on at least one
day of the window. People are named by their key in `conftest.build_golden`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from ilp.indicators.refresh import refresh_all
from ilp.indicators.registry import Kind, all_indicators
from ilp.lifecycle.models import ServiceKind
from ilp.people.models import Relationship
from tests.indicators.conftest import TODAY, YEAR, F, M, d, frozen_clock, new_world, read_facts, svc

MONTHS = range(1, 13)
Values = tuple[int, int, int, int]


@dataclass(frozen=True)
class Cov:
    """A coverage indicator in one desa: the year's sasaran and who is reached first in which month."""

    den: int
    new: dict[int, int] = field(default_factory=dict)
    dec: Values = (0, 0, 0, 0)

    def month(self, m: int) -> Values:
        if self.den == 0:
            return (0, 0, 0, 0)
        return (self.new.get(m, 0), self.den, sum(n for k, n in self.new.items() if k <= m), self.den)


@dataclass(frozen=True)
class Rate:
    """A monthly rate in one desa: (numerator, denominator) per month; months not listed are (0, 0)."""

    months: dict[int, tuple[int, int]]
    dec: Values = (0, 0, 0, 0)

    def month(self, m: int) -> Values:
        num, den = self.months.get(m, (0, 0))
        upto = [v for k, v in self.months.items() if k <= m]
        return (num, den, sum(n for n, _ in upto), sum(dn for _, dn in upto))


# Who is where (birth date; age in 2025):
#   desa A: a1_head M 1980 (45), a1_wife F 1992 (33), a1_baby F born 2025-07-02; a2_head M 1958 (67),
#           a2_wife F 1962 (63); a3_head M 1990 (35), a3_wife F 1994-11-30 (31), a3_child1 M 2021-06-10,
#           a3_child2 F 2024-02-29; a4_head F 1975-04-04 (50, dies 2025-06-15), a4_daughter F 2011 (14),
#           a4_son M 2008 (17, moves out 2025-04-30); a5_head M 2000 (25), a5_wife F 2002 (23),
#           a5_child M 2019-07-07 (6)                                                          = 15 people
#   desa B: a2_son M 1995 (30; moved from A2 to B4 on 2025-06-01: the register keeps one address, so
#           he is desa B's for the whole year); b1_head M 1970 (55), b1_wife F 1998 (27), b1_baby M born
#           2025-12-01; b2_head F 1996-05-05 (29), b2_child M 2023-05-15, b2_baby F 2024-09-01; b3_head
#           M 1950 (75), b3_wife F 1955 (70), b3_grand F 2013-01-10 (12); b4_head M 1985-08-08 (40),
#           b4_wife F 2000 (25), b4_daughter F 2009-04-04 (16); b5_head M 1940 (85)           = 14 people
# Pregnancies: a1_wife HPHT 2024-10-01, live birth in the puskesmas 2025-07-02; a5_wife HPHT 2025-02-01,
#   miscarriage 2025-04-15; b1_wife HPHT 2025-03-01, live birth at home 2025-12-01; b2_head HPHT 2025-03-10,
#   HPL 2025-12-15, still open; b4_wife HPHT 2025-08-01, HPL 2026-05-08, open, no ANC.
PREGNANT = "A: a1_wife, a5_wife; B: b1_wife, b2_head, b4_wife"

EXPECTED: dict[str, dict[str, Cov | Rate]] = {
    # ------------------------------------------------------------------------------------- maternal
    "anc_k1": {
        # Sasaran: PREGNANT. First ANC contact of 2025: a1_wife K2 on 15 Jan (her K1 was in 2024);
        # a5_wife K1 in March. B: b1_wife April, b2_head May; b4_wife has none.
        "A": Cov(2, {1: 1, 3: 1}, dec=(0, 2, 2, 2)),
        "B": Cov(3, {4: 1, 5: 1}, dec=(0, 3, 2, 3)),
    },
    "anc_k6": {
        # Pregnancies ending in 2025 (delivered, or still open with HPL in 2025): A a1_wife (a5_wife miscarried:
        # not a delivery); B b1_wife (delivered 1 Dec), b2_head (open, HPL 15 Dec); b4_wife's HPL is in 2026.
        # Sixth contact: a1_wife in June; b2_head on 10 December; b1_wife stopped at K3.
        "A": Cov(1, {6: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {12: 1}, dec=(1, 2, 1, 2)),
    },
    "anc_triple_elimination": {
        # HIV + syphilis + hepatitis B, dated by the last of the three: a1_wife HIV and syphilis in January,
        # hepatitis B in February; a5_wife HIV only. B: b2_head all three in May; b1_wife HIV only.
        # Denominator as for anc_k6: A a1_wife; B b1_wife, b2_head.
        "A": Cov(1, {2: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {5: 1}, dec=(0, 2, 1, 2)),
    },
    "anc_hb_tested": {
        # Hb: a1_wife in January; b1_wife in April (a4_daughter's and b4_daughter's Hb are not pregnancies).
        # Denominator as for anc_k6: A a1_wife; B b1_wife, b2_head.
        "A": Cov(1, {1: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {4: 1}, dec=(0, 2, 1, 2)),
    },
    "pregnant_kek": {
        # Pregnant women with a LiLA that month; KEK below 23.5 cm. A: a1_wife 22.0 in Jan, 22.5 in Feb,
        # 24.0 in Apr. B: b1_wife 24.5 in Apr, b2_head 23.0 in May.
        "A": Rate({1: (1, 1), 2: (1, 1), 4: (0, 1)}, dec=(0, 0, 2, 3)),
        "B": Rate({4: (0, 1), 5: (1, 1)}, dec=(0, 0, 1, 2)),
    },
    "delivery_facility": {
        # Women giving birth in 2025 (live or stillbirth) or with an open pregnancy whose HPL is in 2025:
        # A: a1_wife (a5_wife miscarried); B: b1_wife and b2_head (HPL 15 Dec, still open), not b4_wife (HPL
        # 2026). In a facility: a1_wife in July; b1_wife delivered at home.
        "A": Cov(1, {7: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {}, dec=(0, 2, 0, 2)),
    },
    "kf_complete": {
        # Same sasaran; KF1-KF4: a1_wife complete with KF4 on 10 August; b1_wife KF1-KF2 only.
        "A": Cov(1, {8: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {}, dec=(0, 2, 0, 2)),
    },
    "kn1": {
        # Born in 2025: a1_baby (KN1 3 July), b1_baby (KN1 2 December).
        "A": Cov(1, {7: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(1, {12: 1}, dec=(1, 1, 1, 1)),
    },
    "kn_complete": {
        # KN1-KN3: a1_baby complete on 20 July; b1_baby KN1 only.
        "A": Cov(1, {7: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(1, {}, dec=(0, 1, 0, 1)),
    },
    # ---------------------------------------------------------------------------------------- child
    "idl": {
        # Turning 12 months in 2025 (born in 2024): A a3_child2; B b2_baby. Complete: a3_child2 with MR1 on
        # 8 January (the rest in 2024); b2_baby has no MR1.
        "A": Cov(1, {1: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(1, {}, dec=(0, 1, 0, 1)),
    },
    "baduta_lanjutan": {
        # Turning 24 months in 2025 (born in 2023): A nobody (a3_child2 is born 2024); B b2_child, who has no
        # follow-up dose.
        "A": Cov(0),
        "B": Cov(1, {}, dec=(0, 1, 0, 1)),
    },
    "child_weighed": {
        # S: balita 0-59 months. A: a3_child1 and a3_child2 all year, a1_baby from July (a5_child turned 60
        # months in 2024). D: a3_child1 every month but May (voided) and November; a3_child2 Jan, Feb, Mar,
        # Jun, Sep; a1_baby Jul, Aug, Sep, Nov.
        "A": Rate(
            {
                1: (2, 2),
                2: (2, 2),
                3: (2, 2),
                4: (1, 2),
                5: (0, 2),  # the only weighing, a3_child1's, was voided
                6: (2, 2),
                7: (2, 3),
                8: (2, 3),
                9: (3, 3),
                10: (1, 3),
                11: (1, 3),
                12: (1, 3),
            },
            dec=(1, 3, 19, 30),
        ),
        # B: b2_child and b2_baby all year, b1_baby in December (never weighed). D: b2_child Jan, Feb, Apr,
        # Jul, Aug, Nov; b2_baby Jan, Mar, Jun, Aug, Dec.
        "B": Rate(
            {
                1: (2, 2),
                2: (1, 2),
                3: (1, 2),
                4: (1, 2),
                5: (0, 2),
                6: (1, 2),
                7: (1, 2),
                8: (2, 2),
                9: (0, 2),
                10: (0, 2),
                11: (1, 2),
                12: (1, 3),
            },
            dec=(1, 3, 11, 25),
        ),
    },
    # Weight trend of each weighing (derived when recorded, from the earlier valid weighings; KBM 200 g from
    # 11 months, 800 g at 1 month, 900 g at 2 months): B first, N gain ≥ KBM, T below, 2T a T after a T, O
    # no weighing the month before.
    #   a3_child1: Jan B, Feb N, Mar N, Apr T, Jun O (May voided before June was recorded), Jul N, Aug N,
    #              Sep T, Oct 2T, Dec O;  a3_child2: Jan B, Feb N, Mar N, Jun O, Sep O;  a1_baby: Jul B,
    #              Aug N (+1.4 kg), Sep T (+0.8 kg < 900 g), Nov O
    #   b2_child: Jan B, Feb T (+100 g), Apr O, Jul O, Aug T (+100 g), Nov O;  b2_baby: Jan B, then O only
    # D (the denominator) is child_weighed's numerator.
    "child_gained": {
        "A": Rate(
            {1: (0, 2), 2: (2, 2), 3: (2, 2), 4: (0, 1), 6: (0, 2), 7: (1, 2), 8: (2, 2), 9: (0, 3)}
            | {10: (0, 1), 11: (0, 1), 12: (0, 1)},
            dec=(0, 1, 7, 19),
        ),
        "B": Rate(
            {1: (0, 2), 2: (0, 1), 3: (0, 1), 4: (0, 1), 6: (0, 1), 7: (0, 1), 8: (0, 2), 11: (0, 1), 12: (0, 1)},
            dec=(0, 1, 0, 11),
        ),
    },
    "child_not_gained": {
        "A": Rate(
            {1: (0, 2), 2: (0, 2), 3: (0, 2), 4: (1, 1), 6: (0, 2), 7: (0, 2), 8: (0, 2), 9: (2, 3)}
            | {10: (1, 1), 11: (0, 1), 12: (0, 1)},
            dec=(0, 1, 4, 19),
        ),
        "B": Rate(
            {1: (0, 2), 2: (1, 1), 3: (0, 1), 4: (0, 1), 6: (0, 1), 7: (0, 1), 8: (1, 2), 11: (0, 1), 12: (0, 1)},
            dec=(0, 1, 2, 11),
        ),
    },
    "stunting": {
        # Balita with a length/height that month; stunted below -2 SD length/height-for-age. A: a3_child1 in
        # Feb (-0.52) and Aug (-0.59). B: b2_child in Apr (-2.95) and Jul (-2.47), b2_baby in Jun (+0.47).
        "A": Rate({2: (0, 1), 8: (0, 1)}, dec=(0, 0, 0, 2)),
        "B": Rate({4: (1, 1), 6: (0, 1), 7: (1, 1)}, dec=(0, 0, 2, 3)),
    },
    "wasting": {
        # Same measurements, weight-for-length/height below -2 SD: b2_baby in June (-3.21).
        "A": Rate({2: (0, 1), 8: (0, 1)}, dec=(0, 0, 0, 2)),
        "B": Rate({4: (0, 1), 6: (1, 1), 7: (0, 1)}, dec=(0, 0, 1, 3)),
    },
    "overweight": {
        # Weight-for-length/height above +2 SD: a3_child1 in August (19.5 kg at 102 cm, +2.34).
        "A": Rate({2: (0, 1), 8: (1, 1)}, dec=(0, 0, 1, 2)),
        "B": Rate({4: (0, 1), 6: (0, 1), 7: (0, 1)}, dec=(0, 0, 0, 3)),
    },
    "underweight": {
        # Every balita weighing gives a weight-for-age: the denominator is child_weighed's D. Below -2 SD:
        # b2_baby in June (-2.11) only.
        "A": Rate(
            {1: (0, 2), 2: (0, 2), 3: (0, 2), 4: (0, 1), 6: (0, 2), 7: (0, 2), 8: (0, 2), 9: (0, 3)}
            | {10: (0, 1), 11: (0, 1), 12: (0, 1)},
            dec=(0, 1, 0, 19),
        ),
        "B": Rate(
            {1: (0, 2), 2: (0, 1), 3: (0, 1), 4: (0, 1), 6: (1, 1), 7: (0, 1), 8: (0, 2), 11: (0, 1), 12: (0, 1)},
            dec=(0, 1, 1, 11),
        ),
    },
    "vitamin_a": {
        # 6-59 months on some day of 2025 (born 2020-01-02 .. 2025-06-30): A a3_child1, a3_child2 (a1_baby
        # turns 6 months in 2026); B b2_child, b2_baby (not b1_baby). First capsule: both A children in
        # February; b2_child February, b2_baby August.
        "A": Cov(2, {2: 2}, dec=(0, 2, 2, 2)),
        "B": Cov(2, {2: 1, 8: 1}, dec=(0, 2, 2, 2)),
    },
    "kpsp_screened": {
        # 3-71 months on some day of 2025 (born 2019-01-02 .. 2025-09-30): A a3_child1, a3_child2, a1_baby,
        # a5_child; B b2_child, b2_baby (b1_baby is born too late). KPSP: a3_child1 and a5_child in March,
        # a3_child2 in June; b2_baby in August.
        "A": Cov(4, {3: 2, 6: 1}, dec=(0, 4, 3, 4)),
        "B": Cov(2, {8: 1}, dec=(0, 2, 1, 2)),
    },
    "spm_balita": {
        # 0-59 months: A a3_child1, a3_child2, a1_baby; B b2_child, b2_baby, b1_baby. Eighth weighing of the
        # year: only a3_child1, in September (with the voided May weighing it would have been August).
        "A": Cov(3, {9: 1}, dec=(0, 3, 1, 3)),
        "B": Cov(3, {}, dec=(0, 3, 0, 3)),
    },
    # --------------------------------------------------------------------------------------- school
    "spm_school": {
        # 7-15 years on some day of 2025 (born 2009-01-02 .. 2018-12-31): A a4_daughter (a4_son is 16 all
        # year, a5_child 6); B b3_grand, b4_daughter. At school or a vision/hearing screening: a4_daughter
        # (school, Aug); b4_daughter (school, Feb), b3_grand (vision at the puskesmas, Sep).
        "A": Cov(1, {8: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {2: 1, 9: 1}, dec=(0, 2, 2, 2)),
    },
    "adolescent_anaemia_screening": {
        # Girls turning 12 or 15 in 2025 (born in 2013 or 2010): A nobody (a4_daughter turns 14); B b3_grand
        # (turns 12 on 10 Jan; no Hb). b4_daughter turns 16 and is out.
        "A": Cov(0),
        "B": Cov(1, {}, dec=(0, 1, 0, 1)),
    },
    "adolescent_ttd": {
        # Girls 12-18 (born 2006-01-02 .. 2013-12-31): the same three girls. TTD: a4_daughter Aug,
        # b4_daughter Feb.
        "A": Cov(1, {8: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(2, {2: 1}, dec=(0, 2, 1, 2)),
    },
    "adolescent_nutrition_screening": {
        # 5-18 years (born 2006-01-02 .. 2020-12-31): A a4_daughter, a4_son (moved out 30 April, resident
        # until then), a5_child; B b3_grand, b4_daughter. BMI-for-age: a4_son and a5_child in March,
        # a4_daughter in August; b4_daughter in February.
        "A": Cov(3, {3: 2, 8: 1}, dec=(0, 3, 3, 3)),
        "B": Cov(2, {2: 1}, dec=(0, 2, 1, 2)),
    },
    # ---------------------------------------------------------------------------------------- adult
    "spm_productive": {
        # 15-59 on some day of 2025 (born 1965-01-02 .. 2010-12-31). A: a1_head, a1_wife, a3_head, a3_wife,
        # a4_head (died in June), a4_son (moved out in April), a5_head, a5_wife = 8. Blood pressure or
        # glucose: a1_head in March only (a4_head's was in 2024).
        "A": Cov(8, {3: 1}, dec=(0, 8, 1, 8)),
        # B: a2_son, b1_head, b1_wife, b2_head, b4_head, b4_wife, b4_daughter = 7. a2_son's February blood
        # pressure (taken in desa A, before his move) counts in B; b1_head in March.
        "B": Cov(7, {2: 1, 3: 1}, dec=(0, 7, 2, 7)),
    },
    "spm_elderly": {
        # 60+ (born by 1965-12-31): A a2_head, a2_wife; B b3_head, b3_wife, b5_head. SKILAS/ADL/BP/glucose:
        # a2_head April, a2_wife June; b3_head May, b5_head November.
        "A": Cov(2, {4: 1, 6: 1}, dec=(0, 2, 2, 2)),
        "B": Cov(3, {5: 1, 11: 1}, dec=(0, 3, 2, 3)),
    },
    "elderly_skilas": {
        # SKILAS: a2_head April; b3_head May.
        "A": Cov(2, {4: 1}, dec=(0, 2, 1, 2)),
        "B": Cov(3, {5: 1}, dec=(0, 3, 1, 3)),
    },
    "hypertension_served": {
        # 15+ with a BP ≥140/90 on record by the end of 2025: A a1_head (150/95, Mar 2025), a4_head (160/100,
        # Dec 2024); B b3_head (145/85, May), b5_head (170/100, Nov). Blood pressure taken in 2025: a1_head
        # March (a4_head none before she died); b3_head May, b5_head November.
        "A": Cov(2, {3: 1}, dec=(0, 2, 1, 2)),
        "B": Cov(2, {5: 1, 11: 1}, dec=(0, 2, 2, 2)),
    },
    "diabetes_served": {
        # 15+ with GDS ≥200 or GDP ≥126 on record: a2_wife (GDS 250, Nov 2024); b1_head (GDS 220, Mar 2025).
        # Glucose tested in 2025: a2_wife June; b1_head March.
        "A": Cov(1, {6: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(1, {3: 1}, dec=(0, 1, 1, 1)),
    },
    "mental_screening": {
        # 15+ (born by 2010-12-31). A: a1_head, a1_wife, a2_head, a2_wife, a3_head, a3_wife, a4_head, a4_son,
        # a5_head, a5_wife = 10; B: a2_son, b1_head, b1_wife, b2_head, b3_head, b3_wife, b4_head, b4_wife,
        # b4_daughter, b5_head = 10. SRQ-20: a3_head February; a2_son August.
        "A": Cov(10, {2: 1}, dec=(0, 10, 1, 10)),
        "B": Cov(10, {8: 1}, dec=(0, 10, 1, 10)),
    },
    "tb_screened": {
        # Same 15+ sasaran. TB symptom screening: a3_head Feb, a1_head and a4_son Mar, a2_head May;
        # b1_head Mar.
        "A": Cov(10, {2: 1, 3: 2, 5: 1}, dec=(0, 10, 4, 10)),
        "B": Cov(10, {3: 1}, dec=(0, 10, 1, 10)),
    },
    "tb_presumptive_served": {
        # Presumptive TB in 2025: a2_head (referred in May, not cancelled); b1_head (his referral was
        # cancelled: not referred).
        "A": Cov(1, {5: 1}, dec=(0, 1, 1, 1)),
        "B": Cov(1, {}, dec=(0, 1, 0, 1)),
    },
    "hiv_risk_tested": {
        # PREGNANT plus presumptive TB: A a1_wife, a5_wife, a2_head; B b1_wife, b2_head, b4_wife, b1_head.
        # HIV test: a1_wife Jan, a5_wife Mar; b1_wife Apr, b2_head May.
        "A": Cov(3, {1: 1, 3: 1}, dec=(0, 3, 2, 3)),
        "B": Cov(4, {4: 1, 5: 1}, dec=(0, 4, 2, 4)),
    },
    "ppok_screening": {
        # 40+ (born by 1985-12-31): A a1_head, a2_head, a2_wife, a4_head; B b1_head, b3_head, b3_wife,
        # b4_head (40 on 8 Aug), b5_head. PUMA: a4_head Feb, a2_head May; b1_head Mar.
        "A": Cov(4, {2: 1, 5: 1}, dec=(0, 4, 2, 4)),
        "B": Cov(5, {3: 1}, dec=(0, 5, 1, 5)),
    },
    "cervical_screening": {
        # Women 30-50 on some day of 2025 (born 1974-01-02 .. 1995-12-31): A a1_wife, a3_wife, a4_head;
        # none in B (b2_head turns 30 in 2026). IVA: a1_wife in September.
        "A": Cov(3, {9: 1}, dec=(0, 3, 1, 3)),
        "B": Cov(0, dec=(0, 0, 0, 0)),
    },
    "breast_screening": {
        # Same women; SADANIS: a3_wife in October.
        "A": Cov(3, {10: 1}, dec=(0, 3, 1, 3)),
        "B": Cov(0, dec=(0, 0, 0, 0)),
    },
    "odgj_served": {
        # Known ODGJ berat patients (ODGJ care on record by the end of 2025): a3_head (Dec 2024 only);
        # b4_head (Oct 2024, and July 2025).
        "A": Cov(1, {}, dec=(0, 1, 0, 1)),
        "B": Cov(1, {7: 1}, dec=(0, 1, 1, 1)),
    },
    # ------------------------------------------------------------------------------------ programme
    "posyandu_held": {
        # One active posyandu per desa. A held every month but May (its only May encounter was voided);
        # B every month but October.
        "A": Rate({m: (0 if m == 5 else 1, 1) for m in MONTHS}, dec=(1, 1, 11, 12)),
        "B": Rate({m: (0 if m == 10 else 1, 1) for m in MONTHS}, dec=(1, 1, 11, 12)),
    },
    "home_visit_families": {
        # Families with a resident member in 2025: A1-A5, B1-B5. Visited in 2025: A1 (August and October);
        # B3's only visit was in November 2024.
        "A": Cov(5, {8: 1}, dec=(0, 5, 1, 5)),
        "B": Cov(5, {}, dec=(0, 5, 0, 5)),
    },
    "referrals_closed": {
        # Referrals sent in the month (not cancelled), closed (handled, referred back, followed up) by the
        # month's end. A: a2_head sent 12 May, handled 20 May; a1_wife sent 28 June, handled 1 July (not by
        # the end of June). B: b3_head sent 21 May, only received; b1_head's March referral was cancelled.
        "A": Rate({5: (1, 1), 6: (0, 1)}, dec=(0, 0, 1, 2)),
        "B": Rate({5: (0, 1)}, dec=(0, 0, 0, 1)),
    },
}


def by_desa(facts) -> dict[tuple[str, str, int], Values]:
    """(indicator, desa, month) -> the facts summed over posyandu, sex and age band (a missing row is 0)."""
    sums: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for f in facts:
        acc = sums[(f.indicator, f.desa, f.month)]
        for k, v in enumerate(f.values):
            acc[k] += v
    return {key: tuple(v) for key, v in sums.items()}


CODES = [i.code for i in all_indicators()]


def test_every_registered_indicator_has_an_expectation():
    missing = sorted(set(CODES) - set(EXPECTED))
    assert not missing, f"no golden expectation for {missing}"
    assert not sorted(set(EXPECTED) - set(CODES)), "expectations for indicators that are not registered"


def test_tables_match_the_kind_of_their_indicator():
    for ind in all_indicators():
        table_type = Cov if ind.kind == Kind.COVERAGE else Rate
        for desa, table in EXPECTED.get(ind.code, {}).items():
            assert isinstance(table, table_type), (ind.code, desa)
            assert table.month(12) == table.dec, (ind.code, desa, "December as spelled out")


@pytest.mark.parametrize("code", CODES)
def test_golden_numbers(golden, code):
    sums = by_desa(golden)
    for desa, table in EXPECTED[code].items():
        got = {m: sums.get((code, desa, m), (0, 0, 0, 0)) for m in MONTHS}
        want = {m: table.month(m) for m in MONTHS}
        assert got == want, f"{code} desa {desa}"


def test_facts_only_for_the_indicators_and_months_refreshed(golden):
    assert {f.indicator for f in golden} <= set(CODES)
    assert {f.month for f in golden} <= set(MONTHS)


def test_coverage_facts_split_by_sex(golden):
    """The facts keep the sex split: spm_productive in desa B by December is a2_son (Feb) and b1_head (Mar)
    reached of the men a2_son, b1_head, b4_head; none of the women b1_wife, b2_head, b4_wife, b4_daughter."""
    dec = defaultdict(lambda: [0, 0])
    for f in golden:
        if f.indicator == "spm_productive" and f.desa == "B" and f.month == 12:
            dec[f.sex][0] += f.values[2]
            dec[f.sex][1] += f.values[3]
    assert dict(dec) == {M: [2, 3], F: [0, 4]}


def test_child_weighed_by_age_band_in_january(golden):
    """Bands 0-11, 12-23, ≥24 months at the end of the month. January 2025, desa A: a3_child2 (10 months)
    in band 0, a3_child1 (43 months) in band 2; desa B: b2_baby (4 months) band 0, b2_child (20 months)
    band 1."""
    got = defaultdict(lambda: [0, 0])
    for f in golden:
        if f.indicator == "child_weighed" and f.month == 1:
            got[(f.desa, f.band)][0] += f.values[0]
            got[(f.desa, f.band)][1] += f.values[1]
    assert dict(got) == {("A", 0): [1, 1], ("A", 2): [1, 1], ("B", 0): [1, 1], ("B", 1): [1, 1]}


# --------------------------------------------------------------------------------------------------------
# Where the engine disagrees with its documented meaning. Each test states the documented number; it is
# marked xfail (strict: it turns red the day the engine is fixed, so the mark gets removed).
# --------------------------------------------------------------------------------------------------------


def test_child_born_on_29_february_is_12_months_on_28_february(golden):
    """sql.py: `ref` is the day ages are read on (the month's end for a rate). a3_child2, born 2024-02-29, is
    12 months old on 2025-02-28 (`age_in_months`: a month is completed on the last day of a shorter month),
    so in February 2025 she is weighed in band 1 (12-23 months), not band 0."""
    got = defaultdict(lambda: [0, 0])
    for f in golden:
        if f.indicator == "child_weighed" and f.desa == "A" and f.month == 2:
            got[f.band][0] += f.values[0]
            got[f.band][1] += f.values[1]
    # A band that had children in other months keeps a row of zeros: only its counts matter.
    assert {band: v for band, v in got.items() if v != [0, 0]} == {1: [1, 1], 2: [1, 1]}


@pytest.fixture
def small_world(db):
    """An empty two-desa world (no people yet), with the clock at the end of 2025."""
    with frozen_clock() as clock:
        yield new_world(clock)


def test_a_child_who_moved_in_is_not_in_the_months_before_the_move(small_world):
    """sql.py `_RESIDENT`: "alive, resident ... on at least one day of the window"; `person_register` with
    `moved_in_from` records a pindah datang on `joined_on`. A balita moving into desa B on 1 September 2025
    was not a resident of B in January to August: S (child_weighed's denominator) is 0 then, 1 from
    September."""
    w = small_world
    w.family("B9", "B", ("b9_head", "Zulkifli", M, d("1988-03-03")))
    w.join("b9_child", "B9", "Yoga", M, d("2023-01-05"), on=d("2025-09-01"), moved_in_from="Kota Padang")
    refresh_all(today=TODAY, year=YEAR)
    sums = by_desa(read_facts(w, YEAR))
    denominators = [sums.get(("child_weighed", "B", m), (0, 0, 0, 0))[1] for m in MONTHS]
    assert denominators == [0] * 8 + [1] * 4


def test_an_anc_contact_without_a_visit_number_is_a_first_contact(small_world):
    """anc_k1: "K1: a pregnant woman's first ANC contact of the year". An ANC service recorded without its
    K number (`ServiceInput(kind=anc)`, dose None) is still an ANC contact: she is reached in March."""
    w = small_world
    w.family(
        "B9",
        "B",
        ("b9_head", "Zulkifli", M, d("1988-03-03")),
        (("b9_wife", "Sinta", F, d("1995-05-05"), Relationship.WIFE),),
    )
    w.pregnant("b9_wife", d("2025-01-20"), recorded_on=d("2025-03-10"))
    w.visit("b9_wife", d("2025-03-10"), "B", services=[svc(ServiceKind.ANC)])
    refresh_all(today=TODAY, year=YEAR)
    assert by_desa(read_facts(w, YEAR)).get(("anc_k1", "B", 3)) == (1, 1, 1, 1)
