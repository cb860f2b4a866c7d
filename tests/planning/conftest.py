"""Fixtures for the planning tests: indicator facts written directly, so each test states its numbers."""

import datetime as dt

import pytest

from ilp.facilities.models import Facility
from ilp.indicators.models import FillState, IndicatorValue
from ilp.regions.models import Region

PILOT = "P1306030101"
MANINJAU = "13.06.03.2003"
BAYUA = "13.06.03.2004"


@pytest.fixture
def pilot(db):
    return Facility.objects.select_related("region").get(code=PILOT)


@pytest.fixture
def put_fact(db):
    """put_fact(code, desa_code, "2026-10", n, d, n_ytd, d_ytd): one fact row of a desa, and the month's fill state."""

    def _put(code: str, desa: str, month: str, n: int, d: int, n_ytd: int | None = None, d_ytd: int | None = None):
        village = Region.objects.get(code=desa)
        period = dt.date(int(month[:4]), int(month[5:7]), 1)
        IndicatorValue.objects.create(
            indicator=code,
            period=period,
            region=village,
            village=village,
            district_id=village.district_id,
            regency_id=village.regency_id,
            numerator=n,
            denominator=d,
            numerator_ytd=n if n_ytd is None else n_ytd,
            denominator_ytd=d if d_ytd is None else d_ytd,
        )
        FillState.objects.update_or_create(
            indicator=code, period=period, defaults={"computed_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}
        )

    return _put
