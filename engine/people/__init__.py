"""People: users (roles, communities, passwords, preferences) and their login sessions.

What code outside ``engine.people`` may use. Callers own the transaction: every function takes the
connection of one ``Database.begin()``.
"""

from engine.people.admin import (
    LastAdmin,
    audit_password_set,
    change_password,
    create_user,
    find_user_id,
    groups_of,
    list_users,
    reset_password,
    update_user,
    user_audit,
    user_detail,
)
from engine.people.passwords import POLICY as PASSWORD_POLICY
from engine.people.passwords import check_password, check_policy, hash_password
from engine.people.sessions import (
    AuthError,
    PasswordChangeRequired,
    attempt_login,
    attempt_refresh,
    csrf_ok,
    csrf_token,
    login,
    logout,
    refresh,
    user_from_access,
    user_from_refresh_cookie,
)
from engine.people.throttle import LoginThrottled, login_failures, unlock_login
from engine.people.users import (
    add_user,
    find_person,
    get_person,
    list_people,
    set_password,
    set_preferences,
)

__all__ = [
    "LastAdmin",
    "PasswordChangeRequired",
    "audit_password_set",
    "change_password",
    "create_user",
    "find_user_id",
    "groups_of",
    "list_users",
    "reset_password",
    "update_user",
    "user_audit",
    "user_detail",
    "PASSWORD_POLICY",
    "AuthError",
    "LoginThrottled",
    "attempt_login",
    "attempt_refresh",
    "check_policy",
    "csrf_ok",
    "csrf_token",
    "login_failures",
    "unlock_login",
    "add_user",
    "check_password",
    "find_person",
    "get_person",
    "hash_password",
    "list_people",
    "login",
    "logout",
    "refresh",
    "set_password",
    "set_preferences",
    "user_from_access",
    "user_from_refresh_cookie",
]
