"""The PostgreSQL server the tests create their databases on (TIAOJIE_TEST_PG_URL)."""

import os

PG_ADMIN_URL = os.environ.get("TIAOJIE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SKIP_PG = os.environ.get("TIAOJIE_TEST_SKIP_PG") == "1"


def pg_url(dbname: str) -> str:
    """The URL of database ``dbname`` on the test server."""
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"
