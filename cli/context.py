"""What every command shares: the database named by the settings."""

from engine import Database
from engine.core.settings import get_settings


def database() -> Database:
    """The database of ``TIAOJIE_DATABASE_URL`` (one per command; the command owns its transactions)."""
    return Database(get_settings().database_url)
