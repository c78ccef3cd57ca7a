"""login protection: failed logins (throttle, lockout) and rotated refresh tokens (reuse detection)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('login_failures',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_username_at'), ['username', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_address_at'), ['address', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_at'), ['at'], unique=False)
    op.create_table('refresh_rotations',
    sa.Column('refresh_hash', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('refresh_hash', name=op.f('pk_refresh_rotations'))
    )
    with op.batch_alter_table('refresh_rotations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresh_rotations_rotated_at'), ['rotated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refresh_rotations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_rotations_rotated_at'))
    op.drop_table('refresh_rotations')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_at'))
        batch_op.drop_index(batch_op.f('ix_login_failures_address_at'))
        batch_op.drop_index(batch_op.f('ix_login_failures_username_at'))
    op.drop_table('login_failures')
