"""The installation's secret key (token signing, keyed hashes of identity numbers).

From TIAOJIE_SECRET_KEY; when unset, generated once into var/secret.key. Every process of
one installation must share it: set it explicitly when running on several hosts.
"""

import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path

from engine.core.settings import get_settings


@lru_cache
def secret_key() -> str:
    configured = get_settings().secret_key
    if configured:
        return configured
    path = Path("var/secret.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalized value: matchable, not reversible without the key."""
    norm = "".join(value.split()).upper()
    return hmac.new(secret_key().encode(), norm.encode(), hashlib.sha256).hexdigest()
