"""Who is calling: a Django session (the browser) or HTTP Basic (scripts), and the scope they read through.

Both give the same user, hence the same `AreaScope` as the web pages (`ilp.accounts.scope.scope_for`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from ninja.security import HttpBasicAuth
from ninja.security import SessionAuth as NinjaSessionAuth

from ilp.accounts.scope import scope_for
from ilp.api.errors import ERR_LOCKED_OUT, ERR_PERSON_LEVEL, ApiError
from ilp.core import context
from ilp.core.middleware import client_ip
from ilp.core.scoping import AreaScope


class BasicAuth(HttpBasicAuth):
    """HTTP Basic for scripts. The password goes through Django's `authenticate` with the request, so
    django-axes counts each failure and refuses a locked-out username/IP like the login page does."""

    def authenticate(self, request, username: str, password: str):
        user = authenticate(request=request, username=username, password=password)
        if user is None:
            if getattr(request, "axes_locked_out", False):
                # The lockout stands (axes refused the credentials); only its answer changes, from the
                # web lockout page AxesMiddleware would render to the API's JSON.
                request.axes_locked_out = False
                raise ApiError(429, ERR_LOCKED_OUT)
            return None
        request.user = user
        # Audit entries written during this request name the Basic user, as they name a session user.
        context.set_current(
            context.RequestContext(user_id=user.pk, username=user.get_username(), ip_address=client_ip(request))
        )
        return user


class SessionAuth(NinjaSessionAuth):
    """The Django session, with ninja's CSRF check on unsafe methods, but only for requests that carry the
    session cookie: ninja checks CSRF before looking at the cookie, which would refuse every script's Basic
    POST (no CSRF cookie) before the Basic check runs. A request without the session cookie is never
    authenticated by it, so skipping the check there opens nothing."""

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


# Session first: a browser that is logged in never needs the Basic check (and its password hash).
api_auth = [SessionAuth(), BasicAuth()]


def request_scope(request) -> AreaScope:
    """The caller's area scope, computed once per request from the authenticated user."""
    scope = getattr(request, "_ilp_api_scope", None)
    if scope is None:
        scope = scope_for(request.auth)
        request._ilp_api_scope = scope
    return scope


def require_person_level(request) -> AreaScope:
    """The scope, or 403 for roles that read no person-level data (lintas sektor)."""
    scope = request_scope(request)
    if not scope.person_level:
        raise ApiError(403, ERR_PERSON_LEVEL)
    return scope
