"""user administration: users.must_change_password and the user_audit table

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))
    op.create_table('user_audit',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('old', JSON, nullable=True),
    sa.Column('new', JSON, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_audit'))
    )
    with op.batch_alter_table('user_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_audit_user_id_at'), ['user_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('user_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_audit_user_id_at'))
    op.drop_table('user_audit')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
