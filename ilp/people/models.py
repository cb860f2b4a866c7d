"""The family register (issue #3): Family (Kartu Keluarga), Person (NIK), membership, pregnancy."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ilp.core.models import BaseModel
from ilp.people.identity import SEX_FEMALE, SEX_MALE
from ilp.regions.models import Level

# Naegele's rule: HPL = HPHT + 280 days (40 weeks).
GESTATION_DAYS = 280

_SIXTEEN_DIGITS = RegexValidator(r"^\d{16}$", _("Must be exactly 16 digits."))

ERR_FAMILY_REGION_LEVEL = _("Region: a family lives in a desa/kelurahan or a dusun, RW or RT under it.")
ERR_FAMILY_POSYANDU_KIND = _("Posyandu: choose a posyandu.")
ERR_PREGNANCY_SEX = _("Person: only a woman can be recorded as pregnant.")


class Sex(models.TextChoices):
    FEMALE = SEX_FEMALE, _("female")
    MALE = SEX_MALE, _("male")


class NikMissingReason(models.TextChoices):
    NEWBORN = "newborn", _("newborn")
    NOT_RECORDED = "not_recorded", _("not yet recorded")
    FOREIGNER = "foreigner", _("foreigner")
    UNKNOWN = "unknown", _("unknown")


class Disability(models.TextChoices):
    """Kinds of disability of UU 8/2016 art. 4 (ragam penyandang disabilitas)."""

    PHYSICAL = "fisik", _("physical")
    INTELLECTUAL = "intelektual", _("intellectual")
    MENTAL = "mental", _("mental")
    SENSORY = "sensorik", _("sensory")
    MULTIPLE = "ganda", _("multiple")


class Relationship(models.TextChoices):
    """Relationship to the head of family; the values are the import file's `hubungan` codes."""

    HEAD = "kepala_keluarga", _("head of family")
    WIFE = "istri", _("spouse (wife)")
    HUSBAND = "suami", _("spouse (husband)")
    CHILD = "anak", _("child")
    CHILD_IN_LAW = "menantu", _("child-in-law")
    GRANDCHILD = "cucu", _("grandchild")
    PARENT = "orang_tua", pgettext_lazy("family relationship", "parent")
    PARENT_IN_LAW = "mertua", _("parent-in-law")
    OTHER_RELATIVE = "famili_lain", _("other relative")
    OTHER = "lainnya", _("other")


class PregnancyOutcome(models.TextChoices):
    LIVE_BIRTH = "live_birth", _("live birth")
    STILLBIRTH = "stillbirth", _("stillbirth")
    MISCARRIAGE = "miscarriage", _("miscarriage")
    UNKNOWN = "unknown", _("unknown")


