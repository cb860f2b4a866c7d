"""Import of families and persons from a file (staged, validated in the background, then committed) and export."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ilp.interop.excel.export import EXPORT_FORMATS, people_export
from ilp.interop.excel.sheets import write_error_sheet, write_template
from ilp.interop.models import BatchStatus, ImportBatch, RowOutcome
from ilp.interop.tasks import import_commit as commit_task
from ilp.interop.tasks import import_validate
from ilp.regions.selectors import region_list
from ilp.web.permissions import is_read_only
from ilp.web.views.common import is_partial

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 100
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("The file must be a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


class ExportForm(forms.Form):
    wilayah = forms.CharField(label=gettext_lazy("Region code"), max_length=40)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[(f, f) for f in EXPORT_FORMATS])


def _require_person_level(request) -> None:
    if not request.scope.person_level:
        raise PermissionDenied


def _require_importer(request) -> None:
    # Only roles that register families import them; pemdes and lintas sektor read only.
    _require_person_level(request)
    if is_read_only(request.user):
        raise PermissionDenied


def _my_batch(request, external_id) -> ImportBatch:
    return get_object_or_404(ImportBatch, external_id=external_id, created_by=request.user)


@login_required
def import_list(request):
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from ilp.interop.excel.people_import import batch_create

        upload = form.cleaned_data["file"]
        batch = batch_create(name=upload.name, data=upload.read(), actor=request.user, keep_file=True)
        ImportBatch.objects.filter(pk=batch.pk).update(running=True)
        transaction.on_commit(lambda: import_validate.enqueue(batch.pk))
        return redirect("web:import_detail", external_id=batch.external_id)
    batches = ImportBatch.objects.filter(created_by=request.user)[:50]
    return render(request, "web/imports/list.html", {"form": form, "batches": batches})


@login_required
def import_detail(request, external_id):
    _require_importer(request)
    batch = _my_batch(request, external_id)
    errors = []
    if not batch.running and batch.rejected:
        rejected = batch.rows.filter(outcome=RowOutcome.REJECTED).order_by("row_number")
        for row_errors in rejected.values_list("errors", flat=True)[:ERRORS_SHOWN]:
            errors += row_errors
    can_commit = batch.status == BatchStatus.VALIDATED and batch.accepted > 0
    context = {"batch": batch, "errors": errors[:ERRORS_SHOWN], "can_commit": can_commit}
    template = "web/imports/_status.html" if is_partial(request) else "web/imports/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request, external_id):
    _require_importer(request)
    batch = _my_batch(request, external_id)
    # A double click must not enqueue two commits: only the request that flips `running` enqueues.
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.VALIDATED, running=False).update(running=True)
    if claimed:
        transaction.on_commit(lambda: commit_task.enqueue(batch.pk))
    return redirect("web:import_detail", external_id=batch.external_id)


@login_required
def import_template(request):
    _require_importer(request)
    out = io.BytesIO()
    write_template(out)
    return _download(out.getvalue(), "templat-impor-keluarga.xlsx", XLSX)


@login_required
def import_errors(request, external_id):
    _require_importer(request)
    batch = _my_batch(request, external_id)
    out = io.BytesIO()
    write_error_sheet(batch, out)
    return _download(out.getvalue(), f"kesalahan-{batch.external_id}.xlsx", XLSX)


@login_required
def people_export_view(request):
    _require_person_level(request)
    form = ExportForm(request.GET or None)
    if form.is_valid():
        scope = request.scope
        code = form.cleaned_data["wilayah"].strip()
        region = region_list(scope=scope, include_ancestors=False).filter(code=code).first()
        if region is None:
            form.add_error("wilayah", _("No region with this code in your working area."))
        else:
            fmt = form.cleaned_data["format"]
            out = io.BytesIO()
            people_export(scope=scope, area=region, fmt=fmt, out=out, user=request.user)
            content_type = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
            return _download(out.getvalue(), f"keluarga-{region.code}.{fmt}", content_type)
    return render(request, "web/imports/export.html", {"form": form})


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
