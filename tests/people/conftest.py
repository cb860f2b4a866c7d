"""Helpers for the family register tests: regions of the session world and a family factory."""

import datetime as dt
import itertools

import pytest

from ilp.accounts.scope import scope_for
from ilp.people.identity import SEX_FEMALE, SEX_MALE, build_nik
from ilp.people.services import family_register
from ilp.regions.models import Region

BAYUA = "13.06.03.2004"
MANINJAU = "13.06.03.2003"
TANJUNG_RAYA = "13.06.03"

_serials = itertools.count(1)


def nik(birth_date: dt.date, sex: str, district: str = TANJUNG_RAYA) -> str:
    """A structurally valid NIK matching the birth date and sex, unique within the test session."""
    return build_nik(district_code=district, birth_date=birth_date, sex=sex, serial=next(_serials))


def kk(district: str = TANJUNG_RAYA) -> str:
    return f"{district.replace('.', '')}{next(_serials):010d}"


def head_data(**overrides):
    born = overrides.pop("birth_date", dt.date(1985, 4, 12))
    data = {"name": "Syafril Datuak", "sex": SEX_MALE, "birth_date": born, "nik": nik(born, SEX_MALE)}
    return {**data, **overrides}


def wife_data(**overrides):
    born = overrides.pop("birth_date", dt.date(1990, 8, 3))
    data = {
        "name": "Yusnimar",
        "sex": SEX_FEMALE,
        "birth_date": born,
        "nik": nik(born, SEX_FEMALE),
        "relationship": "istri",
    }
    return {**data, **overrides}


@pytest.fixture
def region():
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def scope(users):
    return lambda username: scope_for(users[username])


@pytest.fixture
def make_family(users, region):
    """Register a family in a desa with a head (and optional members) as the given user."""

    def _make(username="pustu.bayua", code=BAYUA, members=(), **head):
        return family_register(
            scope=scope_for(users[username]),
            region=region(code),
            kk_number=kk(),
            address_text="Jl. Raya Maninjau",
            head=head_data(**head),
            members=list(members),
            actor=users[username],
        )

    return _make
