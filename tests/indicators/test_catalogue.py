"""The indicator registry: the catalogue the issue asks for, each definition documented and cited."""

from pathlib import Path

from ilp.indicators.catalogue import catalogue_markdown
from ilp.indicators.registry import Kind, all_indicators
from ilp.indicators.sasaran import GROUPS

ROOT = Path(__file__).resolve().parents[2]


def test_at_least_thirty_indicators_with_unique_codes():
    codes = [i.code for i in all_indicators()]
    assert len(codes) >= 30
    assert len(set(codes)) == len(codes)


def test_every_spm_service_has_an_indicator():
    """The 12 SPM kesehatan services (ILP.md §3.6) each have one indicator."""
    assert sorted(i.spm for i in all_indicators() if i.spm) == list(range(1, 13))


def test_every_definition_cites_its_guideline_and_explains_itself():
    for ind in all_indicators():
        assert ind.doc.strip(), ind.code
        assert "Juknis" in ind.source or "SPM" in ind.source or "Permenkes" in ind.source, ind.code
        assert ind.topics, ind.code
        assert 0 < ind.target_pct <= 100, ind.code


def test_projection_groups_exist_for_every_indicator_that_names_one():
    for ind in all_indicators():
        assert not ind.sasaran or ind.sasaran in GROUPS, ind.code


def test_annual_coverage_target_grows_a_twelfth_a_month_and_rates_stay_flat():
    coverage = next(i for i in all_indicators() if i.kind == Kind.COVERAGE)
    rate = next(i for i in all_indicators() if i.kind == Kind.RATE)
    assert coverage.period_target(90, month=3, cumulative=True) == 22.5
    assert coverage.period_target(90, month=3, cumulative=False) == 7.5
    assert rate.period_target(85, month=3, cumulative=True) == 85


def test_status_thresholds_at_their_edges():
    """tercapai at the target, hampir within near_pp points, belum beyond; reversed for prevalences."""
    up = next(i for i in all_indicators() if i.code == "child_weighed")
    down = next(i for i in all_indicators() if i.code == "stunting")
    assert up.status(85.0, 85) == "tercapai"
    assert up.status(84.9, 85) == "hampir"
    assert up.status(85 - up.near_pp, 85) == "hampir"
    assert up.status(85 - up.near_pp - 0.1, 85) == "belum"
    assert up.status(None, 85) == ""
    assert down.status(14.0, 14) == "tercapai"
    assert down.status(14.1, 14) == "hampir"
    assert down.status(14 + down.near_pp + 0.1, 14) == "belum"


def test_docs_indicators_md_is_generated_from_the_registry():
    """`ilp indicators docs` writes the file; it must match the registry of this commit."""
    assert (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8") == catalogue_markdown()
