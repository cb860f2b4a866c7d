"""What the family register pages share: who may open and change them, and how a person is shown
(age, life stage, masked NIK, pregnancy) without a query per row."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ilp.people import life_stage as ls
from ilp.people.identity import mask_nik
from ilp.people.models import FamilyMembership, Person, Pregnancy
from ilp.people.selectors import maternal_status
from ilp.web.permissions import may_read_people, may_write_people

STAGE_LABELS = {
    ls.BBL: _("newborn (0-28 days)"),
    ls.BAYI: _("infant (bayi)"),
    ls.BALITA: _("toddler (balita)"),
    ls.PRASEKOLAH: _("preschool child"),
    ls.USIA_SEKOLAH_REMAJA: _("school age and adolescent"),
    ls.DEWASA: _("adult"),
    ls.LANSIA: _("elderly (lansia)"),
}
LABEL_PREGNANT = _("pregnant (ibu hamil)")
LABEL_NIFAS = _("postpartum (ibu nifas)")
LABEL_DECEASED = _("deceased")
LABEL_MOVED_OUT = _("moved out")


def people_view(*, write: bool = False):
    """Login required; 403 for roles without person-level data, and for readers on a write page."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            allowed = may_write_people if write else may_read_people
            if not allowed(request.user, request.scope):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def today() -> dt.date:
    return timezone.localdate()


def age_label(birth_date: dt.date, on: dt.date) -> str:
    """ "3 days", "5 months", "2 years": months under two years, where they matter for growth."""
    if on < birth_date:
        return ""
    days = ls.age_in_days(birth_date, on)
    if days <= 28:
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    months = ls.age_in_months(birth_date, on)
    if months < 24:
        return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    years = ls.age_in_years(birth_date, on)
    return ngettext("%(n)s year", "%(n)s years", years) % {"n": years}


@dataclass
class PersonView:
    """A person as the pages show them: the record plus what is derived for display."""

    person: Person
    age: str
    stage: str
    nik: str
    pregnancy: Pregnancy | None = None
    gestational_weeks: int | None = None
    membership: FamilyMembership | None = None
    # Deceased, moved out, ibu hamil or ibu nifas: shown beside the stage.
    stage_overlay: str = ""


def shown_nik(user, nik: str | None) -> str:
    """The full NIK for roles that may see it, else the masked form (issue #3)."""
    if not nik:
        return ""
    return nik if user.may_see_nik else mask_nik(nik)


def person_views(user, persons, *, on: dt.date | None = None, memberships=None) -> list[PersonView]:
    """Display rows for persons; `memberships` (person id -> membership) links each to its family."""
    on = on or today()
    persons = list(persons)
    pregnancies, delivered = maternal_status(persons=persons, on=on)
    memberships = memberships or {}
    return [
        describe(user, p, on=on, pregnancy=pregnancies.get(p.pk), delivered_on=delivered.get(p.pk),
                 membership=memberships.get(p.pk))
        for p in persons
    ]  # fmt: skip


def describe(user, person: Person, *, on: dt.date, pregnancy=None, delivered_on=None, membership=None) -> PersonView:
    """One person's display row (see `person_views`)."""
    end = person.death_date or on
    if end < person.birth_date:
        end = person.birth_date
    stage = ls.life_stage(
        birth_date=person.birth_date, on=end, sex=person.sex, pregnant=pregnancy is not None, delivered_on=delivered_on
    )
    overlay = ""
    if person.death_date:
        overlay = LABEL_DECEASED
    elif person.moved_out_on:
        overlay = LABEL_MOVED_OUT
    elif stage.ibu_hamil:
        overlay = LABEL_PREGNANT
    elif stage.ibu_nifas:
        overlay = LABEL_NIFAS
    weeks = (on - pregnancy.lmp_date).days // 7 if pregnancy is not None else None
    return PersonView(
        person=person,
        age=age_label(person.birth_date, end),
        stage=str(STAGE_LABELS.get(stage.code, stage.code)),
        nik=shown_nik(user, person.nik),
        pregnancy=pregnancy,
        gestational_weeks=weeks,
        membership=membership,
        stage_overlay=str(overlay) if overlay else "",
    )


def row_label(row) -> str:
    """How an error names a row of the register form: the head or member n."""
    if row == "head":
        return str(_("Head of family"))
    return str(_("Member %(n)s")) % {"n": row}
