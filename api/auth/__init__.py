"""Users, roles, communities and login sessions."""
