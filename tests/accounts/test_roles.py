"""A role is bound to the right kind of facility or region level."""

import pytest
from django.core.exceptions import ValidationError

from ilp.accounts.models import ERR_ROLE_NEEDS_FACILITY, Role, User
from ilp.accounts.scope import scope_for
from ilp.facilities.models import Facility, FacilityKind
from ilp.regions.models import Region

pytestmark = pytest.mark.django_db


def test_a_kader_must_be_bound_to_a_posyandu():
    pustu = Facility.objects.get(name="Pustu Bayua")
    user = User(username="kader.salah", role=Role.KADER, facility=pustu)
    with pytest.raises(ValidationError) as err:
        user.full_clean()
    assert err.value.message_dict["facility"] == [str(ERR_ROLE_NEEDS_FACILITY % {"kind": FacilityKind.POSYANDU.label})]


def test_pemdes_must_be_bound_to_a_desa_not_a_kecamatan():
    user = User(username="pemdes.salah", role=Role.PEMDES, region=Region.objects.get(code="13.06.03"))
    with pytest.raises(ValidationError) as err:
        user.full_clean()
    assert "region" in err.value.message_dict


def test_a_user_without_role_or_inactive_sees_nothing(users):
    loose = User.objects.create(username="tanpa.peran")
    assert not Region.objects.filter(scope_for(loose).region_q()).exists()
    kader = users["kader.bayua"]
    kader.is_active = False
    assert not Facility.objects.filter(scope_for(kader).facility_q()).exists()
