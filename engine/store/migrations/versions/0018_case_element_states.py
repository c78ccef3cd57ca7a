"""cases.element_states: the diagram's active/completed elements, written at every step (the case page reads
them instead of loading the workflow); NULL for cases stepped before this revision (the page derives them)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.add_column('cases', sa.Column('element_states', JSON, nullable=True))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite ≥ 3.35): a batch copy of cases would drop a table other tables point at
    op.drop_column('cases', 'element_states')
