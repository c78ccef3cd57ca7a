"""ledger (台账) columns on cases

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('handling_body', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('mediator', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('accepted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('guidance_to', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('guidance_letter_no', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('recovered_amount', sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_handling_body_accepted_on'), ['handling_body', 'accepted_on'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_handling_body_accepted_on'))
        for name in ('recovered_amount', 'guidance_letter_no', 'guidance_to', 'closed_on', 'accepted_on',
                     'mediator', 'handling_body', 'imported'):
            batch_op.drop_column(name)
