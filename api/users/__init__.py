"""Users endpoints."""
