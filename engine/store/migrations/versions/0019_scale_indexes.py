"""scale: the open-task due index includes case_id (case search: overdue cases index-only), lettered cases (report);
the open-task group and assignee indexes include case_id and status, and cases' ids their community (the header's
capped counts read indexes only)

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('ready', 'claimed')")
LETTERED = sa.text("guidance_letter_no IS NOT NULL")


def _open_due_index(include: list[str]) -> None:
    """(Re)create the open-task due index, with ``include`` columns on PostgreSQL."""
    op.drop_index('ix_tasks_open_due', table_name='tasks')
    op.create_index('ix_tasks_open_due', 'tasks', ['due_at', 'created_at', 'id'], postgresql_where=OPEN,
                    sqlite_where=OPEN, postgresql_include=include)


def _queue_indexes(include: list[str]) -> None:
    """(Re)create the open-task group and assignee indexes, with ``include`` columns on PostgreSQL."""
    for column, name in (('candidate_group', 'ix_tasks_open_group'), ('assignee', 'ix_tasks_open_assignee')):
        op.drop_index(name, table_name='tasks')
        op.create_index(name, 'tasks', [column, 'due_at', 'created_at', 'id'], postgresql_where=OPEN,
                        sqlite_where=OPEN, postgresql_include=include)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':  # SQLite has no INCLUDE: its indexes stay as they are
        _open_due_index(['case_id'])
        _queue_indexes(['case_id', 'status'])
    op.create_index('ix_cases_guidance_letters', 'cases', ['accepted_on'], postgresql_where=LETTERED,
                    sqlite_where=LETTERED, postgresql_include=['handling_body', 'outcome', 'guidance_letter_no'])
    op.create_index('ix_cases_id_community', 'cases', ['id'], unique=True, postgresql_include=['community'])


def downgrade() -> None:
    op.drop_index('ix_cases_id_community', table_name='cases')
    op.drop_index('ix_cases_guidance_letters', table_name='cases')
    if op.get_bind().dialect.name == 'postgresql':
        _open_due_index([])
        _queue_indexes([])
