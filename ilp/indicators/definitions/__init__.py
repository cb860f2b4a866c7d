"""The indicator catalogue; importing this package registers every definition (`indicators.registry`)."""

from ilp.indicators.definitions import adult, child, maternal, programme, school  # noqa: F401
