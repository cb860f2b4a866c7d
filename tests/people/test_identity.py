"""NIK and KK checks: a table of valid and invalid numbers, and round-trips with hypothesis."""

import datetime as dt

import pytest
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from ilp.people.identity import (
    ERR_KK_DIGITS,
    ERR_NIK_DATE,
    ERR_NIK_DIGITS,
    ERR_NIK_REGION,
    ERR_NIK_SERIAL,
    SEX_FEMALE,
    SEX_MALE,
    WARN_KK_REGION,
    WARN_NIK_BIRTH_DATE,
    WARN_NIK_SEX,
    build_nik,
    check_kk,
    check_nik,
)

TODAY = dt.date(2026, 11, 23)
KNOWN = {"13.06.03", "32.01.01"}


def exists(code):
    return code in KNOWN


@pytest.mark.parametrize(
    ("_case", "nik", "errors"),
    [
        ("man born 12 Apr 1987", "1306031204870001", []),
        ("woman born 12 Apr 1987 (day + 40)", "1306035204870002", []),
        ("with spaces and dots", "1306.0312 0487 0001", []),
        ("15 digits", "130603120487000", [str(ERR_NIK_DIGITS)]),
        ("letters", "13060312048700A1", [str(ERR_NIK_DIGITS)]),
        ("unknown kecamatan", "9999031204870001", [str(ERR_NIK_REGION) % {"code": "999903"}]),
        ("day 32", "1306033204870001", [str(ERR_NIK_DATE) % {"part": "320487"}]),
        ("day 72 (woman + 40 > 71)", "1306037204870001", [str(ERR_NIK_DATE) % {"part": "720487"}]),
        ("month 13", "1306031213870001", [str(ERR_NIK_DATE) % {"part": "121387"}]),
        ("30 February", "1306033002870001", [str(ERR_NIK_DATE) % {"part": "300287"}]),
        ("serial 0000", "1306031204870000", [str(ERR_NIK_SERIAL)]),
    ],
)
def test_nik_structure(_case, nik, errors):
    assert check_nik(nik, district_exists=exists, today=TODAY).errors == errors


def test_nik_date_and_sex_are_read_and_the_century_is_the_latest_possible():
    check = check_nik("1306035204870002", district_exists=exists, today=TODAY)
    assert (check.birth_date, check.sex, check.district_code) == (dt.date(1987, 4, 12), SEX_FEMALE, "13.06.03")
    newborn = check_nik("3201010111260003", district_exists=exists, today=TODAY)
    assert newborn.birth_date == dt.date(2026, 11, 1)
    old = check_nik("3201010111270003", district_exists=exists, today=TODAY)
    assert old.birth_date == dt.date(1927, 11, 1)


def test_a_mismatch_with_the_record_is_a_warning_not_an_error():
    check = check_nik(
        "1306031204870001", district_exists=exists, sex=SEX_FEMALE, birth_date=dt.date(1987, 4, 13), today=TODAY
    )
    assert check.ok
    assert check.warnings == [
        str(WARN_NIK_SEX) % {"nik_sex": gettext("male"), "sex": gettext("female")},
        str(WARN_NIK_BIRTH_DATE) % {"nik_date": "12-04-1987"},
    ]


@given(
    born=st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from([SEX_FEMALE, SEX_MALE]),
    serial=st.integers(min_value=1, max_value=9999),
    district=st.sampled_from(sorted(KNOWN)),
)
def test_a_built_nik_checks_back_to_the_same_person(born, sex, serial, district):
    nik = build_nik(district_code=district, birth_date=born, sex=sex, serial=serial)
    check = check_nik(nik, district_exists=exists, sex=sex, birth_date=born, today=TODAY)
    assert check.ok and not check.warnings
    assert (check.birth_date, check.sex, check.district_code) == (born, sex, district)


@pytest.mark.parametrize(
    ("kk", "errors", "warnings"),
    [
        ("1306031501100004", [], []),
        ("130603150110000", [str(ERR_KK_DIGITS)], []),
        ("9999031501100004", [], [str(WARN_KK_REGION) % {"code": "999903"}]),
    ],
)
def test_kk_number(kk, errors, warnings):
    check = check_kk(kk, district_exists=exists)
    assert (check.errors, check.warnings) == (errors, warnings)
