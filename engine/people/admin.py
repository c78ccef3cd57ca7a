"""User administration (admins, and the CLI): add with a temporary password, change role, names, email,
communities, deactivate and activate, reset a password, the user's own password change; every change audited.

Rules:
- the last active admin cannot be deactivated nor lose the admin role (not even by themselves): 409
  ``last_admin``; the active admins are locked while counted, so two admins cannot demote each other at once;
- deactivating a user, and resetting their password, ends their sessions at once;
- a reset (and a user added here without a password) gives a one-time temporary password, returned once and
  stored only as its hash; the user must change it at the next login (``must_change_password``);
- the audit (``user_audit``) stores the fields that changed, old and new, never a password or its hash.

A task's candidate group is the role of the users who work it (``engine.tasks.permissions.in_group``): the
groups a user works are those of their role, so changing the role changes the groups.
"""

import secrets

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.core.types import CASEWORKER_ROLES, ROLES, User
from engine.people.passwords import check_password, check_policy, hash_password
from engine.people.users import add_user
from engine.store import user_admin as store
from engine.store import users as user_store

EDITABLE = ("role", "display_name", "email", "communities", "active")
# Letters and digits that cannot be misread (no 0/O, 1/l/I) when read out or copied from the screen.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


class LastAdmin(Conflict):
    """The change would leave no active admin (409)."""

    code = "last_admin"


def groups_of(role: str) -> list[str]:
    """The task groups a user of ``role`` works: their role's own (a supervisor: every caseworker group)."""
    if role == "supervisor":
        return list(CASEWORKER_ROLES)
    return [role] if role in CASEWORKER_ROLES else []


def temporary_password() -> str:
    """12 characters from an unambiguous alphabet, at least one letter and one digit (meets the policy)."""
    while True:
        pw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw) and len(set(pw)) > 1:
            return pw


def _actor(actor: User | str) -> str:
    return actor if isinstance(actor, str) else actor.username


def _view(row, communities: list[str]) -> dict:
    return {"id": row.id, "username": row.username, "display_name": row.display_name, "role": row.role,
            "email": row.email, "active": bool(row.active), "must_change_password": bool(row.must_change_password),
            "communities": communities, "groups": groups_of(row.role), "created_at": row.created_at}


def list_users(conn: Connection, *, role: str | None = None, community: str | None = None,
               active: bool | None = None, q: str | None = None) -> list[dict]:
    """Users by username, with communities, task groups and last login; filtered."""
    return [{**r, "groups": groups_of(r["role"])}
            for r in store.listing(conn, role=role, community=community, active=active, q=(q or "").strip() or None)]


def user_detail(conn: Connection, user_id: int) -> dict:
    """One user as in ``list_users``."""
    found = store.listing(conn, user_id=user_id)
    if not found:
        raise NotFound(f"user {user_id} not found")
    return {**found[0], "groups": groups_of(found[0]["role"])}


def create_user(conn: Connection, actor: User | str, *, username: str, role: str, communities: list[str],
                email: str | None = None, display_name: str | None = None, password: str | None = None,
                must_change: bool | None = None) -> tuple[dict, str | None]:
    """Add a user, audited. Without ``password`` a temporary one is made, returned once, and must be changed at
    the first login (``must_change`` defaults to that). Returns (the user, the temporary password or None)."""
    if user_store.by_username(conn, username) is not None:
        err = InvalidData(f"user '{username}' exists already", {"username": "taken"})
        err.kinds = {"username": "username_taken"}
        raise err
    if not username or len(username) > 100 or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        err = InvalidData("username must be letters, digits, '.', '_' or '-'", {"username": "invalid"})
        err.kinds = {"username": "username_invalid"}
        raise err
    temp = None if password is not None else temporary_password()
    uid = add_user(conn, username, password if password is not None else temp, role, communities,
                   email=email or None, display_name=display_name or None)
    flag = temp is not None if must_change is None else must_change
    if flag:
        store.update_user(conn, uid, {"must_change_password": True})
    view = user_detail(conn, uid)
    store.audit(conn, at=clock.now(), actor=_actor(actor), user_id=uid, username=username, action="created",
                new={k: view[k] for k in ("role", "display_name", "email", "communities", "active",
                                           "must_change_password")})
    return view, temp


def _check_change(changes: dict) -> dict:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidData(f"not editable: {', '.join(sorted(unknown))}", {k: "not editable" for k in unknown})
    if "role" in changes and changes["role"] not in ROLES:
        raise InvalidData(f"unknown role '{changes['role']}' (one of {', '.join(ROLES)})", {"role": "unknown"})
    out = dict(changes)
    for key in ("display_name", "email"):
        if key in out:
            out[key] = (out[key] or "").strip() or None
    if "communities" in out:
        out["communities"] = sorted({c.strip() for c in out["communities"] if c and c.strip()})
    return out


