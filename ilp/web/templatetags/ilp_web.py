"""Template helpers of the web UI."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """A timedelta (the login cool-off) as whole minutes, rounded up."""
    if not isinstance(value, dt.timedelta):
        return 0
    return -(-int(value.total_seconds()) // 60)
