"""Staging of imports: one batch per uploaded file, one row per data row of the file with its outcome."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel


class BatchStatus(models.TextChoices):
    STAGED = "staged", _("staged")
    VALIDATED = "validated", _("validated")
    COMMITTED = "committed", _("committed")
    FAILED = "failed", _("failed")


class BatchKind(models.TextChoices):
    PEOPLE = "people", _("families and persons")


class RowOutcome(models.TextChoices):
    NEW = "new", _("new")
    UNCHANGED = "unchanged", _("unchanged")
    UPDATED = "updated", _("updated")
    REJECTED = "rejected", _("rejected")


class ImportBatch(BaseModel):
    """One uploaded file on its way into the register: staged, validated, then committed (or failed)."""

    kind = models.CharField(_("kind"), max_length=20, choices=BatchKind.choices, default=BatchKind.PEOPLE)
    file_name = models.CharField(_("file name"), max_length=255)
    # The upload kept for the background task; the CLI reads the file where it lies and stores nothing.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.STAGED)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # Rows done of rows to do in the running step; the batch page draws its progress bar from them.
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows to do"), default=0)
    # True while a background task works on the batch (the page polls until it is False).
    running = models.BooleanField(_("running"), default=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ImportRow(models.Model):
    """One data row of the file as read (`raw`), its outcome and errors; row 1 is the header."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    raw = models.JSONField(_("data as read"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RowOutcome.choices, blank=True)
    # [{"field": column, "message": text}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Assigned at validation and used by the commit, so the created ids are known without a second write.
    person_external_id = models.UUIDField(_("person"), null=True, blank=True)
    family_external_id = models.UUIDField(_("family"), null=True, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "row_number"]
        constraints = [
            # A file row is staged once per batch; re-staging replaces the batch's rows.
            models.UniqueConstraint(fields=["batch", "row_number"], name="importrow_batch_row_unique"),
        ]
        indexes = [
            # The batch page lists the first rejected rows of a batch.
            models.Index(fields=["batch", "outcome", "row_number"], name="importrow_batch_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.outcome}"
