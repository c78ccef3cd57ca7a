"""case_parties: a btree index on lower(name) (text_pattern_ops on PostgreSQL), for searches by the first one or
two characters of a name (trigrams need three). Its statistics give PostgreSQL a true count of a prefix's
parties: through the trigram index it estimated 15 148 parties for 胡旭 (1 259 at 1M cases) and walked every case
by creation time (163 ms) instead of looking up those 1 259 (15 ms).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    ops = " text_pattern_ops" if op.get_bind().dialect.name == 'postgresql' else ""  # SQLite: a plain one
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_case_parties_name_prefix ON case_parties (lower(name){ops})")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_case_parties_name_prefix")
