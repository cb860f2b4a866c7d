"""Users create sub-village units (dusun/jorong, RW, RT) under a desa inside their scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilp.accounts.scope import scope_for
from ilp.core.models import AuditAction, AuditEntry
from ilp.regions.models import Level, Region
from ilp.regions.selectors import level_label
from ilp.regions.services import ERR_DUPLICATE, ERR_LOCAL_CODE, ERR_OUT_OF_SCOPE, subvillage_create

pytestmark = pytest.mark.django_db


def test_a_pustu_nurse_adds_a_jorong_and_an_rt_under_it(users):
    nurse = users["pustu.bayua"]
    bayua = Region.objects.get(code="13.06.03.2004")
    jorong = subvillage_create(
        scope=scope_for(nurse), parent=bayua, level=Level.DUSUN, name="Jorong Uji", local_code="01", actor=nurse
    )
    assert jorong.code == "13.06.03.2004.D01"
    assert (jorong.village_id, jorong.district_id, jorong.dusun_id) == (bayua.id, bayua.district_id, jorong.id)
    rt = subvillage_create(scope=scope_for(nurse), parent=jorong, level=Level.RT, name="RT 1", local_code="1")
    assert rt.code == "13.06.03.2004.D01.RT1"
    assert rt.dusun_id == jorong.id
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(jorong.external_id)).exists()
    assert level_label(jorong.code, Level.DUSUN) == "Jorong"


@pytest.mark.parametrize(
    ("_case", "parent_code", "local_code", "field", "message"),
    [
        ("outside scope", "13.06.03.2003", "02", "parent", ERR_OUT_OF_SCOPE),
        ("bad code", "13.06.03.2004", "0 1!", "local_code", ERR_LOCAL_CODE),
    ],
)
def test_refused_with_a_message_naming_the_field(users, _case, parent_code, local_code, field, message):
    nurse = users["pustu.bayua"]
    with pytest.raises(ValidationError) as err:
        subvillage_create(
            scope=scope_for(nurse), parent=Region.objects.get(code=parent_code), level=Level.DUSUN,
            name="Jorong X", local_code=local_code,
        )  # fmt: skip
    assert err.value.message_dict[field] == [str(message)]


def test_the_same_code_twice_is_refused(users):
    scope = scope_for(users["kapus.maninjau"])
    bayua = Region.objects.get(code="13.06.03.2004")
    subvillage_create(scope=scope, parent=bayua, level=Level.DUSUN, name="Jorong A", local_code="05")
    with pytest.raises(ValidationError) as err:
        subvillage_create(scope=scope, parent=bayua, level=Level.DUSUN, name="Jorong B", local_code="05")
    assert err.value.message_dict["local_code"] == [str(ERR_DUPLICATE % {"code": "13.06.03.2004.D05"})]


def test_local_labels_follow_sumatera_barat_and_default_elsewhere():
    assert level_label("13.06.03.2003", Level.VILLAGE) == "Nagari"
    assert level_label("13.75.01.1001", Level.VILLAGE) == "Kelurahan"
    assert level_label("32.01.01.2001", Level.VILLAGE) == str(Level.VILLAGE.label)


def test_a_kader_cannot_add_units_even_through_the_service(users):
    kader = users["kader.bayua"]
    with pytest.raises(PermissionDenied):
        subvillage_create(
            scope=scope_for(kader), parent=Region.objects.get(code="13.06.03.2004"), level=Level.DUSUN,
            name="Jorong Y", local_code="09",
        )  # fmt: skip
