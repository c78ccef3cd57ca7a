"""People: users, passwords and login sessions."""
