"""Page-numbered lists: `?page=` (and `?page_size=` up to NINJA_MAX_PER_PAGE_SIZE), `{"items", "count"}`."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate

# Beyond this the OFFSET would overflow the database's integer (a 500); no real list is that long.
MAX_PAGE = 1_000_000


class PageNumbers(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


def paged(func):
    """Paginate a list endpoint with the project's page size."""
    return paginate(PageNumbers, page_size=settings.NINJA_PAGINATION_PER_PAGE)(func)


def stable(qs: QuerySet) -> QuerySet:
    """The selector's ordering with the pk last, so rows with equal sort keys never swap between pages."""
    return qs.order_by(*qs.query.order_by, "pk")
