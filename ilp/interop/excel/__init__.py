"""The people import/export file contract (issue #3): CSV or .xlsx, one row per person, Indonesian headers."""
