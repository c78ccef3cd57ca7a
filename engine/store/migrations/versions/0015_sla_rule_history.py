"""SLA rules: who each rule alerts (sla_rules.alerts) and every rule's history (sla_rule_versions)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('sla_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alerts', sa.String(length=100), nullable=False,
                                      server_default='assignee,supervisor,leader'))
    op.create_table('sla_rule_versions',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('rule_key', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('old', JSON, nullable=False),
    sa.Column('new', JSON, nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('moved', sa.Integer(), server_default='0', nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_rule_versions'))
    )
    with op.batch_alter_table('sla_rule_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_rule_versions_rule_key_id'), ['rule_key', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sla_rule_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_rule_versions_rule_key_id'))
    op.drop_table('sla_rule_versions')
    with op.batch_alter_table('sla_rules', schema=None) as batch_op:
        batch_op.drop_column('alerts')
