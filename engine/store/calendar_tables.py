"""Tables of the official holiday calendar. Re-exported by ``engine.store.tables``."""

from sqlalchemy import Column, Date, Integer, String, Table

from engine.store.columns import UtcTime, metadata

# The official calendar: rest days and 调休 working days that differ from Monday–Friday.
calendar_days = Table(
    "calendar_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("kind", String(10), nullable=False),  # rest | work
    Column("name", String(100)),
    Column("source", String(300)),
    Column("updated_by", String(100)),
    Column("updated_at", UtcTime, nullable=False),
)

# A year whose calendar is confirmed (the State Council's notice entered); other years are provisional.
calendar_years = Table(
    "calendar_years",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("source", String(300)),
    Column("entered_by", String(100)),
    Column("entered_at", UtcTime, nullable=False),
)
