"""scale: the open-task due index includes case_id (case search: overdue cases index-only), lettered cases (report)

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('ready', 'claimed')")
LETTERED = sa.text("guidance_letter_no IS NOT NULL")


def _open_due_index(include: list[str]) -> None:
    """(Re)create the open-task due index, with ``include`` columns on PostgreSQL."""
    op.drop_index('ix_tasks_open_due', table_name='tasks')
    op.create_index('ix_tasks_open_due', 'tasks', ['due_at', 'created_at', 'id'], postgresql_where=OPEN,
                    sqlite_where=OPEN, postgresql_include=include)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':  # SQLite has no INCLUDE: its indexes stay as they are
        _open_due_index(['case_id'])
    op.create_index('ix_cases_guidance_letters', 'cases', ['accepted_on'], postgresql_where=LETTERED,
                    sqlite_where=LETTERED, postgresql_include=['handling_body', 'outcome', 'guidance_letter_no'])


def downgrade() -> None:
    op.drop_index('ix_cases_guidance_letters', table_name='cases')
    if op.get_bind().dialect.name == 'postgresql':
        _open_due_index([])
