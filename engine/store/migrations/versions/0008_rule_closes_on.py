"""a case clock may close when a named element completes (sla_rules.closes_on)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A case-scope rule's clock closes when its process ends or, if set, when this element (a task) completes
    # (信访 60 days: met when the 处理意见书 is issued; the 复查/复核 windows after it are not the office's).
    with op.batch_alter_table('sla_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closes_on', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sla_rules', schema=None) as batch_op:
        batch_op.drop_column('closes_on')