def update_user(conn: Connection, actor: User | str, user_id: int, changes: dict) -> dict:
    """Change a user's role, names, email, communities or status; audited with the old and new values.
    Deactivating ends the user's sessions. The last active admin stays an active admin (``LastAdmin``)."""
    changes = _check_change(changes)
    before = user_store.by_id(conn, user_id)
    admins = store.active_admins(conn) if before is not None and before.role == "admin" else None  # locked first
    row = store.locked(conn, user_id)
    if row is None:
        raise NotFound(f"user {user_id} not found")
    current = _view(row, user_store.communities(conn, user_id))
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if not changed:
        return current
    admin_after = changed.get("role", row.role) == "admin" and changed.get("active", row.active)
    if row.role == "admin" and row.active and not admin_after:
        if not [a for a in (admins if admins is not None else store.active_admins(conn)) if a != user_id]:
            what = "deactivated" if "active" in changed and not changed["active"] else "given another role"
            raise LastAdmin(f"{row.username} is the last active admin and cannot be {what}; "
                            "make another user an admin first")
    now = clock.now()
    store.update_user(conn, user_id, {k: v for k, v in changed.items() if k != "communities"})
    if "communities" in changed:
        user_store.set_communities(conn, user_id, changed["communities"])
    if changed.get("active") is False:
        user_store.revoke_user_sessions(conn, user_id, now)
    action = ("deactivated" if changed.get("active") is False else "activated" if changed.get("active") is True
              else "updated")
    store.audit(conn, at=now, actor=_actor(actor), user_id=user_id, username=row.username, action=action,
                old={k: current[k] for k in changed}, new=changed)
    return user_detail(conn, user_id)


def reset_password(conn: Connection, actor: User | str, user_id: int) -> str:
    """A one-time temporary password for the user (returned once, stored as a hash); their sessions end and
    they must change it at the next login."""
    row = store.locked(conn, user_id)
    if row is None:
        raise NotFound(f"user {user_id} not found")
    temp = temporary_password()
    now = clock.now()
    user_store.set_password(conn, user_id, hash_password(temp, row.username))
    store.update_user(conn, user_id, {"must_change_password": True})
    user_store.revoke_user_sessions(conn, user_id, now)
    store.audit(conn, at=now, actor=_actor(actor), user_id=user_id, username=row.username, action="password_reset",
                old={"must_change_password": bool(row.must_change_password)}, new={"must_change_password": True})
    return temp


def change_password(conn: Connection, user: User, current: str, new: str) -> None:
    """The user's own change: the current password, then a new one that meets the policy and differs from it.
    Clears ``must_change_password``; the user's other sessions end, this one stays."""
    if not check_password(current, store.password_hash(conn, user.id)):
        err = InvalidData("the current password is wrong", {"current_password": "wrong"})
        err.kinds = {"current_password": "current_password_wrong"}
        raise err
    check_policy(new, user.username)
    if new == current:
        err = InvalidData("the new password must differ from the current one", {"new_password": "unchanged"})
        err.kinds = {"new_password": "password_unchanged"}
        raise err
    now = clock.now()
    user_store.set_password(conn, user.id, hash_password(new, user.username))
    store.update_user(conn, user.id, {"must_change_password": False})
    store.revoke_other_sessions(conn, user.id, user.session_id, now)
    store.audit(conn, at=now, actor=user.username, user_id=user.id, username=user.username,
                action="password_changed", old={"must_change_password": user.must_change_password},
                new={"must_change_password": False})


def audit_password_set(conn: Connection, actor: str, username: str) -> None:
    """Record a password set from the CLI (``tiaojie user passwd``)."""
    row = user_store.by_username(conn, username)
    if row is not None:
        store.audit(conn, at=clock.now(), actor=actor, user_id=row.id, username=username, action="password_set")


def user_audit(conn: Connection, user_id: int) -> list[dict]:
    """The user's audit, newest first (no passwords, no hashes: none is ever stored)."""
    if user_store.by_id(conn, user_id) is None:
        raise NotFound(f"user {user_id} not found")
    return store.audit_rows(conn, user_id)


def find_user_id(conn: Connection, username: str) -> int:
    row = user_store.by_username(conn, username)
    if row is None:
        raise NotFound(f"no user '{username}'")
    return row.id
