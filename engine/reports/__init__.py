"""Reports computed from case data."""
