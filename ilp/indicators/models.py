"""The indicator facts (PWS), their fill state, and the settings a Dinkes or puskesmas changes.

Facts hold a numerator AND a denominator at the finest grain (indicator x month x the person's
region x posyandu x sex x age band), with the ancestors of the region copied onto the row, so every
roll-up (dusun, desa, puskesmas working area, kecamatan, kabupaten) is one indexed SUM
(ARCHITECTURE.md: "store numerator and denominator, never only a percentage").
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel
from ilp.indicators.cells import DenominatorSource

SOURCE_CHOICES = [
    (DenominatorSource.REGISTER.value, _("family register (by name, by address)")),
    (DenominatorSource.PROJECTION.value, _("projection (population x proportion)")),
]


class IndicatorValue(models.Model):
    """One fact row; written only by `indicators.engine`, read only by `indicators.selectors`.

    `numerator`/`denominator` are the month's; `numerator_ytd`/`denominator_ytd` run from January to
    the end of the month (for annual coverage indicators the denominator is the year's sasaran on
    both; for monthly rates the year-to-date pair is the sum of the months).
    """

    indicator = models.CharField(_("indicator"), max_length=40)
    period = models.DateField(_("month"))
    region = models.ForeignKey("regions.Region", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    village = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    regency = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    posyandu = models.ForeignKey(
        "facilities.Facility", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    age_band = models.PositiveSmallIntegerField(_("age band"), default=0)
    numerator = models.IntegerField(_("numerator"))
    denominator = models.IntegerField(_("denominator"))
    numerator_ytd = models.IntegerField(_("numerator, year to date"))
    denominator_ytd = models.IntegerField(_("denominator, year to date"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        indexes = [
            # Dashboards read one indicator-month over a kabupaten, a kecamatan or a list of desa.
            models.Index(fields=["indicator", "period", "regency"], name="ival_regency_idx"),
            models.Index(fields=["indicator", "period", "district"], name="ival_district_idx"),
            models.Index(fields=["indicator", "period", "village"], name="ival_village_idx"),
            # Refresh deletes one indicator-year of a set of desa; the PWS series read a desa's year.
            models.Index(fields=["village", "indicator", "period"], name="ival_village_ind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%Y-%m} {self.region_id}: {self.numerator}/{self.denominator}"


class FillState(models.Model):
    """When an indicator's month was last computed, and up to which change mark (the high-water mark)."""

    indicator = models.CharField(_("indicator"), max_length=40)
    period = models.DateField(_("month"))
    computed_at = models.DateTimeField(_("computed at"))
    mark_id = models.BigIntegerField(_("last change mark included"), default=0)

    class Meta:
        verbose_name = _("fill state")
        verbose_name_plural = _("fill states")
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="fillstate_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%Y-%m} @ {self.computed_at:%Y-%m-%d %H:%M}"


class AreaPopulation(BaseModel):
    """Official population of a desa in a year (BPS/Dukcapil projection), the base of projected sasaran."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa"))
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("area population")
        verbose_name_plural = _("area populations")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="areapopulation_unique")]


class ProjectionRate(BaseModel):
    """A kabupaten's own proportion for a sasaran group, overriding the named default in `indicators.sasaran`."""

    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    group = models.CharField(_("sasaran group"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    proportion = models.FloatField(_("proportion of the population"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("projection rate")
        verbose_name_plural = _("projection rates")
        constraints = [
            models.UniqueConstraint(fields=["regency", "group", "year"], name="projectionrate_unique"),
            # A share of the population: a typo like 11 for 1.1 % would make coverage meaningless.
            models.CheckConstraint(condition=Q(proportion__gt=0, proportion__lte=1), name="projectionrate_share"),
        ]


class AreaSetting(BaseModel):
    """A target and/or the chosen denominator source of one indicator for one area and year.

    The area is a region (kabupaten, kecamatan or desa) or a puskesmas; the most specific setting
    wins: desa, then puskesmas, then kecamatan, then kabupaten, then the registry's default.
    """

    indicator = models.CharField(_("indicator"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    puskesmas = models.ForeignKey(
        "facilities.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("puskesmas"),
    )
    target_pct = models.FloatField(_("target %"), null=True, blank=True)
    source = models.CharField(_("denominator"), max_length=12, choices=SOURCE_CHOICES, blank=True)

    class Meta:
        verbose_name = _("indicator setting")
        verbose_name_plural = _("indicator settings")
        constraints = [
            # Exactly one kind of area, so the precedence order is never ambiguous.
            models.CheckConstraint(
                condition=Q(region__isnull=False, puskesmas__isnull=True)
                | Q(region__isnull=True, puskesmas__isnull=False),
                name="areasetting_one_area",
            ),
            models.UniqueConstraint(fields=["indicator", "year", "region"], name="areasetting_unique_region"),
            models.UniqueConstraint(fields=["indicator", "year", "puskesmas"], name="areasetting_unique_pkm"),
            models.CheckConstraint(
                condition=Q(target_pct__isnull=True) | Q(target_pct__gte=0, target_pct__lte=100),
                name="areasetting_target_range",
            ),
        ]

    def clean(self):
        if self.target_pct is None and not self.source:
            raise ValidationError(_("Set a target, a denominator source, or both."))
