"""Passwords: argon2 hashes, the password policy, a check that takes as long for an unknown user.

The policy, checked wherever a password is set (``tiaojie user add``, ``tiaojie user passwd``, the demo
users): 8 to 200 characters, not the user name (nor the name reversed, in any letter case), not one
character repeated, and not one of the common passwords below (compared in lower case, blanks removed).
"""

from functools import cache

from pwdlib import PasswordHash

from engine.core.errors import InvalidData

_HASHER = PasswordHash.recommended()
MIN_LENGTH, MAX_LENGTH = 8, 200
POLICY = ("a password has 8 to 200 characters, is not the user name, not one character repeated "
          "and not a common password")
# Passwords that lead the leaked-password lists, international and Chinese, of 8 characters or more.
COMMON = frozenset("""
12345678 123456789 1234567890 0123456789 87654321 987654321 12341234 11223344 12121212 123123123
123456abc 123456aa 123456qq 12345678a 1234567a a1234567 a12345678 aa123456 abc12345 abcd1234 abc123456
abcdefgh abcdefg1 qwertyui qwertyuiop qwerty123 qwer1234 1qaz2wsx 1q2w3e4r 1q2w3e4r5t zaq12wsx asdfghjk
asdf1234 zxcvbnm1 zxcvbnm123 password password1 password12 password123 passw0rd p@ssw0rd p@ssword
iloveyou iloveyou1 woaini1314 woaini520 5201314a 52013145201314 1314520520 admin123 admin1234 admin888
administrator root1234 welcome1 welcome123 letmein1 sunshine princess football baseball superman
trustno1 monkey123 dragon123 starwars computer internet changeme changeme123 default1 test1234
testtest guest123 qazwsxedc qweasdzxc 147258369 159357456 741852963 135792468 7758521a 7758258a
88888888a 66668888 88886666 168168168 518518518 tiaojie123 tiaojie2026
""".split())


@cache
def _dummy_hash() -> str:
    """Checked when there is no user; made on first use (hashing costs time at every CLI start otherwise)."""
    return _HASHER.hash("not a password")


def check_policy(password: str, username: str | None = None) -> None:
    """Refuse a password against the policy, with the reason for the ``password`` field."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        reason = f"too short: at least {MIN_LENGTH} characters"
    elif len(password) > MAX_LENGTH:
        reason = f"too long: at most {MAX_LENGTH} characters"
    elif len(set(password)) == 1:
        reason = "one character repeated"
    elif username and password.casefold() in (username.casefold(), username.casefold()[::-1]):
        reason = "the same as the user name"
    elif "".join(password.split()).casefold() in COMMON:
        reason = "a common password"
    else:
        return
    err = InvalidData(f"password refused ({reason}); {POLICY}", {"password": reason})
    err.kinds = {"password": "password_policy"}
    raise err


def hash_password(password: str, username: str | None = None) -> str:
    """The argon2 hash of a password that meets the policy."""
    check_policy(password, username)
    return _HASHER.hash(password)


def check_password(password: str, password_hash: str | None) -> bool:
    """Whether ``password`` matches; without a hash (no such user) a dummy is checked, same timing."""
    dummy = _dummy_hash()  # made before either branch, so the first check in a process costs the same
    return _HASHER.verify(password or "", password_hash or dummy) and password_hash is not None
