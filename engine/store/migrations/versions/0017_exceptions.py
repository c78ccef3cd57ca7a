"""exceptions (异常): the failed task and its submitter on an incident, repeated failures counted; the actions log

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('actor', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='1', nullable=False))
    op.create_table('exception_actions',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('case_id', ID, nullable=True),
    sa.Column('incident_id', ID, nullable=True),
    sa.Column('outbox_id', ID, nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', JSON, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exception_actions'))
    )
    with op.batch_alter_table('exception_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exception_actions_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exception_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exception_actions_case_id'))
    op.drop_table('exception_actions')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('actor')
        batch_op.drop_column('task_id')
