"""Analysis: the derivation rules and the computations behind each chapter."""
