"""USG and Hanlon scoring, with the worked examples of the Indonesian teaching texts (ILP.md §5)."""

from decimal import Decimal

import pytest

from ilp.planning.scoring import USG_PRODUCT, USG_SUM, hanlon_npd, hanlon_npt, pearl, ranked, usg_total


def test_usg_sum_and_product():
    assert usg_total(5, 4, 3, USG_SUM) == 12
    assert usg_total(5, 4, 3, USG_PRODUCT) == 60
    assert usg_total(1, 1, 1) == 3


def test_usg_needs_all_three_scores():
    assert usg_total(5, None, 3) is None


@pytest.mark.parametrize("bad", [0, 6])
def test_usg_scores_are_one_to_five(bad):
    with pytest.raises(ValueError):
        usg_total(bad, 3, 3)


def test_hanlon_worked_example():
    # A 6 (size), B 7 (seriousness), C 8 (effectiveness): NPD = (6 + 7) x 8 = 104; all PEARL 1 -> NPT 104.
    npd = hanlon_npd(6, 7, 8)
    assert npd == Decimal(104)
    assert hanlon_npt(npd, pearl(True, True, True, True, True)) == Decimal(104)


def test_one_failing_pearl_factor_zeroes_the_total():
    npd = hanlon_npd(Decimal("9.5"), 8, 7)
    assert npd == Decimal("122.5")
    assert hanlon_npt(npd, pearl(True, True, True, False, True)) == 0


def test_hanlon_needs_a_b_and_c():
    assert hanlon_npd(5, None, 3) is None
    assert hanlon_npt(None, 1) is None


def test_ranked_highest_first_ties_share_a_rank_unscored_last():
    items = {"dbd": 12, "ht": 14, "tb": 12, "gizi": None, "ispa": 9}
    out = ranked(list(items), items.get)
    assert [(r, i) for r, i, _s in out] == [(1, "ht"), (2, "dbd"), (2, "tb"), (4, "ispa"), (None, "gizi")]
