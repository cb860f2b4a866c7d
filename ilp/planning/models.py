"""The ILP improvement cycle of a puskesmas and its network: readiness, targets, roles, priority problems,
the RTL as a care pathway, its implementation, monitoring, risks, the lokakarya mini and the evaluation.

Sources: Juknis ILP (KMK HK.01.07/MENKES/2015/2023) `docs/ILP/06-integrasi-fasker/index.mdx` (the five
steps: jejaring fungsional, masalah prioritas, RTL as a care pathway, implementation, monthly monitoring
and 6/12-monthly evaluation), `docs/ILP/01-klaster-1/01-manajemen-inti.mdx` (SK Target Kinerja by the end
of February, lokakarya mini monthly and quarterly), `01-klaster-1/03-manajemen-jejaring.md` (network by
MoU/PKS); ILP.md §1.7, §1.8, §5 (USG, Hanlon, fishbone; RTL columns are a convention ❓).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel
from ilp.facilities.models import Facility, NetworkMember
from ilp.regions.models import Region


class Party(models.TextChoices):
    """The parties of ILP (Juknis ILP Bab VIII "Peran lintas sektor"; ILP.md §1.7, §1.8)."""

    DINKES = "dinkes", _("Dinkes")
    KEPALA_PUSKESMAS = "kapus", _("Head of puskesmas")
    CLUSTER_1 = "k1", _("Cluster 1 Management")
    CLUSTER_2 = "k2", _("Cluster 2 Mother and Child")
    CLUSTER_3 = "k3", _("Cluster 3 Adults and Elderly")
    CLUSTER_4 = "k4", _("Cluster 4 Communicable Disease Control")
    PUSTU = "pustu", _("Pustu")
    KADER = "kader", _("Posyandu / kader")
    PEMDES = "pemdes", _("Village government (pemdes)")
    TP_PKK = "pkk", _("TP-PKK")
    KECAMATAN = "kecamatan", _("Kecamatan")
    LINTAS_SEKTOR = "lintas", _("Other sectors")
    NETWORK = "jejaring", _("Network facility")


class RaciLetter(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class ReadinessItem(models.TextChoices):
    """The ILP readiness checklist of a puskesmas (Juknis ILP `00-pendahuluan/03-ilp-puskesmas.md`,
    `04-ilp-pustu.md`, `05-ilp-posyandu.md`; the list is ours, kept as data ❓)."""

    CLUSTER_SK = "cluster_sk", _("SK of the cluster organisation signed")
    STAFF_IN_CLUSTERS = "staff_clusters", _("Every staff member in a cluster, each cluster with a PJ")
    PUSTU_STAFFED = "pustu_staffed", _("A pustu in every desa with at least one nurse and one midwife")
    POSYANDU_ALL_AGES = "posyandu_all_ages", _("Posyandu in every desa serving all life stages")
    KADER_COMPETENT = "kader_competent", _("Kader trained in the five basic competencies")
    NETWORK_AGREEMENTS = "network", _("Network agreements (MoU/PKS) signed")
    SATUSEHAT = "satusehat", _("Connected to SATUSEHAT")
    TARGETS_SK = "targets_sk", _("SK Target Kinerja signed")
    LOKMIN = "lokmin", _("Monthly lokakarya mini held")


class ReadinessCheck(BaseModel):
    """One checklist item of one puskesmas, ticked with its evidence and date."""

    puskesmas = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("puskesmas"))
    item = models.CharField(_("item"), max_length=30, choices=ReadinessItem.choices)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("date"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("readiness check")
        verbose_name_plural = _("readiness checks")
        constraints = [
            # One answer per item: two would contradict each other.
            models.UniqueConstraint(fields=["puskesmas", "item"], name="readinesscheck_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.puskesmas} — {self.get_item_display()}"


class TargetDecree(BaseModel):
    """The SK Target Kinerja of a puskesmas for a year, signed by the kepala by the end of February
    (Juknis ILP `01-klaster-1/01-manajemen-inti.mdx`). Its success indicators are `SuccessIndicator` rows;
    their target percentages live in the PWS settings (`indicators.AreaSetting`) so the dashboards use them.
    """

    puskesmas = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("puskesmas"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("decree number"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("SK Target Kinerja")
        verbose_name_plural = _("SK Target Kinerja")
        constraints = [models.UniqueConstraint(fields=["puskesmas", "year"], name="targetdecree_unique_year")]

    def __str__(self) -> str:
        return f"SK Target Kinerja {self.puskesmas} {self.year}"


class SuccessIndicator(models.Model):
    """An indicator of the catalogue chosen as a success indicator in the decree."""

    decree = models.ForeignKey(TargetDecree, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(_("indicator"), max_length=40)

    class Meta:
        verbose_name = _("success indicator")
        verbose_name_plural = _("success indicators")
        constraints = [models.UniqueConstraint(fields=["decree", "indicator"], name="successindicator_unique")]

    def __str__(self) -> str:
        return self.indicator


class RaciActivity(BaseModel):
    """A row of the roles-and-responsibilities matrix of a puskesmas' ILP rollout."""

    puskesmas = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("puskesmas"))
    name = models.CharField(_("activity"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Party code -> R/A/C/I. A dict, not rows: the matrix is read and written whole.
    cells = models.JSONField(_("roles"), default=dict, blank=True)

    class Meta:
        verbose_name = _("RACI activity")
        verbose_name_plural = _("RACI matrix")
        ordering = ["puskesmas", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Method(models.TextChoices):
    USG = "usg", _("USG (Urgency, Seriousness, Growth)")
    HANLON = "hanlon", _("Hanlon (NPD and PEARL)")


class UsgAggregation(models.TextChoices):
    SUM = "sum", _("Sum U + S + G")
    PRODUCT = "product", _("Product U x S x G")


class CycleStage(models.TextChoices):
    NETWORK = "network", _("1. Functional network")
    PROBLEMS = "problems", _("2. Priority problems")
    RTL = "rtl", _("3. RTL (care pathway)")
    IMPLEMENTATION = "implementation", _("4. Implementation")
    MONITORING = "monitoring", _("5. Monitoring and evaluation")
    CLOSED = "closed", _("Closed")


class Cycle(BaseModel):
    """One improvement cycle of a puskesmas and its functional network (the Juknis' five steps)."""

    puskesmas = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("puskesmas"))
    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    started_on = models.DateField(_("started on"))
    stage = models.CharField(_("stage"), max_length=20, choices=CycleStage.choices, default=CycleStage.NETWORK)
    method = models.CharField(_("scoring method"), max_length=10, choices=Method.choices, default=Method.USG)
    usg_aggregation = models.CharField(
        _("USG total"), max_length=10, choices=UsgAggregation.choices, default=UsgAggregation.SUM
    )

    class Meta:
        verbose_name = _("ILP cycle")
        verbose_name_plural = _("ILP cycles")
        ordering = ["puskesmas", "-year", "-started_on"]

    def __str__(self) -> str:
        return self.name


class ProblemSource(models.TextChoices):
    BELOW_TARGET = "below_target", _("Below target")
    WORSENING = "worsening", _("Worsening trend")
    RED_DESA = "red_desa", _("Desa in red")
    DATA_QUALITY = "over_100", _("Coverage above 100% (data quality)")
    SMD = "smd", _("Community survey (SMD)")
    MMD = "mmd", _("Village meeting (MMD)")
    OTHER = "other", _("Entered by hand")


GENERATED_SOURCES = frozenset(
    {ProblemSource.BELOW_TARGET, ProblemSource.WORSENING, ProblemSource.RED_DESA, ProblemSource.DATA_QUALITY}
)

_SCORE_1_5 = [MinValueValidator(1), MaxValueValidator(5)]
_SCORE_0_10 = [MinValueValidator(0), MaxValueValidator(10)]


class Problem(BaseModel):
    """A candidate or priority problem of a cycle, with its evidence and its scores."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="problems", verbose_name=_("cycle"))
    title = models.CharField(_("problem"), max_length=255)
    source = models.CharField(_("source"), max_length=20, choices=ProblemSource.choices)
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    area_code = models.CharField(_("area"), max_length=30, blank=True)
    # What the facts said when the problem was generated (or what the surveyors wrote), shown as evidence.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    usg_u = models.PositiveSmallIntegerField(_("urgency"), null=True, blank=True, validators=_SCORE_1_5)
    usg_s = models.PositiveSmallIntegerField(_("seriousness"), null=True, blank=True, validators=_SCORE_1_5)
    usg_g = models.PositiveSmallIntegerField(_("growth"), null=True, blank=True, validators=_SCORE_1_5)
    hanlon_a = models.DecimalField(
        _("A: size"), max_digits=4, decimal_places=1, null=True, blank=True, validators=_SCORE_0_10
    )
    hanlon_b = models.DecimalField(
        _("B: seriousness"), max_digits=4, decimal_places=1, null=True, blank=True, validators=_SCORE_0_10
    )
    hanlon_c = models.DecimalField(
        _("C: effectiveness"), max_digits=4, decimal_places=1, null=True, blank=True, validators=_SCORE_0_10
    )
    pearl_p = models.BooleanField(_("Propriety"), default=True)
    pearl_e = models.BooleanField(_("Economic feasibility"), default=True)
    pearl_a = models.BooleanField(_("Acceptability"), default=True)
    pearl_r = models.BooleanField(_("Resources"), default=True)
    pearl_l = models.BooleanField(_("Legality"), default=True)
    is_priority = models.BooleanField(_("priority"), default=False)
    dismissed = models.BooleanField(_("dismissed"), default=False)
    rtl_approved_at = models.DateTimeField(_("RTL approved at"), null=True, blank=True)
    rtl_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["cycle", "id"]
        constraints = [
            # Generating twice updates the same candidate: one per (kind, indicator, area) and cycle.
            models.UniqueConstraint(
                fields=["cycle", "source", "indicator", "area_code"],
                condition=models.Q(
                    source__in=["below_target", "worsening", "red_desa", "over_100"],
                ),
                name="problem_unique_generated",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CauseCategory(models.TextChoices):
    """Fishbone bones (ILP.md §5: input Man, Money, Method, Machine/Material, and Environment)."""

    MAN = "man", _("Man (people)")
    MONEY = "money", _("Money")
    METHOD = "method", _("Method")
    MATERIAL = "material", _("Machine / material")
    ENVIRONMENT = "environment", _("Environment")


class RootCause(BaseModel):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="causes", verbose_name=_("problem"))
    category = models.CharField(_("category"), max_length=20, choices=CauseCategory.choices)
    text = models.CharField(_("cause"), max_length=255)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["problem", "category", "id"]

    def __str__(self) -> str:
        return self.text


class PathwayPhase(models.TextChoices):
    """From promotive to palliative, from before the visit to back home (Juknis ILP `06-integrasi-fasker`)."""

    PROMOTIVE = "promotive", _("Promotive")
    PREVENTIVE = "preventive", _("Preventive")
    SCREENING = "screening", _("Screening and case finding")
    CURATIVE = "curative", _("Curative")
    REHABILITATIVE = "rehabilitative", _("Rehabilitative")
    PALLIATIVE = "palliative", _("Palliative")


class BudgetSource(models.TextChoices):
    NONE = "", _("No cost")
    BOK = "bok", _("BOK")
    DANA_DESA = "dana_desa", _("Dana Desa")
    APBD = "apbd", _("APBD")
    JKN = "jkn", _("JKN capitation")
    DONOR = "donor", _("Donor (e.g. Global Fund)")
    OTHER = "other", _("Other")


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    CANCELLED = "cancelled", _("Cancelled")


class PathwayStep(BaseModel):
    """One step of the RTL care pathway of a priority problem: who does what, where, measured by which
    indicator from which baseline to which target by when, with its budget."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps", verbose_name=_("problem"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    phase = models.CharField(_("phase"), max_length=20, choices=PathwayPhase.choices)
    title = models.CharField(_("step"), max_length=200)
    activities = models.TextField(_("activities"), blank=True)
    party = models.CharField(_("done by"), max_length=20, choices=Party.choices)
    # The pustu, posyandu or network facility doing the step, when it is one.
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )
    # The desa where it happens; for the pemdes, the desa whose government does it.
    village = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa")
    )
    person_in_charge = models.CharField(_("person in charge"), max_length=150)
    indicator = models.CharField(_("indicator"), max_length=40)
    baseline_pct = models.DecimalField(_("baseline (%)"), max_digits=6, decimal_places=1, null=True, blank=True)
    baseline_period = models.DateField(_("baseline month"), null=True, blank=True)
    target_pct = models.DecimalField(_("target (%)"), max_digits=6, decimal_places=1)
    due_on = models.DateField(_("target date"))
    budget = models.DecimalField(_("budget (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    budget_source = models.CharField(_("budget source"), max_length=20, choices=BudgetSource.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.PLANNED)
    # Set when a lokakarya mini decision created the step.
    from_decision = models.ForeignKey(
        "WorkshopDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("RTL step")
        verbose_name_plural = _("RTL steps")
        ordering = ["problem", "order", "id"]
        indexes = [models.Index(fields=["party", "village"], name="pathwaystep_party_village_idx")]

    def __str__(self) -> str:
        return self.title


def _evidence_path(instance, filename: str) -> str:
    return f"planning/evidence/{instance.step.external_id}/{filename}"


class StepEvent(models.Model):
    """A status change or progress note of a step, with its evidence: the implementation log."""

    step = models.ForeignKey(PathwayStep, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    issue = models.TextField(_("issues met"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("step event")
        verbose_name_plural = _("step events")
        ordering = ["step", "at", "id"]

    def __str__(self) -> str:
        return f"{self.step} — {self.get_status_display()} {self.on:%d-%m-%Y}"


class Level5(models.IntegerChoices):
    VERY_LOW = 1, _("1 very low")
    LOW = 2, _("2 low")
    MEDIUM = 3, _("3 medium")
    HIGH = 4, _("4 high")
    VERY_HIGH = 5, _("5 very high")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Being mitigated")
    CLOSED = "closed", _("Closed")


class Risk(BaseModel):
    """The risk register of a cycle: challenges and risks with their mitigation and owner."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="risks", verbose_name=_("cycle"))
    challenge = models.CharField(_("challenge or risk"), max_length=255)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Level5.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level5.choices)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=20, choices=Party.choices)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risk register")
        ordering = ["cycle", "-id"]

    def __str__(self) -> str:
        return self.challenge

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class WorkshopKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly lokakarya mini")
    QUARTERLY = "quarterly", _("Quarterly lokakarya mini (lintas sektor)")


class Workshop(BaseModel):
    """A lokakarya mini (Juknis ILP `01-klaster-1/01-manajemen-inti.mdx`, P2): the agenda generated from
    the data when it was prepared, who attended, and what was decided."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("cycle"))
    kind = models.CharField(_("kind"), max_length=20, choices=WorkshopKind.choices, default=WorkshopKind.MONTHLY)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    agenda = models.JSONField(_("agenda"), default=dict, blank=True)
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One name and role per line."))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("lokakarya mini")
        verbose_name_plural = _("lokakarya mini")
        ordering = ["cycle", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d-%m-%Y}"


class DecisionAction(models.TextChoices):
    NOTE = "note", _("Recorded only")
    NEW_STEP = "new_step", _("New RTL step")
    STEP_UPDATE = "step_update", _("Change to an RTL step")


class WorkshopDecision(BaseModel):
    """A decision of a lokakarya mini; a new or changed RTL step is written back to the pathway."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    action = models.CharField(_("action"), max_length=20, choices=DecisionAction.choices, default=DecisionAction.NOTE)
    step = models.ForeignKey(
        PathwayStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions", verbose_name=_("step")
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class EvaluationDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    CHANGE = "change", _("Change")
    END = "end", _("End")


class Evaluation(BaseModel):
    """The 6- or 12-monthly evaluation by the Dinkes (Juknis ILP `06-integrasi-fasker/index.mdx`, step 5)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("cycle"))
    months = models.PositiveSmallIntegerField(_("period (months)"), choices=[(6, "6"), (12, "12")])
    evaluated_on = models.DateField(_("date"))
    # What the indicators said per network member when evaluated (the page recomputes it live until then).
    findings = models.JSONField(_("findings"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["cycle", "-evaluated_on"]


class MemberDecision(models.Model):
    """Whether the arrangement with one network member continues, changes or ends."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="decisions")
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=EvaluationDecision.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("network decision")
        verbose_name_plural = _("network decisions")
        constraints = [models.UniqueConstraint(fields=["evaluation", "member"], name="memberdecision_unique")]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_decision_display()}"
