"""Output schemas of the API, one module per domain: a List schema for list rows, a Detail schema for one object."""
