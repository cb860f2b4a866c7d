"""What the API answers when it refuses: one JSON shape, `{"detail": ..., "field": ...}`.

Refusals from the services' rules (a Django `ValidationError`) are 422 and add `"warnings"` (NIK/KK
plausibility warnings the user may confirm with `confirm_warnings`); a duplicate NIK is 409 and adds
`"existing"` (the registered person's external_id, when in the caller's area); `PermissionDenied` is 403.

Messages are English msgids translated to Bahasa Indonesia through gettext; they are module
constants so tests assert on them exactly.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from ilp.people.services import DuplicateNik, IdentityWarnings

ERR_UNAUTHENTICATED = _("Log in first, or send your username and password (HTTP Basic).")
ERR_LOCKED_OUT = _("Too many failed logins: this account is locked for a while. Try again later.")
ERR_PERSON_LEVEL = _("Your role may not read lists of people (kader, health workers).")
ERR_NOT_FOUND = _("Not found or outside your area.")
ERR_REGION_NOT_FOUND = _("Region not found or outside your area.")
ERR_FACILITY_NOT_FOUND = _("Facility not found or outside your area.")
ERR_NOT_PUSKESMAS = _("This facility is not a puskesmas.")
ERR_NOT_POSYANDU = _("This facility is not a posyandu.")
ERR_FAMILY_NOT_FOUND = _("Family not found or outside your area.")
ERR_PERSON_NOT_FOUND = _("Person not found or outside your area.")

# Lets curl and script clients know Basic is accepted (RFC 9110 §11.6.1 requires it on a 401).
WWW_AUTHENTICATE = 'Basic realm="ILP API", charset="UTF-8"'


class ApiError(Exception):
    """A refusal with a status, a readable message and, for a bad parameter, the parameter's name."""

    def __init__(self, status: int, message, *, field: str | None = None):
        super().__init__(str(message))
        self.status = status
        self.message = message
        self.field = field


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every refusal in the same JSON shape, in the request's language."""

    def body(message, field=None) -> dict:
        return {"detail": str(message), "field": field}

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return api.create_response(request, body(exc.message, exc.field), status=exc.status)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = api.create_response(request, body(ERR_UNAUTHENTICATED), status=401)
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
        return response

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return api.create_response(request, body(ERR_NOT_FOUND), status=404)

    @api.exception_handler(PermissionDenied)
    def _permission_denied(request, exc: PermissionDenied):
        return api.create_response(request, body(str(exc) or ERR_PERSON_LEVEL), status=403)

    @api.exception_handler(ValidationError)
    def _validation_error(request, exc: ValidationError):
        status, data = validation_error_body(exc)
        return api.create_response(request, data, status=status)


def validation_error_body(exc: ValidationError) -> tuple[int, dict]:
    """(status, body) for a service's `ValidationError`: the first field at fault and its messages.

    `family_register` tags an error raised for one of its persons with `row` ("head" or the member's
    1-based position); the field then reads like the request body's path: `head.nik`, `members.0.nik`.
    """
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        messages = [m for error in errors for m in error.messages]
    else:
        field, messages = None, exc.messages
    if field == NON_FIELD_ERRORS:
        field = None
    row = getattr(exc, "row", None)
    if row is not None:
        prefix = "head" if row == "head" else f"members.{int(row) - 1}"
        field = f"{prefix}.{field}" if field else prefix
    data = {"detail": " ".join(str(m) for m in messages), "field": field, "warnings": []}
    if isinstance(exc, IdentityWarnings):
        data["warnings"] = [str(w) for w in exc.warnings]
    if isinstance(exc, DuplicateNik):
        data["existing"] = exc.existing.external_id if exc.existing is not None else None
        return 409, data
    return 422, data
