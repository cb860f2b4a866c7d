"""Facilities (puskesmas, pustu, posyandu, other FKTP, hospitals), the jejaring fungsional, and the workforce.

Sources: KMK HK.01.07/MENKES/2015/2023 (Juknis ILP), `docs/ILP/00-pendahuluan/03-ilp-puskesmas.md`
(clusters), `04-ilp-pustu.md` (pustu), `05-ilp-posyandu.md` (posyandu for all life stages),
`01-klaster-1/03-manajemen-jejaring.md` and `06-integrasi-fasker/index.mdx` (network); ILP.md §1.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel
from ilp.regions.models import Level, Region


class FacilityKind(models.TextChoices):
    PUSKESMAS = "puskesmas", _("Puskesmas")
    PUSTU = "pustu", _("Pustu")
    POSYANDU = "posyandu", _("Posyandu")
    KLINIK_PRATAMA = "klinik_pratama", _("Primary clinic (klinik pratama)")
    PRAKTIK_DOKTER = "praktik_dokter", _("Independent doctor practice")
    PRAKTIK_BIDAN = "praktik_bidan", _("Independent midwife practice (PMB)")
    LABORATORIUM = "laboratorium", _("Laboratory")
    APOTEK = "apotek", _("Pharmacy (apotek)")
    RUMAH_SAKIT = "rumah_sakit", _("Hospital")


# Where each kind must sit in the region tree and which kind may be its parent facility.
KIND_REGION_LEVEL = {
    FacilityKind.PUSKESMAS: (Level.DISTRICT, Level.VILLAGE),
    FacilityKind.PUSTU: (Level.VILLAGE,),
    FacilityKind.POSYANDU: (Level.VILLAGE, Level.DUSUN, Level.RW),
}
KIND_PARENT = {
    FacilityKind.PUSTU: (FacilityKind.PUSKESMAS,),
    FacilityKind.POSYANDU: (FacilityKind.PUSTU, FacilityKind.PUSKESMAS),
}
NETWORK_KINDS = (
    FacilityKind.KLINIK_PRATAMA,
    FacilityKind.PRAKTIK_DOKTER,
    FacilityKind.PRAKTIK_BIDAN,
    FacilityKind.LABORATORIUM,
    FacilityKind.APOTEK,
    FacilityKind.RUMAH_SAKIT,
)


ERR_PUSTU_OUTSIDE_AREA = _("The desa of a pustu must be in the working area of its puskesmas.")


class IlpStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PREPARING = "preparing", _("Preparing")
    RUNNING = "running", _("Running")


class Facility(BaseModel):
    """Any place that gives or organises care. One table, so scope, referral and FHIR treat all alike."""

    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices, db_index=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("location (region)")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Puskesmas only.
    inpatient = models.BooleanField(_("inpatient care (rawat inap)"), default=False)
    ilp_status = models.CharField(
        _("ILP status"), max_length=20, choices=IlpStatus.choices, default=IlpStatus.NOT_STARTED
    )
    ilp_start_date = models.DateField(_("ILP start date"), null=True, blank=True)
    ilp_pilot = models.BooleanField(_("ILP pilot"), default=False)
    working_area = models.ManyToManyField(
        Region,
        through="WorkingAreaVillage",
        related_name="puskesmas_working_area",
        blank=True,
        verbose_name=_("working area (wilayah kerja)"),
    )
    # Posyandu only: the day of the month it opens (ILP.md §1.4: monthly; exact day rules ❓).
    schedule_day = models.PositiveSmallIntegerField(_("opening day of the month"), null=True, blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["kind", "name"]
        constraints = [
            # A posyandu meets once a month on a calendar day; 29-31 would skip short months.
            models.CheckConstraint(
                condition=models.Q(schedule_day__isnull=True) | models.Q(schedule_day__gte=1, schedule_day__lte=28),
                name="facility_schedule_day_range",
            ),
            # ILP puts one pustu in every desa/kelurahan (Juknis ILP 00-pendahuluan/04-ilp-pustu.md).
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(kind="pustu"), name="facility_one_pustu_per_desa"
            ),
        ]
        indexes = [models.Index(fields=["kind", "region"], name="facility_kind_region_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        levels = KIND_REGION_LEVEL.get(self.kind)
        if levels and self.region_id and self.region.level not in levels:
            errors["region"] = _("A %(kind)s must be located in a %(levels)s.") % {
                "kind": self.get_kind_display(),
                "levels": " / ".join(str(Level(lvl).label) for lvl in levels),
            }
        parents = KIND_PARENT.get(self.kind)
        if parents:
            if self.parent_id is None:
                errors["parent"] = _("A %(kind)s must belong to a %(parent)s.") % {
                    "kind": self.get_kind_display(),
                    "parent": " / ".join(str(FacilityKind(k).label) for k in parents),
                }
            elif self.parent.kind not in parents:
                errors["parent"] = _("A %(kind)s cannot be part of a %(parent)s.") % {
                    "kind": self.get_kind_display(),
                    "parent": self.parent.get_kind_display(),
                }
        if (
            self.kind == FacilityKind.PUSTU
            and self.parent_id
            and self.region_id
            and self.parent.kind == FacilityKind.PUSKESMAS
            and not self.parent.working_area_links.filter(village_id=self.region_id).exists()
        ):
            errors["region"] = ERR_PUSTU_OUTSIDE_AREA
        if self.kind != FacilityKind.POSYANDU and self.schedule_day is not None:
            errors["schedule_day"] = _("Only a posyandu has an opening day.")
        if self.schedule_day is not None and not 1 <= self.schedule_day <= 28:
            errors["schedule_day"] = _("The opening day must be between 1 and 28.")
        if errors:
            raise ValidationError(errors)

    @property
    def puskesmas_id(self) -> int | None:
        """The puskesmas this facility belongs to (itself for a puskesmas), without a query."""
        if self.kind == FacilityKind.PUSKESMAS:
            return self.pk
        return self.parent_id if self.kind == FacilityKind.PUSTU else None


class WorkingAreaVillage(models.Model):
    """A desa/kelurahan in the working area (wilayah kerja) of a puskesmas."""

    puskesmas = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="working_area_links", verbose_name=_("puskesmas")
    )
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))

    class Meta:
        verbose_name = _("working-area village")
        verbose_name_plural = _("working-area villages")
        constraints = [
            # A desa is served by exactly one puskesmas: sasaran would be counted twice otherwise.
            models.UniqueConstraint(fields=["village"], name="workingarea_village_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.puskesmas} — {self.village.name}"

    def clean(self):
        if self.village_id and self.village.level != Level.VILLAGE:
            raise ValidationError({"village": _("Only a desa/kelurahan can be in a working area.")})


class NetworkRole(models.TextChoices):
    SERVICE = "service", _("Service provider")
    REFERRAL = "referral", _("Referral target")
    LAB = "lab", _("Laboratory examinations")
    PHARMACY = "pharmacy", _("Pharmacy services")
    REPORTING = "reporting", _("Reporting only")


class AgreementType(models.TextChoices):
    MOU = "mou", _("MoU")
    PKS = "pks", _("Cooperation agreement (PKS)")
    SK = "sk", _("Decree of the head of the Dinkes (SK)")


class ReportingDuty(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    QUARTERLY = "quarterly", _("Quarterly report")
    PER_CASE = "per_case", _("Per case (notification)")
    NONE = "none", _("No reporting duty")


class NetworkMember(BaseModel):
    """A member of the jejaring fungsional of a puskesmas, bound by an agreement (Juknis ILP, Bab VI)."""

    puskesmas = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        related_name="network_members",
        verbose_name=_("puskesmas"),
        limit_choices_to={"kind": FacilityKind.PUSKESMAS},
    )
    member = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role in the network"), max_length=20, choices=NetworkRole.choices)
    services = models.TextField(_("services provided"), blank=True)
    agreement_type = models.CharField(_("agreement type"), max_length=10, choices=AgreementType.choices)
    agreement_number = models.CharField(_("agreement number"), max_length=100, blank=True)
    agreement_date = models.DateField(_("agreement date"))
    agreement_end = models.DateField(_("agreement valid until"), null=True, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=255, blank=True)
    reporting_duty = models.CharField(
        _("reporting duty"), max_length=20, choices=ReportingDuty.choices, default=ReportingDuty.MONTHLY
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("functional network (jejaring)")
        ordering = ["puskesmas", "member__name"]
        constraints = [
            # One agreement row per member and puskesmas; renewals update dates on the same row.
            models.UniqueConstraint(fields=["puskesmas", "member"], name="networkmember_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.puskesmas})"

    def clean(self):
        errors = {}
        if self.puskesmas_id and self.puskesmas.kind != FacilityKind.PUSKESMAS:
            errors["puskesmas"] = _("The network must belong to a puskesmas.")
        if self.member_id and self.member.kind not in NETWORK_KINDS:
            errors["member"] = _("Only other FKTP, laboratories, pharmacies and hospitals join the network.")
        if self.agreement_end and self.agreement_date and self.agreement_end < self.agreement_date:
            errors["agreement_end"] = _("The end date is before the agreement date.")
        if errors:
            raise ValidationError(errors)


class Cluster(models.TextChoices):
    """Puskesmas clusters (Juknis ILP `00-pendahuluan/03-ilp-puskesmas.md`; ILP.md §1.2)."""

    MANAGEMENT = "k1", _("Cluster 1 Management")
    MOTHER_CHILD = "k2", _("Cluster 2 Mother and Child")
    ADULT_ELDERLY = "k3", _("Cluster 3 Adults and Elderly")
    COMMUNICABLE = "k4", _("Cluster 4 Communicable Disease Control")
    CROSS = "lintas", _("Cross-cluster")


class Profession(models.TextChoices):
    DOKTER = "dokter", _("Doctor")
    DOKTER_GIGI = "dokter_gigi", _("Dentist")
    BIDAN = "bidan", _("Midwife (bidan)")
    PERAWAT = "perawat", _("Nurse (perawat)")
    PERAWAT_GIGI = "perawat_gigi", _("Dental therapist")
    GIZI = "gizi", _("Nutritionist")
    KESLING = "kesling", _("Environmental health officer")
    PROMKES = "promkes", _("Health promotion officer")
    ANALIS = "analis", _("Laboratory technologist")
    APOTEKER = "apoteker", _("Pharmacist")
    TTK = "ttk", _("Pharmacy technician")
    EPIDEMIOLOG = "epidemiolog", _("Epidemiologist")
    ADMIN = "admin", _("Administration")
    RM = "rekam_medis", _("Medical records officer")


class HealthWorker(BaseModel):
    """A tenaga kesehatan or staff member, assigned to one cluster (every staff member has one)."""

    name = models.CharField(_("name"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="health_workers", verbose_name=_("facility")
    )
    cluster = models.CharField(_("cluster"), max_length=10, choices=Cluster.choices, blank=True)
    is_cluster_lead = models.BooleanField(_("cluster lead (PJ)"), default=False)
    # The kepala puskesmas stands above the clusters (Juknis ILP `00-pendahuluan/03-ilp-puskesmas.md`).
    is_head = models.BooleanField(_("head of the facility (kepala)"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("health worker")
        verbose_name_plural = _("health workers")
        ordering = ["facility", "cluster", "name"]
        constraints = [
            # "Each cluster has a PJ": one lead per cluster and puskesmas, so the PJ is unambiguous.
            models.UniqueConstraint(
                fields=["facility", "cluster"],
                condition=models.Q(is_cluster_lead=True),
                name="healthworker_one_lead_per_cluster",
            ),
            # One kepala per facility.
            models.UniqueConstraint(
                fields=["facility"], condition=models.Q(is_head=True), name="healthworker_one_head"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.is_cluster_lead and not self.cluster:
            raise ValidationError({"is_cluster_lead": _("A cluster lead needs a cluster.")})


class KaderTier(models.TextChoices):
    """Certification tiers (ILP.md §1.6, ◐ secondary sources)."""

    NONE = "", _("Not certified")
    PURWA = "purwa", _("Kader Purwa")
    MADYA = "madya", _("Kader Madya")
    UTAMA = "utama", _("Kader Utama")


class Kader(BaseModel):
    """A posyandu kader: a community volunteer assigned to one posyandu."""

    name = models.CharField(_("name"), max_length=150)
    posyandu = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="kaders",
        verbose_name=_("posyandu"),
        limit_choices_to={"kind": FacilityKind.POSYANDU},
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    trained_on = models.DateField(_("ILP kader training date"), null=True, blank=True)
    tier = models.CharField(_("certification tier"), max_length=10, choices=KaderTier.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("kader")
        verbose_name_plural = _("kader")
        ordering = ["posyandu", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.posyandu_id and self.posyandu.kind != FacilityKind.POSYANDU:
            raise ValidationError({"posyandu": _("A kader belongs to a posyandu.")})


class CompetencyGroup(models.TextChoices):
    """The five basic kader competencies (ILP.md §1.6; the itemised 25 skills are ❓, kept as data)."""

    POSYANDU = "posyandu", _("Managing the posyandu")
    INFANT = "infant", _("Infants and toddlers")
    PREGNANT = "pregnant", _("Pregnant and breastfeeding women")
    SCHOOL = "school", _("School age and adolescents")
    ADULT = "adult", _("Adults and elderly")


class KaderCompetency(BaseModel):
    """One assessment of one basic competency of a kader; the latest per group counts."""

    kader = models.ForeignKey(Kader, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("kader"))
    group = models.CharField(_("competency"), max_length=20, choices=CompetencyGroup.choices)
    attained = models.BooleanField(_("attained"), default=False)
    skills_attained = models.PositiveSmallIntegerField(_("skills attained"), default=0)
    skills_total = models.PositiveSmallIntegerField(_("skills in the group"), default=5)
    assessed_on = models.DateField(_("date assessed"))
    assessor = models.CharField(_("assessed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("kader competency assessment")
        verbose_name_plural = _("kader competency assessments")
        ordering = ["kader", "group", "-assessed_on"]
        constraints = [
            # Two results for the same competency on the same day would contradict each other.
            models.UniqueConstraint(fields=["kader", "group", "assessed_on"], name="kadercompetency_unique_day"),
            models.CheckConstraint(
                condition=models.Q(skills_attained__lte=models.F("skills_total")),
                name="kadercompetency_skills_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kader} — {self.get_group_display()}"
