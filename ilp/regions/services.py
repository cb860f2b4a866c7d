"""Writes on regions: users create the sub-village units (dusun/jorong, RW, RT) under a desa."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_create
from ilp.core.scoping import AreaScope
from ilp.regions.models import ALLOWED_PARENT_LEVELS, LEVEL_FIELD, SUB_VILLAGE_LEVELS, Level, Region

LOCAL_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,6}$")
ERR_LOCAL_CODE = _("Local code: use 1-6 letters or digits, e.g. 01 or J03.")
ERR_PARENT_LEVEL = _("Parent: a %(level)s cannot be placed under a %(parent)s.")
ERR_OUT_OF_SCOPE = _("Parent: this region is outside your working area.")
ERR_DUPLICATE = _("Local code: %(code)s already exists under this parent.")
ERR_LEVEL = _("Level: only a dusun, RW or RT can be created here.")
ERR_NOT_ALLOWED = _("Your role cannot add sub-village units.")

_PREFIX = {Level.DUSUN: "D", Level.RW: "RW", Level.RT: "RT"}


@transaction.atomic
def subvillage_create(
    *, scope: AreaScope, parent: Region, level: int, name: str, local_code: str, actor=None
) -> Region:
    """Create a dusun/jorong, RW or RT under a desa (or under a dusun/RW), inside the user's scope.

    The code extends the parent's: `13.06.03.2003.D01`, `32.01.01.2001.RW003.RT002`.
    """
    if not scope.may_edit_regions:
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if level not in SUB_VILLAGE_LEVELS:
        raise ValidationError({"level": ERR_LEVEL})
    local_code = local_code.strip().upper()
    if not LOCAL_CODE_RE.match(local_code):
        raise ValidationError({"local_code": ERR_LOCAL_CODE})
    if parent.level not in ALLOWED_PARENT_LEVELS[Level(level)]:
        raise ValidationError(
            {"parent": ERR_PARENT_LEVEL % {"level": Level(level).label, "parent": Level(parent.level).label}}
        )
    if not scope.everything and not Region.objects.filter(scope.region_q(), pk=parent.pk).exists():
        raise ValidationError({"parent": ERR_OUT_OF_SCOPE})
    code = f"{parent.code}.{_PREFIX[Level(level)]}{local_code}"
    if Region.objects.filter(code=code).exists():
        raise ValidationError({"local_code": ERR_DUPLICATE % {"code": code}})
    values = {f"{col}_id": getattr(parent, f"{col}_id") for col in LEVEL_FIELD.values()}
    region = Region(code=code, name=name.strip(), level=level, parent=parent, created_by=actor, **values)
    region.full_clean()
    region.save()
    if level in LEVEL_FIELD:
        setattr(region, f"{LEVEL_FIELD[Level(level)]}_id", region.id)
        region.save(update_fields=[f"{LEVEL_FIELD[Level(level)]}_id"])
    audit_create(region, actor=actor)
    return region
