"""Derivation rules and data selections: pure functions of the typed tables (no HTML, no charts)."""