class Family(BaseModel):
    """A household as on its Kartu Keluarga, at an address down to dusun/RW/RT."""

    kk_number = models.CharField(_("KK number"), max_length=16, blank=True, validators=[_SIXTEEN_DIGITS])
    kk_missing_reason = models.CharField(_("reason for no KK number"), max_length=200, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    address_text = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The posyandu the family attends: a kader's register is the families of their posyandu (issue #3,
    # "a kader never sees another posyandu's families").
    posyandu = models.ForeignKey(
        "facilities.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "posyandu"},
        verbose_name=_("posyandu"),
    )
    head = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("head of family"),
    )

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["id"]
        constraints = [
            # One KK, one family; families still waiting for a KK are many, so blanks are exempt.
            models.UniqueConstraint(fields=["kk_number"], condition=~Q(kk_number=""), name="family_kk_unique"),
            # A family without a KK number must say why, so the gap can be followed up with Dukcapil.
            models.CheckConstraint(condition=~Q(kk_number="") | ~Q(kk_missing_reason=""), name="family_kk_or_reason"),
            # Coordinates outside the globe are typing errors that would break every map.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="family_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="family_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.kk_number or f"{_('family')} {self.external_id}"

    def clean(self):
        if self.region_id and self.region.level < Level.VILLAGE:
            raise ValidationError({"region": ERR_FAMILY_REGION_LEVEL})
        if self.posyandu_id and self.posyandu.kind != "posyandu":
            raise ValidationError({"posyandu": ERR_FAMILY_POSYANDU_KIND})


class Person(BaseModel):
    """Someone living in the working area, recorded by name and address."""

    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, validators=[_SIXTEEN_DIGITS])
    nik_missing_reason = models.CharField(
        _("reason for no NIK"), max_length=20, choices=NikMissingReason.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=150)
    # `search_key(name)`: lower case, accents and punctuation folded, so "Nurhayati" finds "NURHAYATİ".
    name_search = models.CharField(_("name (search key)"), max_length=150, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_date_estimated = models.BooleanField(_("birth date estimated"), default=False)
    jkn_number = models.CharField(_("JKN/BPJS number"), max_length=13, blank=True)
    ihs_number = models.CharField(_("SATUSEHAT IHS number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    disability = models.CharField(_("disability"), max_length=20, choices=Disability.choices, blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    death_cause = models.CharField(_("cause of death"), max_length=255, blank=True)
    # Copy of the current family's region, kept in step by the services: scoping a person is then one
    # comparison on the flattened region columns instead of a join through the membership.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    # Copy of the current family's posyandu, kept in step like `region`: a kader's scope is one comparison.
    posyandu = models.ForeignKey(
        "facilities.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Set when the person moves out of the register's area (pindah keluar); cleared on return.
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    # Set by `person_merge`: the record was a duplicate of this one and is kept only as history.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "id"]
        constraints = [
            # A NIK identifies one person for life; persons without one are stored as NULL.
            models.UniqueConstraint(fields=["nik"], name="person_nik_unique"),
            # Without a NIK the reason is what tells the team whom to help get one (e.g. newborns).
            models.CheckConstraint(
                condition=Q(nik__isnull=False) | ~Q(nik_missing_reason=""), name="person_nik_or_reason"
            ),
            # The NIK's day digits encode sex as F/M only.
            models.CheckConstraint(condition=Q(sex__in=[SEX_FEMALE, SEX_MALE]), name="person_sex_valid"),
            # A death before birth is a typing error.
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(death_date__gte=F("birth_date")),
                name="person_death_after_birth",
            ),
        ]
        indexes = [
            # The register is listed by name within an area.
            models.Index(fields=["name"], name="person_name_idx"),
            # The PWS counts a life stage as a birth-date range per month (`indicators.sql.persons`).
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_alive(self) -> bool:
        return self.death_date is None

    @property
    def is_active(self) -> bool:
        """Counted in the register's sasaran: alive, not moved out, not a merged duplicate."""
        return self.death_date is None and self.moved_out_on is None and self.merged_into_id is None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class PersonNameKey(models.Model):
    """A person's search key read from one of its words on (`identity.name_keys`): "siti nurhaliza" is
    stored as "siti nurhaliza" and "nurhaliza".

    Derived from `Person.name_search` and rewritten with it by the services (no history, no audit, like
    the key itself). A name search is a range scan of the (key, person) index that yields rows already in
    the order the list shows them, so the first page costs the same for "siti" (tens of thousands of
    matches) as for a rare name; the column sorts by code point on every database (PostgreSQL: collation
    "C", set in migration 0005), which a prefix range needs.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=150)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="person_name_key_idx")]

    def __str__(self) -> str:
        return self.key


class FamilyMembership(BaseModel):
    """A person's place in a family over [start_date, end_date); a move closes one row and opens another."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(_("relationship to head"), max_length=20, choices=Relationship.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("family membership")
        verbose_name_plural = _("family memberships")
        ordering = ["start_date", "id"]
        constraints = [
            # A person belongs to one family at a time (issue #3); closed rows are the history.
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="membership_one_current"
            ),
            # A membership cannot end before it starts.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class Pregnancy(BaseModel):
    """A pregnancy from HPHT (LMP) to its end; HPL (EDD) follows Naegele's rule."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pregnancies")
    lmp_date = models.DateField(_("HPHT (first day of last menstrual period)"))
    edd = models.DateField(_("HPL (estimated delivery date)"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=PregnancyOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")
        ordering = ["-lmp_date", "-id"]
        constraints = [
            # A woman carries one pregnancy at a time; an open row means "ibu hamil" now.
            models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True), name="pregnancy_one_open"),
            # A pregnancy ends after it starts.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("lmp_date")), name="pregnancy_end_after_lmp"
            ),
            # An outcome without an end date (or the reverse) leaves the mother's stage undecidable.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, outcome="") | (Q(ended_on__isnull=False) & ~Q(outcome="")),
                name="pregnancy_outcome_iff_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} HPHT {self.lmp_date:%d-%m-%Y}"

    @staticmethod
    def edd_for(lmp_date: dt.date) -> dt.date:
        return lmp_date + dt.timedelta(days=GESTATION_DAYS)

    def clean(self):
        if self.person_id and self.person.sex != SEX_FEMALE:
            raise ValidationError({"person": ERR_PREGNANCY_SEX})


class PersonMerge(BaseModel):
    """One merge of a duplicate person record into its survivor, kept for review (an event row)."""

    survivor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_survived", verbose_name=_("survivor")
    )
    merged = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_absorbed", verbose_name=_("merged record")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    # The duplicate as it was before the merge, plus which memberships were kept or closed and what moved.
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-merged_at", "-id"]
        constraints = [
            # A record is merged once; a second merge of the same duplicate would split its history.
            models.UniqueConstraint(fields=["merged"], name="person_merge_once"),
            # Merging a record into itself would delete nothing and move nothing, only confuse review.
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="person_merge_distinct"),
        ]

    def __str__(self) -> str:
        return f"{self.merged} -> {self.survivor}"


class MigrationDirection(models.TextChoices):
    IN = "in", _("moved in")
    OUT = "out", _("moved out")


class Migration(BaseModel):
    """A move into or out of the register's area (pindah datang / pindah keluar), an event row."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="migrations")
    direction = models.CharField(_("direction"), max_length=3, choices=MigrationDirection.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("from / to"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("migration")
        verbose_name_plural = _("migrations")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_direction_display()} {self.date:%d-%m-%Y}"
