"""Writes of the life-cycle app: encounters, referrals, home visits. Callers import from this package."""

from ilp.lifecycle.services.common import ConfirmationNeeded
from ilp.lifecycle.services.encounters import ServiceInput, encounter_record, encounter_void
from ilp.lifecycle.services.home_visits import home_visit_record, home_visit_request_add
from ilp.lifecycle.services.referrals import referral_advance, referral_create

__all__ = [
    "ConfirmationNeeded",
    "ServiceInput",
    "encounter_record",
    "encounter_void",
    "home_visit_record",
    "home_visit_request_add",
    "referral_advance",
    "referral_create",
]
