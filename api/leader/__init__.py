"""我的包案 endpoint."""
