"""case search: 案号 (year, number) columns, indexes for party names, phones, open steps and the list's sorts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""
import logging

import sqlalchemy as sa
from alembic import op

from engine.core.case_numbers import key_columns

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BATCH = 5000
TRGM = (("ix_case_parties_name_trgm", "case_parties", "name"),)
OPEN = sa.text("status IN ('ready', 'claimed')")


def _backfill(conn) -> None:
    cases = sa.table("cases", sa.column("id"), sa.column("case_number"), sa.column("number_year"),
                     sa.column("number_seq"))
    last = 0
    while True:
        rows = conn.execute(sa.select(cases.c.id, cases.c.case_number).where(cases.c.id > last)
                            .order_by(cases.c.id).limit(BATCH)).all()
        if not rows:
            return
        values = [{"b_id": r.id, **key_columns(r.case_number)} for r in rows]
        conn.execute(sa.update(cases).where(cases.c.id == sa.bindparam("b_id"))
                     .values(number_year=sa.bindparam("number_year"), number_seq=sa.bindparam("number_seq")), values)
        last = rows[-1].id


def _trigram_indexes(conn) -> None:
    """GIN trigram indexes on PostgreSQL; plain ones where pg_trgm cannot be created (no privilege)."""
    trgm = False
    if conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            trgm = True
        except sa.exc.DBAPIError:
            logging.getLogger(__name__).warning("pg_trgm unavailable: name searches will scan")
    for name, table, column in TRGM:
        if trgm:
            op.create_index(name, table, [column], postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
        else:
            op.create_index(name, table, [column])


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number_seq', sa.Integer(), nullable=True))
    conn = op.get_bind()
    _backfill(conn)
    op.create_index('ix_cases_number', 'cases', ['number_seq', 'number_year'])
    op.create_index('ix_cases_created', 'cases', ['created_at', 'id'])
    op.create_index('ix_cases_received', 'cases', ['received_on', 'id'])
    op.create_index('ix_cases_leader', 'cases', ['leader'])
    op.create_index('ix_cases_community_received', 'cases', ['community', 'received_on', 'id'])
    op.create_index('ix_cases_community_created', 'cases', ['community', 'created_at', 'id'])
    op.create_index('ix_cases_number_order', 'cases', ['number_year', 'number_seq', 'id'])
    op.create_index('ix_cases_dispute_type', 'cases', ['dispute_type', 'status'])
    op.create_index('ix_cases_risk_level', 'cases', ['risk_level'])
    op.create_index('ix_cases_people_count', 'cases', ['people_count'])
    op.create_index('ix_case_parties_phone_hash', 'case_parties', ['phone_hash'])
    op.create_index('ix_tasks_open_name', 'tasks', ['name'], postgresql_where=OPEN, sqlite_where=OPEN)
    _trigram_indexes(conn)


def downgrade() -> None:
    for name, table, _column in TRGM:
        op.drop_index(name, table_name=table)
    op.drop_index('ix_case_parties_phone_hash', table_name='case_parties')
    op.drop_index('ix_tasks_open_name', table_name='tasks')
    for name in ('ix_cases_community_created', 'ix_cases_community_received', 'ix_cases_people_count', 'ix_cases_risk_level', 'ix_cases_dispute_type', 'ix_cases_number_order',
                 'ix_cases_leader', 'ix_cases_received', 'ix_cases_created', 'ix_cases_number'):
        op.drop_index(name, table_name='cases')
    # plain columns (their indexes dropped above): dropped in place, so SQLite never copies ``cases``, which the
    # case's tasks, events, deadlines … reference (a batch copy would drop it under them)
    op.drop_column('cases', 'number_seq')
    op.drop_column('cases', 'number_year')
