"""What the API answers when it refuses: one JSON shape, `{"detail": ..., "field": ...}`.

Messages are English msgids translated to Bahasa Indonesia through gettext; they are module
constants so tests assert on them exactly.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

ERR_UNAUTHENTICATED = _("Log in first, or send your username and password (HTTP Basic).")
ERR_LOCKED_OUT = _("Too many failed logins: this account is locked for a while. Try again later.")
ERR_PERSON_LEVEL = _("Your role may not read lists of people (kader, health workers).")
ERR_NOT_FOUND = _("Not found or outside your area.")
ERR_REGION_NOT_FOUND = _("Region not found or outside your area.")
ERR_FACILITY_NOT_FOUND = _("Facility not found or outside your area.")
ERR_NOT_PUSKESMAS = _("This facility is not a puskesmas.")
ERR_NOT_POSYANDU = _("This facility is not a posyandu.")

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
