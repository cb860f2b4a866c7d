"""What every page's frame needs: the navigation for the user's role, and whether they may change anything.

Lazy, so pages that do not draw the frame (the admin, htmx fragments) pay nothing.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Role
from ilp.web.permissions import is_read_only, may_read_people

# (url name, label, description on the home page, roles that do not get the link). Kader work at one
# posyandu: the network and the puskesmas staff lists are not theirs (their scope shows them nothing).
SECTIONS = (
    ("home", _("Home"), "", frozenset()),
    ("posyandu_list", _("Posyandu day"), _("Sasaran of the posyandu, weighing and services due"), frozenset()),
    ("home_visit_list", _("Home visits"), _("Families to visit and why (kunjungan rumah)"), frozenset()),
    ("referral_list", _("Referrals"), _("Referrals (rujukan) and their next steps"), frozenset()),
    (
        "pws_home",
        _("PWS"),
        _("Coverage per desa and posyandu against the targets (Pemantauan Wilayah Setempat)"),
        frozenset(),
    ),
    (
        "planning_home",
        _("ILP cycle"),
        _("Readiness, priority problems, the RTL care pathway, tasks, monitoring and the lokakarya mini"),
        frozenset(),
    ),
    ("region_list", _("Regions"), _("Provinsi to desa/nagari and jorong, with their facilities"), frozenset()),
    ("facility_list", _("Facilities"), _("Puskesmas, pustu, posyandu and the other FKTP"), frozenset({Role.KADER})),
    (
        "network_list",
        _("Network (jejaring)"),
        _("Members of the functional network and their agreements"),
        frozenset({Role.KADER}),
    ),
    ("health_worker_list", _("Health workers"), _("Staff by facility and cluster"), frozenset({Role.KADER})),
    ("kader_list", _("Kader"), _("Posyandu kader, tiers and competencies"), frozenset()),
)


# Sections with person-level data: not for aggregate-only roles (lintas sektor).
PERSON_LEVEL_SECTIONS = frozenset({"posyandu_list", "home_visit_list", "referral_list"})

# Detail pages light up the section they belong to.
_SECTION_OF = {
    "region_detail": "region_list",
    "facility_detail": "facility_list",
    "posyandu_day": "posyandu_list",
    "posyandu_entry": "posyandu_list",
    "referral_step": "referral_list",
    "pws_area": "pws_home",
    "pws_indicator": "pws_home",
    "pws_missing": "pws_home",
    "pws_missing_visit": "pws_home",
    "pws_export": "pws_home",
    "pws_settings": "pws_home",
    "pws_population": "pws_home",
}
# Every page of the ILP cycle (url names planning_*) belongs to its section.
_SECTION_PREFIXES = (("planning_", "planning_home"),)


def _nav(request) -> list[dict]:
    user = request.user
    match = getattr(request, "resolver_match", None)
    url_name = getattr(match, "url_name", "") or ""
    current = _SECTION_OF.get(url_name, url_name)
    for prefix, section in _SECTION_PREFIXES:
        if current.startswith(prefix):
            current = section
    items = []
    for name, label, description, hidden_for in SECTIONS:
        if user.role in hidden_for:
            continue
        if name in PERSON_LEVEL_SECTIONS and not may_read_people(user, getattr(request, "scope", None)):
            continue
        url = reverse(f"web:{name}")
        items.append({"url": url, "label": label, "description": description, "active": current == name})
        if name == "home" and user.role == Role.KADER and user.facility_id:
            url = reverse("web:facility_detail", args=[user.facility.external_id])
            mine = {"url": url, "label": _("My posyandu"), "active": request.path == url}
            items.append({**mine, "description": _("Opening day and kader of my posyandu")})
    return items


def ilp(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"ilp_nav": []}
    return {
        "ilp_nav": SimpleLazyObject(lambda: _nav(request)),
        "ilp_read_only": is_read_only(user),
        "ilp_is_staff": user.is_staff,
    }
