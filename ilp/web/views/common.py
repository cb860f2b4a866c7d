"""Small helpers shared by the page views."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PAGE_SIZE = 25


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(request: HttpRequest, template: str, partial: str, context: dict, *, status: int = 200) -> HttpResponse:
    """The full page, or only its results fragment for htmx live search."""
    response = render(request, partial if is_partial(request) else template, context, status=status)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def get_or_404(getter, **kwargs):
    """Call a scoped `*_get` selector; an object outside the scope is simply not there."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
