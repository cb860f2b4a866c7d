from ilp.core import context


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Makes the acting user and IP available to `ilp.core.audit` for the length of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        token = context.set_current(
            context.RequestContext(
                user_id=user.pk if authenticated else None,
                username=user.get_username() if authenticated else "",
                ip_address=client_ip(request),
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
