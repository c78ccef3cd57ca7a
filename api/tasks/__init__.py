"""Tasks endpoints."""
