"""Users and their roles. A role binds a user to one area or facility; `ilp.accounts.scope` turns it
into the `AreaScope` every selector reads through."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.facilities.models import NETWORK_KINDS, Facility, FacilityKind
from ilp.regions.models import Level, Region


class Role(models.TextChoices):
    DINKES_ADMIN = "dinkes_admin", _("Dinkes administrator (kabupaten/kota)")
    KEPALA_PUSKESMAS = "kepala_puskesmas", _("Head of puskesmas")
    CLUSTER_STAFF = "cluster_staff", _("Puskesmas cluster staff")
    PUSTU_STAFF = "pustu_staff", _("Pustu nurse/midwife")
    KADER = "kader", _("Posyandu kader")
    PEMDES = "pemdes", _("Village government (pemdes)")
    LINTAS_SEKTOR = "lintas_sektor", _("Cross-sector viewer")
    NETWORK_STAFF = "jejaring", _("Network facility staff (klinik, praktik mandiri, lab)")


# What each role is bound to: (facility kind | None, region levels | None).
ROLE_BINDING = {
    Role.DINKES_ADMIN: (None, (Level.REGENCY,)),
    Role.KEPALA_PUSKESMAS: (FacilityKind.PUSKESMAS, None),
    Role.CLUSTER_STAFF: (FacilityKind.PUSKESMAS, None),
    Role.PUSTU_STAFF: (FacilityKind.PUSTU, None),
    Role.KADER: (FacilityKind.POSYANDU, None),
    Role.PEMDES: (None, (Level.VILLAGE,)),
    Role.LINTAS_SEKTOR: (None, (Level.REGENCY, Level.DISTRICT, Level.VILLAGE)),
    Role.NETWORK_STAFF: (NETWORK_KINDS, None),
}
# Roles that never read person-level data (names, NIK, services), only aggregates.
AGGREGATE_ONLY_ROLES = frozenset({Role.LINTAS_SEKTOR, Role.NETWORK_STAFF})
# Roles that register the dusun/jorong, RW and RT of the desa they serve (the pustu and puskesmas map
# their area; the Dinkes corrects it). Kader, pemdes and lintas sektor only read.
REGION_EDITOR_ROLES = frozenset({Role.DINKES_ADMIN, Role.KEPALA_PUSKESMAS, Role.CLUSTER_STAFF, Role.PUSTU_STAFF})
# Roles that register and correct families and persons. The pemdes reads its desa's register only;
# lintas sektor never sees person-level data.
PEOPLE_WRITER_ROLES = frozenset(
    {Role.DINKES_ADMIN, Role.KEPALA_PUSKESMAS, Role.CLUSTER_STAFF, Role.PUSTU_STAFF, Role.KADER}
)
# Roles that see NIK unmasked where a record needs it.
NIK_ROLES = frozenset({Role.KEPALA_PUSKESMAS, Role.CLUSTER_STAFF, Role.PUSTU_STAFF})

ERR_ROLE_NEEDS_FACILITY = _("This role needs a facility of kind %(kind)s.")
ERR_ROLE_NEEDS_REGION = _("This role needs a region at level %(levels)s.")
ERR_ROLE_NO_FACILITY = _("This role is bound to a region, not a facility.")


class User(AbstractUser):
    """A person who logs in. Superusers see everything; every other user sees their role's area."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("facility"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("region"),
    )
    cluster = models.CharField(_("cluster"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if not self.role:
            return
        kind, levels = ROLE_BINDING[Role(self.role)]
        errors = {}
        if kind:
            kinds = kind if isinstance(kind, tuple) else (kind,)
            if self.facility_id is None or self.facility.kind not in kinds:
                labels = " / ".join(str(FacilityKind(k).label) for k in kinds)
                errors["facility"] = ERR_ROLE_NEEDS_FACILITY % {"kind": labels}
        elif self.facility_id is not None:
            errors["facility"] = ERR_ROLE_NO_FACILITY
        if levels and (self.region_id is None or self.region.level not in levels):
            errors["region"] = ERR_ROLE_NEEDS_REGION % {"levels": " / ".join(str(Level(lv).label) for lv in levels)}
        if errors:
            raise ValidationError(errors)

    @property
    def may_see_nik(self) -> bool:
        return self.is_superuser or self.role in NIK_ROLES
