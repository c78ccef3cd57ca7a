"""Passwords: argon2 hashes, the length rule, a check that takes as long for an unknown user."""

from functools import cache

from pwdlib import PasswordHash

from engine.core.errors import InvalidData

_HASHER = PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    """Checked when there is no user; made on first use (hashing costs time at every CLI start otherwise)."""
    return _HASHER.hash("not a password")


def hash_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < 8:
        raise InvalidData("password must have at least 8 characters", {"password": "too short"})
    return _HASHER.hash(password)


def check_password(password: str, password_hash: str | None) -> bool:
    """Whether ``password`` matches; without a hash (no such user) a dummy is checked, same timing."""
    dummy = _dummy_hash()  # made before either branch, so the first check in a process costs the same
    return _HASHER.verify(password or "", password_hash or dummy) and password_hash is not None
