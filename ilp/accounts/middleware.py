from django.utils.functional import SimpleLazyObject

from ilp.accounts.scope import scope_for


class ScopeMiddleware:
    """Puts the user's `AreaScope` on `request.scope`, computed on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for(request.user))
        return self.get_response(request)
