"""The Kemendagri region hierarchy, with flattened level columns for one-GROUP-BY roll-ups."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    REGENCY = 2, _("regency/city")
    DISTRICT = 3, _("district")
    VILLAGE = 4, _("village")
    DUSUN = 5, _("hamlet (dusun)")
    RW = 6, _("RW")
    RT = 7, _("RT")


# Level -> name of the flattened column on Region that points at the ancestor of that level.
LEVEL_FIELD = {
    Level.PROVINCE: "province",
    Level.REGENCY: "regency",
    Level.DISTRICT: "district",
    Level.VILLAGE: "village",
    Level.DUSUN: "dusun",
    Level.RW: "rw",
}
SUB_VILLAGE_LEVELS = (Level.DUSUN, Level.RW, Level.RT)

# Which parent levels a sub-village unit may hang under (RW and RT sit under a dusun where one exists).
ALLOWED_PARENT_LEVELS = {
    Level.DUSUN: (Level.VILLAGE,),
    Level.RW: (Level.VILLAGE, Level.DUSUN),
    Level.RT: (Level.VILLAGE, Level.DUSUN, Level.RW),
}


def _ancestor(verbose):
    return models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose,
        editable=False,
    )


class Region(BaseModel):
    """A provinsi, kabupaten/kota, kecamatan, desa/kelurahan, or a dusun/RW/RT created by users.

    Each row carries the id of its ancestor at every level (and itself at its own level), so the
    rows under any region are one indexed equality: `Region.objects.filter(regency_id=agam.id)`.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    province = _ancestor(_("province"))
    regency = _ancestor(_("regency/city"))
    district = _ancestor(_("district"))
    village = _ancestor(_("village"))
    dusun = _ancestor(_("hamlet (dusun)"))
    rw = _ancestor(_("RW"))
    # False when the official source no longer lists the code; kept because records point at it.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            # Sub-village codes are made from the village code, so a unit never has level < 5 by mistake.
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=7), name="region_level_range"),
            # Only a province may lack a parent: every other row is reachable from the top.
            models.CheckConstraint(
                condition=models.Q(level=1) | models.Q(parent__isnull=False), name="region_parent_required"
            ),
        ]
        indexes = [
            # Name search within a level is the region browser's main query.
            models.Index(fields=["level", "name"], name="region_level_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_kelurahan(self) -> bool:
        """Village codes whose 4-digit part starts with 1 are kelurahan, 2 desa (ILP.md §4, ❓ convention)."""
        return self.level == Level.VILLAGE and self.code.rsplit(".", 1)[-1].startswith("1")

    def ancestor_ids(self) -> list[int]:
        """Ids of this region's ancestors, top first, without itself."""
        ids = [getattr(self, f"{LEVEL_FIELD[lvl]}_id") for lvl in LEVEL_FIELD if lvl < self.level]
        return [i for i in ids if i]

    def clean(self):
        if self.level in SUB_VILLAGE_LEVELS and (
            self.parent is None or self.parent.level not in ALLOWED_PARENT_LEVELS[self.level]
        ):
            raise ValidationError({"parent": _("This unit cannot be placed under the chosen parent.")})


class LevelLabel(models.Model):
    """Local name of a level inside an area, e.g. desa = "Nagari" and dusun = "Jorong" in Sumatera Barat.

    The longest matching `area_code` prefix wins; the defaults are seeded by a data migration
    (ILP.md §4: "in Sumatera Barat the desa level is called nagari and the sub-village jorong").
    Kelurahan keep their own name everywhere.
    """

    area_code = models.CharField(_("area code prefix"), max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    label = models.CharField(_("label"), max_length=40)

    class Meta:
        verbose_name = _("local level name")
        verbose_name_plural = _("local level names")
        constraints = [
            # One label per level and area prefix, or the lookup would be ambiguous.
            models.UniqueConstraint(fields=["area_code", "level"], name="levellabel_unique_area_level"),
        ]

    def __str__(self) -> str:
        return f"{self.area_code or '*'} {self.get_level_display()}: {self.label}"
