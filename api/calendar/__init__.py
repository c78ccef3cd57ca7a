"""The holiday calendar: status and banner, a year, one day, importing a year's notice (admins)."""
