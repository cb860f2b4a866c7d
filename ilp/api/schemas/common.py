"""Schemas shared by every domain."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

# PostgreSQL refuses NUL in text, so a parameter holding one is a 422, never a 500 from the database.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


class ErrorOut(Schema):
    detail: str
    # The query or path parameter at fault, when there is one.
    field: str | None = None


class ValidationErrorItemOut(Schema):
    type: str
    # Where the bad value was, e.g. ["query", "level"].
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """A parameter that does not parse (django-ninja's own answer, from pydantic)."""

    detail: list[ValidationErrorItemOut]


# Responses every endpoint may give besides its 200: not authenticated, outside the scope, a parameter
# that does not parse, locked out.
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
