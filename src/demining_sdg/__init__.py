"""Humanitarian mine action and the SDGs: sourced data, derivations and the report pipeline."""

__version__ = "0.1.0"
