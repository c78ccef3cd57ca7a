"""Notification test helpers: users, cases and tasks as bare rows, outbox rows, a warning's context."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from engine.notifications import outbox
from engine.store import outbox as store
from engine.store import users
from engine.store.tables import cases, definitions, tasks
from engine.store.tables import outbox as outbox_rows

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 Shanghai
ID_NUMBER = "440304199001031234"
PHONE = "13800138000"


def add_user(db, name, role="mediator", communities=("福田社区",), email="default", locale="zh-CN"):
    with db.begin() as conn:
        return users.insert(
            conn,
            username=name,
            password_hash="x",
            role=role,
            communities=list(communities),
            email=f"{name}@example.org" if email == "default" else email,
            display_name=None,
            locale=locale,
            now=T0,
        )


def set_user(db, name, **values):
    from engine.store.tables import users as t

    with db.begin() as conn:
        conn.execute(t.update().where(t.c.username == name).values(**values))


def add_case(db, community="福田社区", number=None) -> int:
    with db.begin() as conn:
        def_id = conn.execute(select(definitions.c.id).limit(1)).scalar()
        if def_id is None:
            def_id = conn.execute(
                definitions.insert()
                .values(
                    key="p",
                    version=1,
                    name="p",
                    content_hash="h",
                    spec_json="{}",
                    forms={},
                    sources={},
                    user_tasks=[],
                    created_at=T0,
                )
                .returning(definitions.c.id)
            ).scalar_one()
        return conn.execute(
            cases.insert()
            .values(
                case_number=number or f"福田调〔2026〕{uuid.uuid4().int % 10000:04d}号",
                year=2026,
                process_key="p",
                definition_id=def_id,
                status="active",
                revision=1,
                state="{}",
                data={},
                community=community,
                created_at=T0,
                updated_at=T0,
            )
            .returning(cases.c.id)
        ).scalar_one()


def add_task(db, case_id, name="调解", group="mediator", assignee=None, due_at=None, status=None) -> str:
    tid = str(uuid.uuid4())
    with db.begin() as conn:
        conn.execute(
            tasks.insert().values(
                id=tid,
                case_id=case_id,
                element_id="e",
                name=name,
                process_key="p",
                candidate_group=group,
                assignee=assignee,
                status=status or ("claimed" if assignee else "ready"),
                created_at=T0,
                due_at=due_at,
            )
        )
    return tid


def warning_context(case_id, **over) -> dict:
    return {
        "case_id": case_id,
        "case_number": "福田调〔2026〕0007号",
        "deadline_name": "人民调解期限",
        "due_at": (T0 + timedelta(days=2, hours=3)).isoformat(),
        "task_name": "调解",
        "community": "福田社区",
        "seconds_left": 2 * 86400 + 3 * 3600,
        "assignee": "mediator1",
        **over,
    }


def enqueue(db, key="k1", to_user="mediator1", template="deadline_warning", context=None, case_id=None, **kw):
    with db.begin() as conn:
        return outbox.enqueue(
            conn,
            dedupe_key=key,
            template=template,
            context=context or {},
            to_user=to_user,
            case_id=case_id,
            at=kw.pop("at", T0),
            **kw,
        )


def row(db, oid):
    with db.begin() as conn:
        return store.get(conn, oid)


def status_counts(db) -> dict[str, int]:
    """Outbox rows by status."""
    with db.begin() as conn:
        return dict(
            conn.execute(select(outbox_rows.c.status, func.count()).group_by(outbox_rows.c.status)).all()
        )


def by_key(db, dedupe_key: str):
    """The outbox row of ``dedupe_key``, or None."""
    with db.begin() as conn:
        return conn.execute(select(outbox_rows).where(outbox_rows.c.dedupe_key == dedupe_key)).first()
