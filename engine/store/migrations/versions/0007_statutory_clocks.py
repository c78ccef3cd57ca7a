"""statutory clocks: case dates, case pauses, the holiday calendar, clock columns on rules and deadlines

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    # The dates the law counts from (收到/来访, 受理, 申请, 协议生效, 告知书送达, 复查申请 …), one row per name.
    op.create_table(
        'case_dates',
        sa.Column('case_id', Id, nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('set_by', sa.String(length=100), nullable=True),
        sa.Column('set_at', Time, nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_dates_case_id_cases')),
        sa.PrimaryKeyConstraint('case_id', 'name', name=op.f('pk_case_dates')),
    )
    # Each pause of a case's clocks (鉴定, 听证, waiting for a party …): who, when, why, approved by whom.
    op.create_table(
        'case_pauses',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('case_id', Id, nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('started_at', Time, nullable=False),
        sa.Column('started_by', sa.String(length=100), nullable=True),
        sa.Column('approved_by', sa.String(length=100), nullable=True),
        sa.Column('ended_at', Time, nullable=True),
        sa.Column('ended_by', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_pauses_case_id_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_pauses')),
    )
    with op.batch_alter_table('case_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_pauses_case_id'), ['case_id'], unique=False)
    # The official calendar: rest days and 调休 working days that differ from Monday–Friday.
    op.create_table(
        'calendar_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=True),
        sa.Column('source', sa.String(length=300), nullable=True),
        sa.Column('updated_by', sa.String(length=100), nullable=True),
        sa.Column('updated_at', Time, nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days')),
    )
    # A year whose calendar is confirmed (the State Council's notice entered); other years are provisional.
    op.create_table(
        'calendar_years',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('source', sa.String(length=300), nullable=True),
        sa.Column('entered_by', sa.String(length=100), nullable=True),
        sa.Column('entered_at', Time, nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years')),
    )
    with op.batch_alter_table('sla_rules', schema=None) as batch_op:
        # task: the task's creation; otherwise the name of a case date (received_on, accepted_on …)
        batch_op.add_column(sa.Column('starts_from', sa.String(length=40), nullable=False, server_default='task'))
        # task: one task's limit; case: a clock over every task of process_key until that process ends
        batch_op.add_column(sa.Column('scope', sa.String(length=10), nullable=False, server_default='task'))
        batch_op.add_column(sa.Column('extension_amount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extension_clock', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('extension_rule', sa.String(length=20), nullable=True))  # approval | consent
        batch_op.add_column(sa.Column('pausable', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('starts_from', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=10), nullable=False, server_default='task'))
        batch_op.add_column(sa.Column('process_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('calendar_confirmed', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.create_index(batch_op.f('ix_deadlines_calendar_confirmed_status'),
                              ['calendar_confirmed', 'status'], unique=False)
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='approval'))
        batch_op.add_column(sa.Column('requested_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('party_told_on', sa.Date(), nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))  # 收到/来访日期
        batch_op.add_column(sa.Column('over_level', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('visit_count', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('visit_count')
        batch_op.drop_column('over_level')
        batch_op.drop_column('received_on')
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.drop_column('party_told_on')
        batch_op.drop_column('requested_by')
        batch_op.drop_column('kind')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadlines_calendar_confirmed_status'))
        batch_op.drop_column('calendar_confirmed')
        batch_op.drop_column('process_key')
        batch_op.drop_column('scope')
        batch_op.drop_column('starts_from')
        batch_op.drop_column('amount')
    with op.batch_alter_table('sla_rules', schema=None) as batch_op:
        for name in ('pausable', 'extension_rule', 'extension_clock', 'extension_amount', 'scope', 'starts_from'):
            batch_op.drop_column(name)
    op.drop_table('calendar_years')
    op.drop_table('calendar_days')
    with op.batch_alter_table('case_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_pauses_case_id'))
    op.drop_table('case_pauses')
    op.drop_table('case_dates')
