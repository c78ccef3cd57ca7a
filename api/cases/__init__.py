"""Cases endpoints."""
