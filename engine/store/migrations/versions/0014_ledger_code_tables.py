"""ledger code tables: the versions of each edited entry of the dispute type, channel, source and outcome tables

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table('ledger_codes',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('term', sa.String(length=50), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=True),
    sa.Column('synonyms', JSON, nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_codes')),
    sa.UniqueConstraint('kind', 'term', 'version', name=op.f('uq_ledger_codes_kind_term_version'))
    )
    with op.batch_alter_table('ledger_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_codes_kind_term'), ['kind', 'term'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ledger_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_codes_kind_term'))
    op.drop_table('ledger_codes')
