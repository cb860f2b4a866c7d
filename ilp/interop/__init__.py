"""Exchange with other systems: staged Excel/CSV imports and exports of the register (issue #3)."""
