"""Audit log: who, when, what object and which fields changed; append-only; logins and failures."""

import pytest
from django.urls import reverse

from ilp.core.models import AuditAction, AuditEntry
from ilp.facilities.models import Facility

pytestmark = pytest.mark.django_db


def test_an_admin_change_is_logged_with_before_and_after(client, users):
    # given the Dinkes admin editing a pustu in the admin
    client.force_login(users["dinkes.agam"])
    pustu = Facility.objects.get(name="Pustu Bayua")
    url = reverse("admin:facilities_facility_change", args=[pustu.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "working_area"}
    data.update(
        {
            "address": "Jl. Lingkar Danau Maninjau, Bayua",
            "region": pustu.region_id,
            "parent": pustu.parent_id,
            "working_area_links-TOTAL_FORMS": "0",
            "working_area_links-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    # when the address is saved
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    # then one update entry holds the old and the new address
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(pustu.external_id)).get()
    assert entry.actor_username == "dinkes.agam"
    assert entry.changes["address"] == ["", "Jl. Lingkar Danau Maninjau, Bayua"]
    assert set(entry.changes) == {"address"}


def test_audit_entries_cannot_be_changed_or_deleted(users):
    entry = AuditEntry.objects.create(action=AuditAction.EXPORT, object_repr="x")
    entry.object_repr = "y"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_the_admin_lists_the_log_but_offers_no_edit(client, users):
    client.force_login(users["dinkes.agam"])
    entry = AuditEntry.objects.create(action=AuditAction.EXPORT, object_repr="ekspor uji")
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_changelist") + "?action=export").status_code == 200
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_login_and_failed_login_are_logged(client):
    client.post(reverse("admin:login"), {"username": "dinkes.agam", "password": "salah-sekali"})
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, object_id="dinkes.agam").exists()
    client.post(reverse("admin:login"), {"username": "dinkes.agam", "password": "ilp-demo-2026"})
    login = AuditEntry.objects.filter(action=AuditAction.LOGIN).latest("at")
    assert login.actor_username == "dinkes.agam"
    assert login.ip_address == "127.0.0.1"


def test_the_dinkes_admin_sees_only_agam_in_the_admin_and_cannot_grant_superuser(client, users):
    client.force_login(users["dinkes.agam"])
    page = client.get(reverse("admin:facilities_facility_changelist") + "?q=Puskesmas")
    names = {f.name for f in page.context["cl"].result_list}
    assert len(names) == 16  # one per kecamatan of Agam, none from elsewhere
    form_page = client.get(reverse("admin:accounts_user_change", args=[users["kader.bayua"].pk]))
    assert "is_superuser" not in form_page.context["adminform"].form.fields
