"""Encounters with their observations and services, referrals and home visits (issue #4).

An encounter is one contact of a person with the health system on a day, at a place (posyandu, pustu,
puskesmas cluster, school, home visit, another FKTP of the network), by a kader or a health worker.
What was measured is a row per observation, what was given a row per service; status changes of an
encounter or a referral are event rows, never a JSON history (ARCHITECTURE.md, habits).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel


class Place(models.TextChoices):
    """Where a service is given (ILP.md §2: puskesmas / pustu / posyandu / kunjungan rumah, plus school and network)."""

    POSYANDU = "posyandu", _("Posyandu")
    PUSTU = "pustu", _("Pustu")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    SCHOOL = "school", _("School")
    HOME = "home", _("Home visit")
    NETWORK = "network", _("Other FKTP in the network")


class RecorderKind(models.TextChoices):
    KADER = "kader", _("Kader")
    HEALTH_WORKER = "nakes", _("Health worker")


class EncounterStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    CORRECTED = "corrected", _("corrected")
    VOIDED = "voided", _("voided")


class ObservationKind(models.TextChoices):
    """What can be measured or asked; numeric unless noted. Ranges: `lifecycle.rules.ranges`."""

    WEIGHT = "weight_kg", _("weight (kg)")
    LENGTH_HEIGHT = "length_height_cm", _("length/height (cm)")
    MEASURE = "measure", _("measured lying (L) or standing (H)")  # code L/H
    HEAD_CIRCUMFERENCE = "head_circumference_cm", _("head circumference (cm)")
    MUAC = "muac_cm", _("upper-arm circumference, LiLA (cm)")
    WAIST = "waist_cm", _("waist circumference (cm)")
    OEDEMA = "oedema", _("bilateral pitting oedema")  # code y/n
    SYSTOLIC = "systolic_mmhg", _("systolic blood pressure (mmHg)")
    DIASTOLIC = "diastolic_mmhg", _("diastolic blood pressure (mmHg)")
    TEMPERATURE = "temperature_c", _("body temperature (°C)")
    HB = "haemoglobin_g_dl", _("haemoglobin (g/dL)")
    GLUCOSE_RANDOM = "glucose_random_mg_dl", _("random blood glucose, GDS (mg/dL)")
    GLUCOSE_FASTING = "glucose_fasting_mg_dl", _("fasting blood glucose, GDP (mg/dL)")
    HBA1C = "hba1c_percent", _("HbA1c (%)")
    HIV = "hiv_test", _("HIV test")  # code pos/neg
    SYPHILIS = "syphilis_test", _("syphilis test")  # code pos/neg
    HEPATITIS_B = "hepatitis_b_test", _("hepatitis B test")  # code pos/neg
    KPSP = "kpsp_yes", _("KPSP: answers 'yes' (0-10)")
    SRQ20 = "srq20_score", _("SRQ-20 score (0-20)")
    PUMA = "puma_score", _("PUMA score")
    ADL = "adl_score", _("ADL (Barthel) score (0-20)")
    SKILAS = "skilas_positive", _("SKILAS: positive domains")  # code: comma-separated domains, or "none"
    TB_SYMPTOMS = "tb_symptoms", _("TB symptom screening")  # code presumptive/not_presumptive/contact
    SMOKING = "smoking", _("smokes")  # code y/n
    SDQ = "sdq_score", _("SDQ total difficulties (0-40)")
    MINI_COG = "mini_cog_score", _("Mini-Cog score (0-5)")
    VISION = "vision", _("vision screening")  # code normal/impaired
    HEARING = "hearing", _("hearing screening")  # code normal/impaired
    DELIVERY_PLACE = "delivery_place", _("place of delivery")  # code health_facility/home/on_the_way
    DELIVERY_ATTENDANT = "delivery_attendant", _("delivery attendant")  # code doctor/midwife/nurse/traditional/none
    # Derived at recording time from the measurements (WHO 2006/2007), stored so indicators read facts.
    Z_WFA = "z_wfa", _("weight-for-age z-score")
    Z_LHFA = "z_lhfa", _("length/height-for-age z-score")
    Z_WFLH = "z_wflh", _("weight-for-length/height z-score")
    Z_BMIFA = "z_bmifa", _("BMI-for-age z-score")
    Z_HCFA = "z_hcfa", _("head-circumference-for-age z-score")
    Z_ACFA = "z_acfa", _("arm-circumference-for-age z-score")
    # Derived at recording time from the weighings of a child under five (`rules.faltering`): the
    # `WeighingResult` value (gained/not_gained/not_gained_twice/not_weighed_last_month/new) as code.
    WEIGHT_TREND = "weight_trend", _("weight trend (N/T/2T/O/B)")


# Observations whose value is a code (`Observation.code`), not a number.
CODED_KINDS = frozenset(
    {
        ObservationKind.MEASURE,
        ObservationKind.OEDEMA,
        ObservationKind.HIV,
        ObservationKind.SYPHILIS,
        ObservationKind.HEPATITIS_B,
        ObservationKind.SKILAS,
        ObservationKind.TB_SYMPTOMS,
        ObservationKind.SMOKING,
        ObservationKind.VISION,
        ObservationKind.HEARING,
        ObservationKind.DELIVERY_PLACE,
        ObservationKind.DELIVERY_ATTENDANT,
        ObservationKind.WEIGHT_TREND,
    }
)
DERIVED_KINDS = frozenset(
    {
        ObservationKind.Z_WFA,
        ObservationKind.Z_LHFA,
        ObservationKind.Z_WFLH,
        ObservationKind.Z_BMIFA,
        ObservationKind.Z_HCFA,
        ObservationKind.Z_ACFA,
        ObservationKind.WEIGHT_TREND,
    }
)


class ServiceKind(models.TextChoices):
    """What was given or done; `ServiceGiven.code` and `dose` say which (e.g. immunisation DPT-HB-Hib 2)."""

    IMMUNISATION = "immunisation", _("immunisation")
    VITAMIN_A = "vitamin_a", _("vitamin A")
    DEWORMING = "deworming", _("deworming (obat cacing)")
    IRON_FOLATE = "ttd", _("iron-folate tablets (TTD)")
    SUPPLEMENTARY_FOOD = "pmt", _("supplementary feeding (PMT)")
    ANC = "anc", _("antenatal care contact (K)")
    POSTNATAL = "kf", _("postpartum visit (KF)")
    NEONATAL = "kn", _("neonatal visit (KN)")
    DELIVERY = "delivery", _("delivery")
    FAMILY_PLANNING = "kb", _("family planning (KB)")
    COUNSELLING = "counselling", _("counselling")
    BREAST_EXAM = "sadanis", _("clinical breast examination (SADANIS)")
    VIA = "iva", _("cervical screening (IVA)")
    MENTAL_HEALTH = "odgj", _("care for severe mental illness (ODGJ berat)")


class Encounter(BaseModel):
    """One contact of a person on a day at a place; observations and services hang from it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="encounters")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=20, choices=Place.choices)
    facility = models.ForeignKey(
        "facilities.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="encounters",
        verbose_name=_("facility"),
    )
    recorder_kind = models.CharField(_("recorded by"), max_length=10, choices=RecorderKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=EncounterStatus.choices, default=EncounterStatus.RECORDED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        ordering = ["-date", "-id"]
        indexes = [
            # The person page and every rule read a person's history newest first.
            models.Index(fields=["person", "date"], name="encounter_person_date_idx"),
            # The posyandu day and the PWS read a facility's month.
            models.Index(fields=["facility", "date"], name="encounter_facility_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%Y-%m-%d} {self.get_place_display()}"


class EncounterEvent(models.Model):
    """A status change of an encounter (recorded, corrected, voided), with who and why."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=12, choices=EncounterStatus.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.encounter_id}: {self.status}"


class Observation(models.Model):
    """One measured or asked value of an encounter."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="observations")
    kind = models.CharField(_("observation"), max_length=30, choices=ObservationKind.choices)
    value = models.FloatField(_("value"), null=True, blank=True)
    code = models.CharField(_("coded value"), max_length=100, blank=True)
    # An implausible (possible but unusual) value the recorder confirmed; it stays flagged for review.
    confirmed_implausible = models.BooleanField(_("implausible value confirmed"), default=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            # One value per kind per encounter: a correction replaces it (and is audited).
            models.UniqueConstraint(fields=["encounter", "kind"], name="observation_one_per_kind"),
            # A numeric kind carries a number, a coded kind a code.
            models.CheckConstraint(condition=Q(value__isnull=False) | ~Q(code=""), name="observation_has_value"),
        ]
        indexes = [models.Index(fields=["kind", "encounter"], name="observation_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind}={self.value if self.value is not None else self.code}"


class ServiceGiven(models.Model):
    """One service given in an encounter (a vaccine dose, vitamin A, an ANC contact K2, …)."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    code = models.CharField(_("which"), max_length=30, blank=True)
    dose = models.PositiveSmallIntegerField(_("dose / visit number"), null=True, blank=True)

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        constraints = [
            models.UniqueConstraint(fields=["encounter", "kind", "code", "dose"], name="service_once_per_encounter")
        ]
        indexes = [models.Index(fields=["kind", "code"], name="service_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.code} {self.dose or ''}".strip()


class ReferralLevel(models.TextChoices):
    """The referral chain posyandu → pustu → puskesmas → hospital (ILP.md §1.3-§1.5)."""

    POSYANDU = "posyandu", _("Posyandu")
    PUSTU = "pustu", _("Pustu")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    HOSPITAL = "hospital", _("Hospital (FKRTL)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent (dikirim)")
    RECEIVED = "received", _("received (diterima)")
    HANDLED = "handled", _("handled (ditangani)")
    REFERRED_BACK = "referred_back", _("referred back (rujuk balik)")
    FOLLOWED_UP = "followed_up", _("followed up after return")
    CANCELLED = "cancelled", _("cancelled")


class Referral(BaseModel):
    """A referral of a person up the chain, suggested by flags; its status changes are `ReferralEvent` rows."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    encounter = models.ForeignKey(Encounter, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    date = models.DateField(_("date"))
    from_level = models.CharField(_("from"), max_length=12, choices=ReferralLevel.choices)
    to_level = models.CharField(_("to"), max_length=12, choices=ReferralLevel.choices)
    to_facility = models.ForeignKey(
        "facilities.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_in",
        verbose_name=_("to facility"),
    )
    reasons = models.JSONField(_("reasons (flag codes)"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.SENT)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "status"], name="referral_person_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.get_to_level_display()} ({self.get_status_display()})"


class ReferralEvent(models.Model):
    """One step of a referral (dikirim, diterima, ditangani, rujuk balik, follow-up), with date and note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=15, choices=ReferralStatus.choices)
    date = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status} {self.date:%Y-%m-%d}"


class HomeVisit(BaseModel):
    """A kunjungan rumah to a family (ILP.md §1.5); the worklist items it addressed are closed by it."""

    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="home_visits")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="home_visits"
    )
    date = models.DateField(_("date"))
    recorder_kind = models.CharField(_("visited by"), max_length=10, choices=RecorderKind.choices)
    # Worklist reason codes this visit addressed (`lifecycle.worklist.Reason`).
    reasons = models.JSONField(_("addressed"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["family", "date"], name="homevisit_family_date_idx")]

    def __str__(self) -> str:
        return f"{self.family} {self.date:%Y-%m-%d}"


class HomeVisitRequest(BaseModel):
    """A person asked to be visited at home, e.g. from the PWS for someone missing from an indicator.

    Sweeping those who did not come is a kunjungan rumah task (ILP.md §1.5); the PWS notifies the pustu of
    cases to follow up (ILP.md §3.2). The request stays on the home-visit worklist until a home visit
    closes it (`closed_by`, `closed_on`).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="home_visit_requests")
    # The person's current family when the request was made; the worklist follows the person's current one.
    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="home_visit_requests")
    requested_on = models.DateField(_("requested on"))
    reason = models.CharField(_("reason"), max_length=200)
    # A machine code of who asked (e.g. "pws:child_weighed"): one open request per person and source.
    source = models.CharField(_("source"), max_length=50, blank=True)
    closed_by = models.ForeignKey(
        HomeVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_requests"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("home visit request")
        verbose_name_plural = _("home visit requests")
        ordering = ["-requested_on", "-id"]
        constraints = [
            # Asking again from the same indicator while a request is open adds nothing (idempotent add).
            models.UniqueConstraint(
                fields=["person", "source"], condition=Q(closed_on__isnull=True), name="homevisitrequest_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.requested_on:%Y-%m-%d}: {self.reason}"
