"""Families and persons: the register by name, by address (issue #3)."""
