"""Decision-support rules as pure functions (no Django import, enforced by import-linter).

Each rule cites its guideline in its docstring; thresholds the domain file marks unconfirmed (❓) or
disputed are data with a named default, so a Dinkes can change them without touching code.
"""
