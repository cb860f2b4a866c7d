"""Candidate problems from a golden indicator world: two nagari of Puskesmas Maninjau with stated facts.

October 2026, year to date: an annual coverage target of 100 % is 83.3 % on the PWS target line, "hampir"
within 10 points (73.3 %).
"""

import datetime as dt

import pytest

from ilp.indicators.areas import area_for
from ilp.indicators.registry import get
from ilp.planning.models import ProblemSource
from ilp.planning.problems import candidates
from tests.planning.conftest import BAYUA, MANINJAU, PILOT

OCT = dt.date(2026, 10, 1)


@pytest.fixture
def world(put_fact):
    # Hypertension: 30 % and 90 % -> puskesmas 60 %: below target, Maninjau in red.
    put_fact("hypertension_served", MANINJAU, "2026-10", 5, 100, 30, 100)
    put_fact("hypertension_served", BAYUA, "2026-10", 9, 100, 90, 100)
    # Elderly SPM: 85 % and 70 % -> puskesmas 77.5 %: near the target, Bayua in red.
    put_fact("spm_elderly", MANINJAU, "2026-10", 5, 100, 85, 100)
    put_fact("spm_elderly", BAYUA, "2026-10", 5, 100, 70, 100)
    # TB screening: 120 % in Maninjau (more screened than the sasaran), 80 % in Bayua -> puskesmas 100 %.
    put_fact("tb_screened", MANINJAU, "2026-10", 10, 100, 120, 100)
    put_fact("tb_screened", BAYUA, "2026-10", 5, 100, 80, 100)
    # D/S in Maninjau: 90, 80, 70 % in August-October (year to date 80 %: near the 85 % target).
    put_fact("child_weighed", MANINJAU, "2026-08", 90, 100, 90, 100)
    put_fact("child_weighed", MANINJAU, "2026-09", 80, 100, 170, 200)
    put_fact("child_weighed", MANINJAU, "2026-10", 70, 100, 240, 300)
    # Stunting (a ceiling of 14 %): 10, 13, 13 % -> rose, then flat: not worsening every month.
    put_fact("stunting", MANINJAU, "2026-08", 10, 100, 10, 100)
    put_fact("stunting", MANINJAU, "2026-09", 13, 100, 23, 200)
    put_fact("stunting", MANINJAU, "2026-10", 13, 100, 36, 300)
    # Wasting (a ceiling of 7 %): 2, 4, 7 % -> worse each month by 5 points in all.
    put_fact("wasting", MANINJAU, "2026-08", 2, 100, 2, 100)
    put_fact("wasting", MANINJAU, "2026-09", 4, 100, 6, 200)
    put_fact("wasting", MANINJAU, "2026-10", 7, 100, 13, 300)


def _by_key(found):
    return {(c.source, c.indicator): c for c in found}


def test_generated_candidates_are_exactly_the_stated_problems(world):
    found = _by_key(candidates(puskesmas=area_for(PILOT), period=OCT))
    assert set(found) == {
        (ProblemSource.BELOW_TARGET, "hypertension_served"),
        (ProblemSource.RED_DESA, "spm_elderly"),
        (ProblemSource.DATA_QUALITY, "tb_screened"),
        (ProblemSource.WORSENING, "child_weighed"),
        (ProblemSource.WORSENING, "wasting"),
    }


def test_below_target_evidence_holds_the_numbers_and_the_red_desa(world):
    c = _by_key(candidates(puskesmas=area_for(PILOT), period=OCT))[(ProblemSource.BELOW_TARGET, "hypertension_served")]
    own = c.evidence["puskesmas"]
    assert (own["numerator"], own["denominator"], own["coverage_pct"]) == (120, 200, 60.0)
    assert own["target_pct"] == pytest.approx(83.3)
    assert own["gap_persons"] == 47  # 83.33 % of 200 = 166.7 -> 47 more persons
    assert [d["area_code"] for d in c.evidence["red_desa"]] == [MANINJAU]
    assert c.area_code == PILOT


def test_red_desa_only_when_the_puskesmas_itself_is_not_below(world):
    c = _by_key(candidates(puskesmas=area_for(PILOT), period=OCT))[(ProblemSource.RED_DESA, "spm_elderly")]
    assert c.evidence["puskesmas"]["status"] == "hampir"
    assert [d["area_code"] for d in c.evidence["red_desa"]] == [BAYUA]


def test_data_quality_names_the_area_above_100(world):
    c = _by_key(candidates(puskesmas=area_for(PILOT), period=OCT))[(ProblemSource.DATA_QUALITY, "tb_screened")]
    assert [d["area_code"] for d in c.evidence["over_100"]] == [MANINJAU]


def test_worsening_trend_values_are_in_the_evidence(world):
    found = _by_key(candidates(puskesmas=area_for(PILOT), period=OCT))
    assert found[(ProblemSource.WORSENING, "child_weighed")].evidence["trend"] == [90.0, 80.0, 70.0]
    assert found[(ProblemSource.WORSENING, "wasting")].evidence["trend"] == [2.0, 4.0, 7.0]


def test_a_drop_below_the_minimum_is_not_worsening(put_fact):
    # 90 -> 88 -> 86: worse each month, but only 4 points in all.
    put_fact("child_weighed", MANINJAU, "2026-08", 90, 100)
    put_fact("child_weighed", MANINJAU, "2026-09", 88, 100, 178, 200)
    put_fact("child_weighed", MANINJAU, "2026-10", 86, 100, 264, 300)
    found = candidates(puskesmas=area_for(PILOT), period=OCT, indicators=[get("child_weighed")])
    assert found == []


def test_no_facts_no_problems(db):
    assert candidates(puskesmas=area_for(PILOT), period=OCT) == []


def test_candidates_come_most_severe_first_data_quality_last(world):
    found = candidates(puskesmas=area_for(PILOT), period=OCT)
    # Share of the target reached: hypertension 72 %, elderly 93 % (one red desa), D/S 94 % (worsening),
    # wasting under its ceiling (worsening), then the data-quality candidate.
    assert [c.indicator for c in found] == [
        "hypertension_served",
        "spm_elderly",
        "child_weighed",
        "wasting",
        "tb_screened",
    ]


def test_one_candidate_per_indicator_with_the_trend_as_evidence(put_fact):
    # D/S 90, 70, 50 % in Maninjau: below its 85 % target and worsening: one problem, below target.
    put_fact("child_weighed", MANINJAU, "2026-08", 90, 100)
    put_fact("child_weighed", MANINJAU, "2026-09", 70, 100, 160, 200)
    put_fact("child_weighed", MANINJAU, "2026-10", 50, 100, 210, 300)
    found = candidates(puskesmas=area_for(PILOT), period=OCT, indicators=[get("child_weighed")])
    assert [(c.source, c.indicator) for c in found] == [(ProblemSource.BELOW_TARGET, "child_weighed")]
    assert found[0].evidence["trend"] == [90.0, 70.0, 50.0]
